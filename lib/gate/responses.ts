/**
 * The gate's own answers: the verdict rendered for the Edge (lib/session/answers.ts holds the links and the
 * JSON both runtimes share). Web APIs + next/server only.
 */
import { NextResponse, type NextRequest } from "next/server";
import { NO_STORE } from "@/lib/http/json";
import { clearActivityCookie, setActivityCookie } from "@/lib/session/activity-cookie";
import { jsonAnswer, loginPath, pageRedirect } from "@/lib/session/answers";
import type { Answer, Effect } from "@/lib/session/enforce";

/** The requested path and query, without Next's `_rsc` cache-buster: where to come back to. */
export function returnPathOf(request: NextRequest): string {
  const params = new URLSearchParams(request.nextUrl.search);
  params.delete("_rsc");
  const search = params.toString();
  return `${request.nextUrl.pathname}${search ? `?${search}` : ""}`;
}

/** Fail closed: Kratos could not be asked, so nobody is treated as signed in (nor as signed out). */
function unavailablePage(): NextResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in service unavailable</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
<h1>Sign-in service unavailable</h1>
<p>We can't confirm your session right now, so this page is not shown. You have not been signed out.</p>
<p>Please try again in a few moments.</p></body></html>`;
  return new NextResponse(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": NO_STORE, "retry-after": "5" },
  });
}

/**
 * Any answer but "pass", with the verdict's cookie effects: the pending step-up mark kept (`signed`: the
 * record already signed), or the cookies cleared after a sign-out (the session is already revoked in
 * Kratos; clearing them just tidies the browser).
 */
export function refusal(
  request: NextRequest,
  apiLike: boolean,
  answer: Exclude<Answer, { kind: "pass" }>,
  cookies: { effects: Effect[]; signed: string | undefined; kratosCookieName: string },
): NextResponse {
  const back = returnPathOf(request);
  let response: NextResponse;
  if (apiLike) {
    response = jsonAnswer(
      answer,
      answer.kind === "sign-in" || answer.kind === "step-up" ? loginPath(back, answer.kind === "step-up") : undefined,
    );
  } else {
    const to = pageRedirect(answer, back);
    response = to === null ? unavailablePage() : NextResponse.redirect(new URL(to, request.nextUrl.origin), 303);
    response.headers.set("cache-control", NO_STORE);
  }
  if (cookies.signed !== undefined) setActivityCookie(response.cookies, cookies.signed);
  if (cookies.effects.some((e) => e.type === "clear-cookies")) {
    response.cookies.set(cookies.kratosCookieName, "", { path: "/", maxAge: 0 });
    clearActivityCookie(response.cookies);
  }
  return response;
}
