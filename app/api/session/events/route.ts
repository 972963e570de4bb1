/**
 * POST /api/session/events: the browser reports "warning shown" / "warning answered" for the admins'
 * friction insights. Never activity (the gate classifies it as a report), so it cannot keep a session alive.
 */
import { NextResponse } from "next/server";
import { z } from "zod";
import { apiSession } from "@/lib/auth/api-session";
import { audit } from "@/lib/audit/write";
import { NO_STORE } from "@/lib/gate/responses";
import { readJson } from "@/lib/http/body";

const body = z
  .object({
    type: z.enum(["warning_shown", "warning_answered"]),
    path: z.string().regex(/^\/(?!\/)[^\s?#\\]{0,255}$/, "must be a path such as /billing"),
    area: z.string().max(40),
    /** seconds left on the countdown when it happened */
    secondsLeft: z.number().int().min(0).max(3600),
  })
  .strict();

export async function POST(request: Request) {
  const parsed = await readJson(request, body, 1024);
  if (!parsed.ok) return NextResponse.json({ error: parsed.error, message: parsed.message }, { status: parsed.status, headers: { "cache-control": NO_STORE } });
  const result = await apiSession("report");
  if (!result.ok) return result.response;
  const { session } = result;
  audit({
    eventType: parsed.value.type,
    identityId: session.identityId,
    sessionId: session.sessionId,
    metadata: { page: parsed.value.path, area: parsed.value.area, seconds_left: parsed.value.secondsLeft },
  });
  return NextResponse.json({ recorded: true }, { status: 202, headers: { "cache-control": NO_STORE } });
}
