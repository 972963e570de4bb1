/**
 * GET /api/internal/activity (x-internal-query: sid=…): the last activity the server knows for a session,
 * for the Edge gate when the browser's signed record is missing (deleting it must never reset the idle
 * clock). The session id travels in the signed header, never in the URL.
 */
import { NextResponse } from "next/server";
import { z } from "zod";
import { readActivity } from "@/lib/activity/store";
import { AppError } from "@/lib/errors";
import { receiveInternal } from "@/lib/session/internal-receive";

export async function GET(request: Request) {
  const received = receiveInternal(request, "GET", "");
  if (!received.ok) return received.response;
  const sid = z.uuid().safeParse(received.params.get("sid"));
  if (!sid.success) return new AppError("invalid_sid").toResponse();
  try {
    const row = await readActivity(sid.data);
    if (!row || row.ended) return new AppError("not_found").toResponse();
    return NextResponse.json({ lastActivityAt: row.lastActivityAt, lastPath: row.lastPath });
  } catch (error) {
    console.error(`[internal] activity lookup failed: ${(error as Error).message}`);
    return new AppError("unavailable").toResponse();
  }
}
