import "server-only";
/**
 * apiSession(): verifySession() for route handlers: the same check, answered with JSON instead of redirects.
 */
import { NextResponse } from "next/server";
import { NO_STORE } from "@/lib/gate/responses";
import { signedOutPath } from "./signed-out-path";
import { checkSession, type CheckKind, type LiveSession } from "./session-check";

export type ApiSessionResult = { ok: true; session: LiveSession } | { ok: false; response: NextResponse };

function json(status: number, body: Record<string, unknown>) {
  return NextResponse.json(body, { status, headers: { "cache-control": NO_STORE } });
}

/** `area`: judge this call as that area too (admin APIs: "/admin"), besides the page the user is on. */
export async function apiSession(kind: Extract<CheckKind, "api" | "poll" | "report" | "heartbeat"> = "api", opts: { area?: string } = {}): Promise<ApiSessionResult> {
  const result = await checkSession(kind, opts.area);
  switch (result.status) {
    case "ok":
      return { ok: true, session: result.session };
    case "no-session":
      return { ok: false, response: json(401, { error: "unauthenticated", message: "Please sign in." }) };
    case "step-up":
      return { ok: false, response: json(401, { error: "step_up_required", message: "Please confirm it's you: sign in again." }) };
    case "signed-out":
      // The same answer as the gate's, with the page to show (back to the page the user was on).
      return {
        ok: false,
        response: json(401, {
          error: "signed_out",
          reason: result.reason,
          message: "Your session has ended.",
          signedOut: signedOutPath({ ...result, returnTo: result.area ?? "/dashboard" }),
        }),
      };
    case "unavailable":
      return { ok: false, response: json(503, { error: "auth_unavailable", message: "The sign-in service is unavailable. Please try again shortly." }) };
  }
}
