/**
 * GET /api/internal/activity?sid=: the last activity the server knows for a session, for the Edge gate
 * when the browser's signed record is missing (deleting it must never reset the idle clock).
 */
import { NextResponse } from "next/server";
import { z } from "zod";
import { readActivity } from "@/lib/activity/store";
import { readEdgeEnv } from "@/lib/config/env.js";
import { INTERNAL_AUTH_HEADER, verifyInternal } from "@/lib/session/internal-channel";

export async function GET(request: Request) {
  const url = new URL(request.url);
  if (!verifyInternal(readEdgeEnv().SESSION_SECRET, request.headers.get(INTERNAL_AUTH_HEADER), "GET", `${url.pathname}${url.search}`, "")) {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  const sid = z.uuid().safeParse(url.searchParams.get("sid"));
  if (!sid.success) return NextResponse.json({ error: "invalid_sid" }, { status: 400 });
  try {
    const row = await readActivity(sid.data);
    if (!row || row.ended) return NextResponse.json({ error: "not_found" }, { status: 404 });
    return NextResponse.json({ lastActivityAt: row.lastActivityAt, lastPath: row.lastPath });
  } catch (error) {
    console.error(`[internal] activity lookup failed: ${(error as Error).message}`);
    return NextResponse.json({ error: "unavailable" }, { status: 503 });
  }
}
