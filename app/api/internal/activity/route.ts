/**
 * GET /api/internal/activity (x-internal-query: sid=…): the last activity the server knows for a session,
 * for the Edge gate when the browser's signed record is missing (deleting it must never reset the idle
 * clock). The session id travels in the signed header, never in the URL.
 */
import { NextResponse } from "next/server";
import { z } from "zod";
import { readActivity } from "@/lib/activity/store";
import { receiveInternal } from "@/lib/session/internal-receive";

export async function GET(request: Request) {
  const received = receiveInternal(request, "GET", "");
  if (!received.ok) return received.response;
  const sid = z.uuid().safeParse(received.params.get("sid"));
  if (!sid.success) return NextResponse.json({ error: "invalid_sid", message: "sid must be a session id (UUID)." }, { status: 400 });
  try {
    const row = await readActivity(sid.data);
    if (!row || row.ended) return NextResponse.json({ error: "not_found" }, { status: 404 });
    return NextResponse.json({ lastActivityAt: row.lastActivityAt, lastPath: row.lastPath });
  } catch (error) {
    console.error(`[internal] activity lookup failed: ${(error as Error).message}`);
    return NextResponse.json({ error: "unavailable" }, { status: 503 });
  }
}
