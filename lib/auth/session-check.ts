import "server-only";
/**
 * The Node side of enforcement: the same evaluation as the Edge gate (lib/session/evaluate.ts), run for
 * every page, server action and route handler, so nothing runs on an expired session even if the
 * middleware matcher misses a route. Side effects of a decision (revocation, audit, the throttled
 * server-side activity write) happen here; callers turn the result into a redirect or a JSON answer.
 */
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import { noteActivity, readActivity, recordSessionEnd } from "@/lib/activity/store";
import { audit } from "@/lib/audit/write";
import { revokeSession } from "@/lib/kratos/admin";
import { whoami } from "@/lib/kratos/session";
import { areaFor, budgetFor, deviceFrom, type Budget } from "@/lib/policy/idle-rule";
import { ACTIVITY_COOKIE, activityCookieOptions, encodeRecord, needsReissue, type ActivityRecord } from "@/lib/session/activity-record";
import { Confirmations, evaluate, type Evaluation, type ServerActivity, type SessionView } from "@/lib/session/evaluate";
import type { RequestKind } from "@/lib/session/request-kind";
import { PATH_HEADER } from "./constants";

export type CheckKind = Extract<RequestKind, "page" | "action" | "api" | "poll" | "report" | "heartbeat" | "prefetch">;

export interface LiveSession extends SessionView {
  /** the signed record after this request (route handlers may re-issue it) */
  record: ActivityRecord;
  /** budget governing the last activity, and its deadline (null: no idle limit) */
  budget: Budget;
  idleDeadline: number | null;
  absoluteDeadline: number;
  device: "desktop" | "mobile";
}

export type CheckResult =
  | { status: "ok"; session: LiveSession }
  | { status: "no-session" }
  | { status: "unavailable" }
  | { status: "signed-out"; reason: "idle" | "absolute" | "revoked"; area?: string; budgetSeconds?: number | null }
  | { status: "step-up" };

/**
 * Pages, prefetches and server actions are evaluated twice: by the gate, then here, a moment later. A
 * record the gate found fresh can turn stale in between; with Kratos down, this second look then failed
 * where the gate had not, and the page answered Next's 500 instead of the gate's 503
 * (test/resilience/kratos-outage.test.ts).
 * So here a record counts as checked for this much longer. Bound: a page the middleware matcher missed
 * notices a revocation made elsewhere within revalidateSeconds + this; every matched request is held to
 * revalidateSeconds by the gate. API routes (JSON 503 either way, and /api/upload runs without the gate)
 * get no grace.
 */
const PAGE_RECHECK_GRACE_MS = 5_000;

/** Kratos answers this process has had (see Confirmations in lib/session/evaluate.ts). */
const confirmations = new Confirmations();

async function serverActivity(sessionId: string): Promise<ServerActivity> {
  try {
    const row = await readActivity(sessionId);
    return row && !row.ended ? { lastActivityAt: row.lastActivityAt, lastPath: row.lastPath } : null;
  } catch {
    return "unavailable";
  }
}

/** The requested path as the gate saw it (or "/" when no gate ran: the normal budget, never a looser one). */
export async function requestPath(): Promise<string> {
  const value = (await headers()).get(PATH_HEADER) ?? "/";
  return value.split("?")[0] || "/";
}

/**
 * `declaredArea`: the area this check belongs to whatever the URL (verifyAdmin: "/admin"; billing actions:
 * "/billing"), so an admin action posted from /dashboard or an admin API is judged as the admin area.
 */
export const checkSession = cache(async (kind: CheckKind, declaredArea?: string): Promise<CheckResult> => {
  const env = readEdgeEnv();
  const policy = readPolicy();
  const h = await headers();
  const jar = await cookies();
  const now = Date.now();
  // API calls are judged against the page the user is on (the record's), never their own path; and the gate
  // may pass them on without rewriting request headers, so a path header there could be the browser's.
  const apiLike = kind === "api" || kind === "poll" || kind === "report" || kind === "heartbeat";
  const path = apiLike ? "/" : await requestPath();
  const device = deviceFrom(h.get("sec-ch-ua-mobile"), h.get("user-agent"));
  const evaluation: Evaluation = await evaluate(
    {
      now,
      path,
      kind,
      where: "handler",
      declaredArea,
      device,
      kratosCookieName: env.KRATOS_SESSION_COOKIE,
      kratosCookie: jar.get(env.KRATOS_SESSION_COOKIE)?.value,
      recordCookie: jar.get(ACTIVITY_COOKIE)?.value,
      policy,
      secret: env.SESSION_SECRET,
      recheckGraceMs: kind === "page" || kind === "action" || kind === "prefetch" ? PAGE_RECHECK_GRACE_MS : 0,
    },
    { whoami, serverActivity, confirmations },
  );

  switch (evaluation.outcome) {
    case "no-session":
      return { status: "no-session" };
    case "unavailable":
      return { status: "unavailable" };
    case "ended":
      return { status: "signed-out", reason: evaluation.reason, area: evaluation.lastPath, budgetSeconds: evaluation.budgetSeconds };
    case "expire": {
      const { session, decision } = evaluation;
      await revokeSession(session.sessionId); // throws KratosUnavailableError: deny, never pretend
      const idle = decision.kind === "expire" && decision.reason === "idle" ? decision : null;
      recordSessionEnd({
        sessionId: session.sessionId,
        identityId: session.identityId,
        reason: idle ? "idle" : "absolute",
        detectedBy: "request",
        lastPath: evaluation.lastPath,
        area: idle?.budget.area.label ?? areaFor(evaluation.lastPath, policy).area.label,
        idleSeconds: idle?.idleSeconds ?? null,
        budgetSeconds: idle?.budget.seconds ?? null,
        absoluteDeadline: session.expiresAt,
      });
      return { status: "signed-out", reason: idle ? "idle" : "absolute", area: evaluation.lastPath, budgetSeconds: idle?.budget.seconds };
    }
    case "step-up": {
      const { session, decision } = evaluation;
      if (evaluation.stepUpStarted && decision.kind === "step-up") {
        audit({
          eventType: "step_up_required",
          identityId: session.identityId,
          sessionId: session.sessionId,
          metadata: { page: path, area: decision.budget.area.label, idle_seconds: Math.round(decision.idleSeconds), budget_seconds: decision.budget.seconds },
        });
      }
      return { status: "step-up" };
    }
    case "allow": {
      const { session, record } = evaluation;
      const subject = { role: session.role, preference: session.preference, device };
      const budget = budgetFor(record.lp, subject, policy);
      const absoluteDeadline = Math.min(session.expiresAt, session.authenticatedAt + policy.absoluteSeconds * 1000);
      // IMPORTANT: throttled. The server's record lags real activity by at most activityWriteSeconds; the
      // sweeper waits that long past a deadline, so it never ends a session that was still in use. Queued
      // now, not after the response: the sweeper waits for this process's queue (sweepWhenSafe), and under
      // load a write left to after() reached the queue seconds late, so a pass could run ahead of it.
      noteActivity(
        { sessionId: session.sessionId, identityId: session.identityId, lastActivityAt: record.la, lastPath: record.lp, budgetSeconds: budget.seconds, absoluteDeadline },
        policy.activityWriteSeconds * 1000,
      );
      // Actions and API calls move the clock here, where they run (the gate cannot know that an action id
      // exists or an API call reaches a handler): the browser gets the new record with this answer.
      if ((kind === "action" || kind === "api") && needsReissue(evaluation.presented, record, true)) {
        jar.set(ACTIVITY_COOKIE, encodeRecord(record, env.SESSION_SECRET), activityCookieOptions(process.env.NODE_ENV === "production"));
      }
      return {
        status: "ok",
        session: {
          ...session,
          record,
          budget,
          idleDeadline: budget.seconds === null ? null : record.la + budget.seconds * 1000,
          absoluteDeadline,
          device,
        },
      };
    }
  }
});
