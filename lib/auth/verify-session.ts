import "server-only";
/**
 * verifySession(): the one check every page and server action calls (route handlers use apiSession()
 * in lib/auth/api-session.ts). Never trust a layout or the middleware matcher to have checked.
 * Memoised per request (React cache inside checkSession). Returns a minimal object, not the Kratos session.
 */
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { KratosUnavailableError } from "@/lib/kratos/types";
import { KIND_HEADER, pageKindFrom } from "@/lib/session/request-kind";
import { signedOutPath } from "./signed-out-path";
import { ADMIN_AREA } from "./constants";
import { checkSession, requestPath, type LiveSession } from "./session-check";

export type VerifiedSession = LiveSession;

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
  const result = await checkSession(kind, opts.area);
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
  const session = await verifySession({ area: ADMIN_AREA });
  if (session.role !== "admin") forbidden();
  return session;
}
