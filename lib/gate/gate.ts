/**
 * THE GATE (run by middleware.ts on the Edge runtime for pages, server actions and API routes): the Edge
 * adapter of the enforcement core. It classifies the request, evaluates it (lib/session/evaluate.ts), asks
 * the core for the verdict (lib/session/enforce.ts) and applies its effects the Edge way: Kratos' admin API
 * for a revocation, the signed internal channel for the audit trail, cookies on the answer.
 * Web APIs only: no `pg`, no `node:` modules (a test enforces it), so a move to proxy.ts is a rename.
 *
 *   background load -> 204, nothing rendered, the session untouched (a browser prefetch, an <img> of a page:
 *                      never the person's activity; lib/session/request-kind.ts)
 *   public, internal -> passed on unjudged
 *   anything else   -> the verdict; a revocation that fails answers 503 (fail closed, never pretend)
 *
 * Every answer, whatever the outcome, carries the security headers (lib/security/headers.js) with a fresh
 * CSP nonce; the nonce also goes to Next on the request so it can put it on its own scripts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { PATH_HEADER } from "@/lib/auth/constants";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import { NO_STORE } from "@/lib/http/json";
import { revokeSession } from "@/lib/kratos/admin";
import { whoami } from "@/lib/kratos/session";
import { deviceFrom } from "@/lib/policy/idle-rule";
import { ADMISSION_HEADER, signAdmission } from "@/lib/session/admission";
import { setActivityCookie } from "@/lib/session/activity-cookie";
import { ACTIVITY_COOKIE, encodeRecord } from "@/lib/session/activity-record";
import { replaceCookie } from "@/lib/session/cookie-header";
import { enforce, type Effect, type Verdict } from "@/lib/session/enforce";
import { Confirmations, evaluate, type ServerActivity } from "@/lib/session/evaluate";
import { internalFetch } from "@/lib/session/internal-channel";
import { KIND_HEADER, classify, isApiLike, type RequestKind } from "@/lib/session/request-kind";
import { modeOf, newNonce, securityHeaders } from "@/lib/security/headers.js";
import { refusal, returnPathOf } from "./responses";

let config:
  | {
      env: ReturnType<typeof readEdgeEnv>;
      policy: ReturnType<typeof readPolicy>;
      headers: ReturnType<typeof securityHeaders>;
    }
  | undefined;
function settings() {
  if (config) return config;
  const env = readEdgeEnv();
  const headers = securityHeaders({
    appUrl: env.APP_URL,
    kratosPublicUrl: env.KRATOS_PUBLIC_URL,
    mode: modeOf(process.env.NODE_ENV),
  });
  return (config = { env, policy: readPolicy(), headers });
}

/** Kratos answers this isolate has had: a poll's check spares the next page its own (see Confirmations). */
const confirmations = new Confirmations();

async function serverActivity(sessionId: string): Promise<ServerActivity> {
  const { env } = settings();
  try {
    const response = await internalFetch(
      env.APP_INTERNAL_URL,
      env.SESSION_SECRET,
      "GET",
      `/api/internal/activity?sid=${sessionId}`,
    );
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
    const response = await internalFetch(
      env.APP_INTERNAL_URL,
      env.SESSION_SECRET,
      "POST",
      "/api/internal/events",
      body,
    );
    if (!response.ok) console.error(`[gate] audit report refused: HTTP ${response.status}`);
  } catch (error) {
    console.error(`[gate] audit report failed: ${(error as Error).message}`);
  }
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
  if (kind === "public" || kind === "internal") return forward(request, kind);
  if (kind === "background") return new NextResponse(null, { status: 204, headers: { "cache-control": NO_STORE } });
  const now = Date.now();
  const device = deviceFrom(request.headers.get("sec-ch-ua-mobile"), request.headers.get("user-agent"));
  const evaluation = await evaluate(
    {
      now,
      path,
      kind,
      where: "gate",
      device,
      kratosCookieName: env.KRATOS_SESSION_COOKIE,
      kratosCookie: request.cookies.get(env.KRATOS_SESSION_COOKIE)?.value,
      recordCookie: request.cookies.get(ACTIVITY_COOKIE)?.value,
      policy,
      secret: env.SESSION_SECRET,
    },
    { whoami, serverActivity, confirmations },
  );
  if (evaluation.ignoredRecord)
    console.warn(`[gate] ignored an activity record (${evaluation.ignoredRecord}) on ${path}`);
  const verdict = enforce(evaluation, { where: "gate", kind, path, device, policy });
  const applied = await apply(verdict.effects);
  const answer = applied ? verdict.answer : { kind: "unavailable" as const };
  if (answer.kind === "unavailable" && "detail" in answer)
    console.error(`[gate] Kratos unavailable (${answer.detail}): answering 503`);
  const set = verdict.effects.find((e) => e.type === "set-record");
  const signed = set ? encodeRecord(set.record, env.SESSION_SECRET) : undefined;
  if (answer.kind !== "pass") {
    return refusal(request, isApiLike(kind), answer, {
      effects: applied ? verdict.effects : [],
      signed,
      kratosCookieName: env.KRATOS_SESSION_COOKIE,
    });
  }
  return pass(request, kind, now, set && signed ? { ...set, signed } : undefined);
}

/** The effects that reach outside the answer, in order. False when the revocation failed (deny: 503). */
async function apply(effects: Verdict["effects"]): Promise<boolean> {
  for (const effect of effects) {
    if (effect.type === "revoke") {
      try {
        await revokeSession(effect.sessionId);
      } catch (error) {
        // Could not end it in Kratos: deny (fail closed) rather than pretend it ended.
        console.error(`[gate] ${(error as Error).message}`);
        return false;
      }
    } else if (effect.type === "end") await report({ type: "session_end", end: effect.end });
    else if (effect.type === "audit") await report({ type: "audit", event: effect.event });
  }
  return true;
}

/**
 * The request goes on, with the record re-issued (Set-Cookie) and/or handed to the Node side as the verdict
 * says, and no-store. Nothing new to say (the common case: requests less than a second apart): no signing,
 * no Set-Cookie, and an API call passes without its headers rewritten.
 */
function pass(
  request: NextRequest,
  kind: RequestKind,
  now: number,
  set: (Extract<Effect, { type: "set-record" }> & { signed: string }) | undefined,
) {
  // IMPORTANT: edit the raw header; request.cookies.set() re-encodes every cookie, Kratos' included.
  if (set?.forward)
    request.headers.set("cookie", replaceCookie(request.headers.get("cookie") ?? "", ACTIVITY_COOKIE, set.signed));
  const record = set?.forward ? set.signed : (request.cookies.get(ACTIVITY_COOKIE)?.value ?? "");
  const response = set?.forward || !isApiLike(kind) ? forward(request, kind, { at: now, record }) : NextResponse.next();
  if (set?.respond) setActivityCookie(response.cookies, set.signed);
  response.headers.set("cache-control", NO_STORE);
  return response;
}

/**
 * Passes the request on with the headers the Node side trusts, always set here and never taken from the
 * browser: the path, the kind, and for an admitted page, prefetch or action the gate's admission (the
 * instant it judged this request at; lib/session/admission.ts). (A JSON call passed on without this keeps
 * the browser's headers: apiSession() never reads them.)
 */
function forward(request: NextRequest, kind: RequestKind, admission?: { at: number; record: string }): NextResponse {
  const path = returnPathOf(request);
  request.headers.set(PATH_HEADER, path);
  request.headers.set(KIND_HEADER, kind);
  request.headers.delete(ADMISSION_HEADER);
  if (admission && !isApiLike(kind)) {
    request.headers.set(
      ADMISSION_HEADER,
      signAdmission(settings().env.SESSION_SECRET, admission.at, { kind, path, record: admission.record }),
    );
  }
  return NextResponse.next({ request: { headers: request.headers } });
}
