import "server-only";
/**
 * verifySession(): the one check every page and server action calls (route handlers use apiSession()
 * in lib/auth/api-session.ts). Never trust a layout or the middleware matcher to have checked.
 * Memoised per request (React cache inside checkSession). Returns a minimal object, not the Kratos session.
 */
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { KratosUnavailableError } from "@/lib/kratos/types";
import { signedOutPath } from "./signed-out-path";
import { checkSession, requestPath, type LiveSession } from "./session-check";

export type VerifiedSession = LiveSession;

export async function verifySession(): Promise<VerifiedSession> {
  const h = await headers();
  // A router prefetch renders the page too, but is not the user's activity.
  const kind = h.get("next-action") !== null ? "action" : h.get("next-router-prefetch") !== null ? "prefetch" : "page";
  const result = await checkSession(kind);
  const back = encodeURIComponent(await requestPath());
  switch (result.status) {
    case "ok":
      return result.session;
    case "no-session":
      return redirect(`/login?return_to=${back}`);
    case "step-up":
      return redirect(`/login?refresh=true&return_to=${back}`);
    case "signed-out":
      return redirect(signedOutPath({ ...result, returnTo: decodeURIComponent(back) }));
    case "unavailable":
      throw new KratosUnavailableError("whoami failed");
  }
}

/** Admins only: anyone else gets the 403 page (app/forbidden.tsx). */
export async function verifyAdmin(): Promise<VerifiedSession> {
  const session = await verifySession();
  if (session.role !== "admin") forbidden();
  return session;
}
