import "server-only";
/**
 * apiSession(): verifySession() for route handlers: the same check, answered with JSON instead of redirects
 * (lib/session/answers.ts: the same JSON the gate answers).
 */
import type { NextResponse } from "next/server";
import { jsonAnswer } from "@/lib/session/answers";
import type { ApiKind } from "@/lib/session/request-kind";
import { checkSession, type VerifiedSession } from "./session-check";

export type ApiSessionResult = { ok: true; session: VerifiedSession } | { ok: false; response: NextResponse };

/** `area`: judge this call as that area too (admin APIs: "/admin"), besides the page the user is on. */
export async function apiSession(kind: ApiKind = "api", opts: { area?: string } = {}): Promise<ApiSessionResult> {
  const check = await checkSession(kind, opts.area);
  return check.session ? { ok: true, session: check.session } : { ok: false, response: jsonAnswer(check.answer) };
}
