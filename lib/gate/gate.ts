/**
 * THE GATE (run by middleware.ts on the Edge runtime for pages, server actions and API routes).
 * Web APIs only: no `pg`, no `node:` modules (a test enforces it), so a move to proxy.ts is a rename.
 *
 *   no Kratos session        -> sign-in, with a same-origin return_to
 *   Kratos unreachable       -> 503 (fail closed; never a sign-out, never signed in)
 *   expire (idle | absolute) -> revoke in Kratos (admin API), audit, clear cookies, /signed-out?reason=...
 *   step-up                  -> Kratos login with refresh=true, back to the requested page
 *   background load          -> 204, nothing rendered, the session untouched (a browser prefetch, an <img>
 *                               of a page: never the person's activity; lib/session/request-kind.ts)
 *   allow                    -> the request goes on with a refreshed signed activity record and no-store
 *
 * Every answer, whatever the outcome, carries the security headers (lib/security/headers.js) with a fresh
 * CSP nonce; the nonce also goes to Next on the request so it can put it on its own scripts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import { PATH_HEADER } from "@/lib/auth/constants";
import { revokeSession } from "@/lib/kratos/admin";
import { whoami } from "@/lib/kratos/session";
import { areaFor, deviceFrom } from "@/lib/policy/idle-rule";
import { ACTIVITY_COOKIE, activityCookieOptions, encodeRecord, needsReissue } from "@/lib/session/activity-record";
import { Confirmations, evaluate, type ServerActivity } from "@/lib/session/evaluate";
import { internalFetch } from "@/lib/session/internal-channel";
import { replaceCookie } from "@/lib/session/cookie-header";
import { KIND_HEADER, classify, movesClock, wantsJson, type RequestKind } from "@/lib/session/request-kind";
import { modeOf, newNonce, securityHeaders } from "@/lib/security/headers.js";
import { NO_STORE, signedOut, toLogin, unavailable } from "./responses";

let config:
  | { env: ReturnType<typeof readEdgeEnv>; policy: ReturnType<typeof readPolicy>; headers: ReturnType<typeof securityHeaders> }
  | undefined;
function settings() {
  if (config) return config;
  const env = readEdgeEnv();
  const headers = securityHeaders({ appUrl: env.APP_URL, kratosPublicUrl: env.KRATOS_PUBLIC_URL, mode: modeOf(process.env.NODE_ENV) });
  return (config = { env, policy: readPolicy(), headers });
}

/** Kratos answers this isolate has had: a poll's check spares the next page its own (see Confirmations). */
const confirmations = new Confirmations();

async function serverActivity(sessionId: string): Promise<ServerActivity> {
  const { env } = settings();
  try {
    const response = await internalFetch(env.APP_INTERNAL_URL, env.SESSION_SECRET, "GET", `/api/internal/activity?sid=${sessionId}`);
    if (response.status === 404) return null;
    if (!response.ok) return "unavailable";
    const body = (await response.json()) as { lastActivityAt: number; lastPath: string };
    return { lastActivityAt: body.lastActivityAt, lastPath: body.lastPath };
  } catch {
    return "unavailable";
  }
}

async function report(body: unknown): Promise<void> {
  const { env } = settings();
  try {
    const response = await internalFetch(env.APP_INTERNAL_URL, env.SESSION_SECRET, "POST", "/api/internal/events", body);
    if (!response.ok) console.error(`[gate] audit report refused: HTTP ${response.status}`);
  } catch (error) {
    console.error(`[gate] audit report failed: ${(error as Error).message}`);
  }
}

/** The query string without Next's `_rsc` cache-buster (kept because flight headers are not normalized). */
function searchWithoutRsc(request: NextRequest): string {
  const params = new URLSearchParams(request.nextUrl.search);
  params.delete("_rsc");
  const text = params.toString();
  return text ? `?${text}` : "";
}

export async function gate(request: NextRequest): Promise<NextResponse> {
  const path = request.nextUrl.pathname;
  const kind = classify({ method: request.method, path, header: (n) => request.headers.get(n) });
  // API calls answer JSON, never a page: next.config.js gives every /api/* response the locked-down static
  // set (no nonce to make or hand to Next, no headers to merge here: the common case costs nothing extra).
  if (path === "/api" || path.startsWith("/api/")) {
    const response = await decide(request, path, kind);
    // Except HSTS: next.config.js headers are fixed when the app is built; this follows the running APP_URL.
    const hsts = settings().headers.static["strict-transport-security"];
    if (hsts) response.headers.set("strict-transport-security", hsts);
    return response;
  }
  const nonce = newNonce();
  const headers = settings().headers.page(nonce);
  // Next takes the nonce from the request's CSP header and puts it on its scripts (x-nonce is for our own
  // components). Always set here, so a browser can never choose the nonce.
  request.headers.set("x-nonce", nonce);
  request.headers.set("content-security-policy", headers["content-security-policy"]);
  const response = await decide(request, path, kind);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

async function decide(request: NextRequest, path: string, kind: RequestKind): Promise<NextResponse> {
  const { env, policy } = settings();
  // Passes the request on with its headers rewritten. Headers the Node side trusts are always set here,
  // never taken from the browser. (A JSON call passed on without this keeps the browser's path header:
  // verifySession() never reads it for those kinds, and skipping the rewrite is most of the saving.)
  const forward = () => {
    request.headers.set(PATH_HEADER, `${path}${searchWithoutRsc(request)}`);
    request.headers.set(KIND_HEADER, kind);
    return NextResponse.next({ request: { headers: request.headers } });
  };
  if (kind === "public" || kind === "internal") return forward();
  if (kind === "background") return new NextResponse(null, { status: 204, headers: { "cache-control": NO_STORE } });

  const asJson = wantsJson(kind);
  const now = Date.now();
  const evaluation = await evaluate(
    {
      now,
      path,
      kind,
      where: "gate",
      device: deviceFrom(request.headers.get("sec-ch-ua-mobile"), request.headers.get("user-agent")),
      kratosCookieName: env.KRATOS_SESSION_COOKIE,
      kratosCookie: request.cookies.get(env.KRATOS_SESSION_COOKIE)?.value,
      recordCookie: request.cookies.get(ACTIVITY_COOKIE)?.value,
      policy,
      secret: env.SESSION_SECRET,
    },
    { whoami, serverActivity, confirmations },
  );
  if (evaluation.ignoredRecord) console.warn(`[gate] ignored an activity record (${evaluation.ignoredRecord}) on ${path}`);

  switch (evaluation.outcome) {
    case "no-session":
      return toLogin(request, asJson);
    case "unavailable":
      console.error(`[gate] Kratos unavailable (${evaluation.detail}): answering 503`);
      return unavailable(asJson);
    case "ended":
      return signedOut(
        request,
        asJson,
        { reason: evaluation.reason, area: evaluation.lastPath, budgetSeconds: evaluation.budgetSeconds, returnTo: asJson ? evaluation.lastPath : undefined },
        env.KRATOS_SESSION_COOKIE,
      );
    case "expire": {
      const { session, decision } = evaluation;
      try {
        await revokeSession(session.sessionId);
      } catch (error) {
        // Could not end it in Kratos: deny (fail closed) rather than pretend it ended.
        console.error(`[gate] ${(error as Error).message}`);
        return unavailable(asJson);
      }
      const budget = decision.kind === "expire" && decision.reason === "idle" ? decision.budget : null;
      await report({
        type: "session_end",
        end: {
          sessionId: session.sessionId,
          identityId: session.identityId,
          reason: decision.kind === "expire" ? decision.reason : "idle",
          detectedBy: "gate",
          lastPath: evaluation.lastPath,
          area: budget?.area.label ?? areaFor(evaluation.lastPath, policy).area.label,
          idleSeconds: decision.kind === "expire" && decision.reason === "idle" ? decision.idleSeconds : null,
          budgetSeconds: budget?.seconds ?? null,
          absoluteDeadline: session.expiresAt,
        },
      });
      return signedOut(
        request,
        asJson,
        {
          reason: decision.kind === "expire" ? decision.reason : "idle",
          area: evaluation.lastPath,
          budgetSeconds: budget?.seconds,
          returnTo: asJson ? evaluation.lastPath : undefined,
        },
        env.KRATOS_SESSION_COOKIE,
      );
    }
    case "step-up": {
      const { session, decision } = evaluation;
      if (evaluation.stepUpStarted && decision.kind === "step-up") {
        await report({
          type: "audit",
          event: {
            eventType: "step_up_required",
            identityId: session.identityId,
            sessionId: session.sessionId,
            metadata: { page: path, area: decision.budget.area.label, idle_seconds: Math.round(decision.idleSeconds), budget_seconds: decision.budget.seconds },
          },
        });
      }
      const response = toLogin(request, asJson, { refresh: true });
      response.cookies.set(ACTIVITY_COOKIE, encodeRecord(evaluation.record, env.SESSION_SECRET), activityCookieOptions(process.env.NODE_ENV === "production"));
      return response;
    }
    case "allow": {
      const { session, record } = evaluation;
      if (evaluation.stepUpCompleted) {
        await report({
          type: "audit",
          event: { eventType: "step_up_completed", identityId: session.identityId, sessionId: session.sessionId, metadata: { page: path } },
        });
      }
      const reissue = needsReissue(evaluation.presented, record, movesClock(kind, "gate"));
      // The Node side sees what the gate just learnt in this same request (verifySession then needs no Kratos
      // call). An API call needs that only when the gate asked Kratos: otherwise the record it presented is
      // still fresh there. Overriding request headers is most of what Next charges a middleware.
      const override = evaluation.askedKratos || (reissue && !asJson);
      if (!reissue && !override) {
        // Nothing new to say (the common case: requests less than a second apart): no signing, no Set-Cookie.
        const response = asJson ? NextResponse.next() : forward();
        response.headers.set("cache-control", NO_STORE);
        return response;
      }
      const value = encodeRecord(record, env.SESSION_SECRET);
      // IMPORTANT: edit the raw header; request.cookies.set() re-encodes every cookie, Kratos' included.
      if (override) request.headers.set("cookie", replaceCookie(request.headers.get("cookie") ?? "", ACTIVITY_COOKIE, value));
      const response = override || !asJson ? forward() : NextResponse.next();
      // Not for a poll or prefetch that only re-checked with Kratos: see needsReissue().
      if (reissue) response.cookies.set(ACTIVITY_COOKIE, value, activityCookieOptions(process.env.NODE_ENV === "production"));
      response.headers.set("cache-control", NO_STORE);
      return response;
    }
  }
}
