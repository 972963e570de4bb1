/**
 * The verdict's answer as the browser gets it (lib/session/enforce.ts decides it). Web APIs + next/server
 * only: the Edge gate and the Node side render the same links and the same JSON (lib/errors.ts).
 *   pages: a redirect (303) to sign-in, the refresh sign-in (step-up) or /signed-out; the gate's 503 page
 *   API calls: JSON 401 with the page to go to, or 503
 */
import type { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import type { Answer, SignedOut } from "./enforce";

/** The sign-in page, back to `returnTo` afterwards; `refresh`: Kratos re-authenticates the same session (step-up). */
export function loginPath(returnTo: string, refresh = false): string {
  const q = new URLSearchParams({ return_to: returnTo });
  if (refresh) q.set("refresh", "true");
  return `/login?${q.toString()}`;
}

/**
 * /signed-out for a session the server ended: why (reason), where the budget ran out (area: a path, shown
 * only as its area's label), how long the budget was, and the page to come back to.
 */
function signedOutUrl(answer: Omit<SignedOut, "kind">, returnTo: string): string {
  const q = new URLSearchParams({ reason: answer.reason });
  if (answer.lastPath) q.set("area", answer.lastPath);
  if (answer.budgetSeconds) q.set("after", String(Math.round(answer.budgetSeconds)));
  q.set("return_to", returnTo);
  return `/signed-out?${q.toString()}`;
}

/** Where a page request goes instead (null: it passes, or the service is unavailable). */
export function pageRedirect(answer: Answer, returnTo: string): string | null {
  switch (answer.kind) {
    case "sign-in":
      return loginPath(returnTo);
    case "step-up":
      return loginPath(returnTo, true);
    case "signed-out":
      return signedOutUrl(answer, returnTo);
    default:
      return null;
  }
}

/**
 * The JSON answer of an API call that may not go on. The signed-out page comes back to the page the user
 * was on (the record's), never to the API URL. `login`: the gate also names the sign-in page.
 */
export function jsonAnswer(answer: Exclude<Answer, { kind: "pass" }>, login?: string): NextResponse {
  switch (answer.kind) {
    case "sign-in":
      return new AppError("unauthenticated").toResponse(login ? { login } : {});
    case "step-up":
      return new AppError("step_up_required").toResponse(login ? { login } : {});
    case "signed-out":
      return new AppError("signed_out").toResponse({
        reason: answer.reason,
        signedOut: signedOutUrl(answer, answer.lastPath ?? "/dashboard"),
      });
    case "unavailable":
      return new AppError("auth_unavailable").toResponse();
  }
}
