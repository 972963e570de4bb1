import "server-only";
/**
 * Starting and restarting Kratos' browser flows (login, registration, recovery, verification), with the
 * restart after a CSRF failure bounded to one (issue 13, item 7).
 *
 * Kratos answers 403 (security_csrf_violation) for a browser flow fetched without the anti-CSRF cookie it set
 * when the flow began. Restarting helps a browser that followed a stale link; a client that sends no cookies
 * gets the same 403 on every new flow, and used to loop /login?flow=… -> Kratos -> /login?flow=… forever,
 * one Kratos flow per lap (a cross-site <img> made a victim's browser do it).
 *
 * Why a cookie and a check hop, not a query marker: Kratos redirects a new flow to `ui_url?flow=<id>` and
 * drops every other query parameter, so a `retry=1` never comes back. Instead a CSRF failure goes to
 * /<flow>/restart, which sets RESTART_COOKIE and redirects to itself with check=1:
 * - the cookie came back: cookies work; start one new flow. While the cookie lives (2 min), another CSRF
 *   failure shows the "cookies needed" page instead (a client that keeps our cookie but drops Kratos' one);
 * - it did not: this client sends no cookies; no flow is started, the page says why.
 * A cookieless client thus costs at most the one flow it came with (none for a link to a stale flow).
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { readEdgeEnv } from "@/lib/config/env.js";
import { browserFlowUrl } from "@/lib/kratos/flows";
import { returnUrl, safeReturnPath } from "@/lib/security/return-to";
import { flowParams } from "./search-params";

export type RestartableFlow = "login" | "registration" | "recovery" | "verification";
type Params = Pick<z.infer<typeof flowParams>, "return_to" | "refresh" | "aal">;

/** "A restart was spent in the last RESTART_WINDOW_SECONDS": another CSRF failure shows the page. */
export const RESTART_COOKIE = "flow_restart";
const RESTART_WINDOW_SECONDS = 120;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const restartQuery = flowParams.pick({ return_to: true, refresh: true, aal: true }).extend({
  check: z.preprocess(first, z.enum(["1"]).optional().catch(undefined)),
});

/** Kratos' browser URL that begins a flow (the return_to on the app's origin only, else the dashboard). */
export function flowStartUrl(flow: RestartableFlow, params: Params): string {
  const returnTo = returnUrl(params.return_to, readEdgeEnv().APP_URL);
  if (flow !== "login") return browserFlowUrl(flow, { returnTo });
  return browserFlowUrl("login", { returnTo, refresh: params.refresh === "true", aal: params.aal });
}

/** The way out of the "cookies needed" page: the same flow from the start, back to the same page. */
export function retryPath(flow: RestartableFlow, params: Params): string {
  const back = safeReturnPath(params.return_to, readEdgeEnv().APP_URL);
  return `/${flow}${back ? `?return_to=${encodeURIComponent(back)}` : ""}`;
}

function query(params: Params & Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) q.set(key, value);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/**
 * On the page, when Kratos refused the flow for CSRF: the restart route if no restart was spent lately
 * (redirects, never returns), else "cookies-off" (the page shows why instead of starting another flow).
 */
export async function afterCsrfFailure(flow: RestartableFlow, params: Params): Promise<"cookies-off"> {
  if ((await cookies()).has(RESTART_COOKIE)) return "cookies-off";
  redirect(`/${flow}/restart${query({ return_to: params.return_to, refresh: params.refresh, aal: params.aal })}`);
}

function redirectTo(location: string): NextResponse {
  const response = NextResponse.redirect(new URL(location, readEdgeEnv().APP_URL), 303);
  response.headers.set("cache-control", "no-store");
  return response;
}

/** GET /<flow>/restart: the cookie check described above. Takes only return_to, refresh, aal and check. */
export function restartRoute(flow: RestartableFlow): (request: NextRequest) => Promise<NextResponse> {
  return async (request) => {
    const sp = request.nextUrl.searchParams;
    const p = restartQuery.parse(Object.fromEntries([...new Set(sp.keys())].map((k) => [k, sp.getAll(k)])));
    const forward = { return_to: p.return_to, refresh: p.refresh, aal: p.aal };
    if (!p.check) {
      const response = redirectTo(`/${flow}/restart${query({ ...forward, check: "1" })}`);
      response.cookies.set(RESTART_COOKIE, "1", {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: process.env.NODE_ENV === "production",
        maxAge: RESTART_WINDOW_SECONDS,
      });
      return response;
    }
    if (!request.cookies.has(RESTART_COOKIE)) return redirectTo(`/${flow}${query({ ...forward, cookies: "off" })}`);
    return redirectTo(flowStartUrl(flow, forward));
  };
}
