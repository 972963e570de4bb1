import "server-only";
/**
 * verifySession(): the one check every page and server action calls (route handlers use apiSession()
 * in lib/auth/api-session.ts). Never trust a layout or the middleware matcher to have checked.
 * Memoised per request (React cache inside checkSession). Returns a minimal object, not the Kratos session.
 */
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { KratosUnavailableError } from "@/lib/kratos/types";
import { pageRedirect } from "@/lib/session/answers";
import { KIND_HEADER, pageKindFrom } from "@/lib/session/request-kind";
import { ADMIN_AREA } from "./constants";
import { checkSession, requestPath, type VerifiedSession } from "./session-check";

export type { VerifiedSession };

/**
 * `area`: judge this check as that area whatever the page (billing actions: "/billing"), so a sensitive
 * action posted from another page still needs its area's step-up.
 */
export async function verifySession(opts: { area?: string } = {}): Promise<VerifiedSession> {
  const h = await headers();
  // The gate's classification (it always sets the header for pages; Next 16 hides next-router-prefetch
  // from headers(), so the Node side cannot tell a prefetch itself). A router prefetch renders the page
  // too, but is not the user's activity.
  const kind = h.get("next-action") !== null ? "action" : (pageKindFrom(h.get(KIND_HEADER)) ?? "page");
  const check = await checkSession(kind, opts.area);
  if (check.session) return check.session;
  const to = pageRedirect(check.answer, await requestPath());
  if (to === null) throw new KratosUnavailableError("whoami failed");
  return redirect(to);
}

/** Admins only: anyone else gets the 403 page (app/forbidden.tsx). */
export async function verifyAdmin(): Promise<VerifiedSession> {
  const session = await verifySession({ area: ADMIN_AREA });
  if (session.role !== "admin") forbidden();
  return session;
}

/**
 * For the sign-out action: the live session, or null when there is none the app can name (ended, or waiting
 * for a step-up). Throws KratosUnavailableError when Kratos cannot say.
 */
export async function currentSession(): Promise<VerifiedSession | null> {
  const check = await checkSession("action");
  if (check.answer.kind === "unavailable") throw new KratosUnavailableError("whoami failed");
  return check.session ?? null;
}
