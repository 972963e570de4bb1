/**
 * The gate's answers. Web APIs + next/server only (Edge).
 * Pages get redirects or an HTML page; API calls get JSON with the same meaning.
 */
import { NextResponse, type NextRequest } from "next/server";
import { signedOutPath } from "@/lib/auth/signed-out-path";
import { ACTIVITY_COOKIE, activityCookieOptions } from "@/lib/session/activity-record";

export const NO_STORE = "private, no-store, max-age=0, must-revalidate";

function json(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json(body, { status, headers: { "cache-control": NO_STORE, ...headers } });
}

function returnPathOf(request: NextRequest): string {
  const params = new URLSearchParams(request.nextUrl.search);
  params.delete("_rsc");
  const search = params.toString();
  return `${request.nextUrl.pathname}${search ? `?${search}` : ""}`;
}

export function toLogin(request: NextRequest, asJson: boolean, opts: { refresh?: boolean } = {}): NextResponse {
  const url = new URL("/login", request.nextUrl.origin);
  url.searchParams.set("return_to", returnPathOf(request));
  if (opts.refresh) url.searchParams.set("refresh", "true");
  if (asJson) {
    return json(401, {
      error: opts.refresh ? "step_up_required" : "unauthenticated",
      message: opts.refresh ? "Please confirm it's you: sign in again to continue." : "Please sign in.",
      login: `${url.pathname}${url.search}`,
    });
  }
  const response = NextResponse.redirect(url, 303);
  response.headers.set("cache-control", NO_STORE);
  return response;
}

export function signedOut(
  request: NextRequest,
  asJson: boolean,
  info: { reason: "idle" | "absolute" | "revoked"; area?: string; budgetSeconds?: number | null; returnTo?: string },
  kratosCookieName: string,
): NextResponse {
  // API calls (the client's poll at the deadline) come back to the page the user was on, not the API URL.
  const url = new URL(signedOutPath({ ...info, returnTo: info.returnTo ?? returnPathOf(request) }), request.nextUrl.origin);
  const response = asJson
    ? json(401, { error: "signed_out", reason: info.reason, message: "Your session has ended.", signedOut: `${url.pathname}${url.search}` })
    : NextResponse.redirect(url, 303);
  response.headers.set("cache-control", NO_STORE);
  // The session is already revoked in Kratos; clearing the cookies just tidies the browser.
  response.cookies.set(kratosCookieName, "", { path: "/", maxAge: 0 });
  // Same attributes as when it was set (Secure in production), or the browser may keep the old one.
  response.cookies.set(ACTIVITY_COOKIE, "", { ...activityCookieOptions(process.env.NODE_ENV === "production"), maxAge: 0 });
  return response;
}

/** Fail closed: Kratos could not be asked, so nobody is treated as signed in (nor as signed out). */
export function unavailable(asJson: boolean): NextResponse {
  if (asJson) {
    return json(503, { error: "auth_unavailable", message: "The sign-in service is unavailable. Please try again shortly." }, { "retry-after": "5" });
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in service unavailable</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
<h1>Sign-in service unavailable</h1>
<p>We can't confirm your session right now, so this page is not shown. You have not been signed out.</p>
<p>Please try again in a few moments.</p></body></html>`;
  return new NextResponse(html, { status: 503, headers: { "content-type": "text/html; charset=utf-8", "cache-control": NO_STORE, "retry-after": "5" } });
}
