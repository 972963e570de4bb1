/**
 * THE ENFORCEMENT CORE: one evaluation (lib/session/evaluate.ts) in, one verdict out: the answer to give and
 * the effects to apply first, in order. Pure (no I/O, no clock), the same for both runtimes; each runtime has
 * one small adapter that applies the effects (the Edge gate: Kratos' admin API and the signed internal
 * channel, lib/gate/gate.ts; the Node side: Kratos, the database and the outbox, lib/auth/session-check.ts)
 * and renders the answer (lib/session/answers.ts).
 *
 *   evaluation   answer                       effects
 *   no-session   sign-in                      -
 *   unavailable  unavailable (503)            -  (never a sign-out, never signed in)
 *   ended        signed-out (why, where)      clear the cookies (gate)
 *   expire       signed-out (why, where)      revoke, then the session end (claim + audit), clear the cookies (gate)
 *   step-up      step-up (refresh sign-in)    audit step_up_required (the first time), keep the pending mark (gate)
 *   allow        pass                         audit step_up_completed (gate), note the activity (Node),
 *                                             set the record when it says something new
 *
 * The runtimes differ only where they must: the gate cannot write to the database (the Node side notes the
 * activity) and the Node side cannot set cookies while rendering a page (the gate keeps the step-up mark and
 * clears cookies; the Node side re-issues the record for the actions and API calls that move the clock).
 */
import type { ActivityWrite } from "@/lib/activity/store";
import type { AuditEvent, SessionEnd } from "@/lib/audit/events";
import type { PolicyConfig } from "@/lib/config/policy-config.js";
import { absoluteDeadline, areaFor, type Device } from "@/lib/policy/idle-rule";
import { needsReissue, type ActivityRecord } from "./activity-record";
import type { Evaluation, Judged as JudgedOnly } from "./evaluate";
import { isApiLike, movesClock, type RequestKind } from "./request-kind";
import { deadlinesOf, type SessionDeadlines } from "./status";

export type SignedOut = {
  kind: "signed-out";
  reason: "idle" | "absolute" | "revoked";
  lastPath: string | undefined;
  budgetSeconds: number | null;
};

export type Answer =
  | { kind: "pass"; deadlines: SessionDeadlines }
  | { kind: "sign-in" }
  | { kind: "step-up" }
  | SignedOut
  | { kind: "unavailable"; detail?: string };

export type Effect =
  /** end the session in Kratos; if that fails, nothing else happens and the answer is "unavailable" */
  | { type: "revoke"; sessionId: string }
  /** claim the session's end and write its audit row, exactly once (after the revocation) */
  | { type: "end"; end: SessionEnd }
  | { type: "audit"; event: AuditEvent }
  /** the throttled server-side activity write (Node only) */
  | { type: "note-activity"; write: ActivityWrite }
  /** `respond`: Set-Cookie on the answer; `forward`: the request passed on carries it (gate only) */
  | { type: "set-record"; record: ActivityRecord; respond: boolean; forward: boolean }
  | { type: "clear-cookies" };

type Judged = JudgedOnly & { askedKratos: boolean };

export interface Verdict {
  answer: Answer;
  effects: Effect[];
}

export interface EnforceContext {
  where: "gate" | "handler";
  kind: RequestKind;
  /** the path the evaluation judged (the audit's `page`) */
  path: string;
  device: Device;
  policy: PolicyConfig;
}

export function enforce(e: Evaluation, ctx: EnforceContext): Verdict {
  const clear: Effect[] = ctx.where === "gate" ? [{ type: "clear-cookies" }] : [];
  switch (e.outcome) {
    case "no-session":
      return { answer: { kind: "sign-in" }, effects: [] };
    case "unavailable":
      return { answer: { kind: "unavailable", detail: e.detail }, effects: [] };
    case "ended":
      return {
        answer: { kind: "signed-out", reason: e.reason, lastPath: e.lastPath, budgetSeconds: e.budgetSeconds },
        effects: clear,
      };
    case "expire":
      return expire(e, ctx, clear);
    case "step-up":
      return stepUp(e, ctx);
    case "allow":
      return allow(e, ctx);
  }
}

function expire(e: Judged, ctx: EnforceContext, clear: Effect[]): Verdict {
  const { session, decision } = e;
  const idle = decision.kind === "expire" && decision.reason === "idle" ? decision : null;
  const end: SessionEnd = {
    sessionId: session.sessionId,
    identityId: session.identityId,
    reason: idle ? "idle" : "absolute",
    detectedBy: ctx.where === "gate" ? "gate" : "request",
    lastPath: e.lastPath,
    area: idle?.budget.area.label ?? areaFor(e.lastPath, ctx.policy).area.label,
    idleSeconds: idle?.idleSeconds ?? null,
    budgetSeconds: idle?.budget.seconds ?? null,
    absoluteDeadline: absoluteDeadline(session, ctx.policy),
  };
  return {
    answer: { kind: "signed-out", reason: end.reason, lastPath: e.lastPath, budgetSeconds: end.budgetSeconds },
    effects: [{ type: "revoke", sessionId: session.sessionId }, { type: "end", end }, ...clear],
  };
}

function stepUp(e: Judged, ctx: EnforceContext): Verdict {
  const { session, decision } = e;
  const effects: Effect[] = [];
  if (e.stepUpStarted && decision.kind === "step-up") {
    const metadata = {
      page: ctx.path,
      area: decision.budget.area.label,
      idle_seconds: Math.round(decision.idleSeconds),
      budget_seconds: decision.budget.seconds,
    };
    effects.push({
      type: "audit",
      event: { eventType: "step_up_required", identityId: session.identityId, sessionId: session.sessionId, metadata },
    });
  }
  // The pending mark travels in the record; only the gate can set a cookie on this answer.
  if (ctx.where === "gate") effects.push({ type: "set-record", record: e.record, respond: true, forward: false });
  return { answer: { kind: "step-up" }, effects };
}

function allow(e: Judged, ctx: EnforceContext): Verdict {
  const { session, record } = e;
  const subject = { role: session.role, preference: session.preference, device: ctx.device };
  const deadlines = deadlinesOf(session, record, subject, ctx.policy);
  const effects: Effect[] = [];
  if (ctx.where === "gate") {
    if (e.stepUpCompleted) {
      const event: AuditEvent = {
        eventType: "step_up_completed",
        identityId: session.identityId,
        sessionId: session.sessionId,
        metadata: { page: ctx.path },
      };
      effects.push({ type: "audit", event });
    }
    effects.push(...gateRecord(e, ctx.kind));
  } else {
    // IMPORTANT: throttled by the adapter. The server's record lags real activity by at most
    // activityWriteSeconds; the sweeper waits that long past a deadline.
    const write = {
      sessionId: session.sessionId,
      identityId: session.identityId,
      lastActivityAt: record.lastActivityAt,
      lastPath: record.lastPath,
    };
    effects.push({
      type: "note-activity",
      write: { ...write, budgetSeconds: deadlines.budget.seconds, absoluteDeadline: deadlines.absoluteDeadline },
    });
    // Actions and API calls move the clock here, where they run (the gate cannot know that an action id
    // exists or an API call reaches a handler): the browser gets the new record with this answer.
    if ((ctx.kind === "action" || ctx.kind === "api") && needsReissue(e.presented, record, true)) {
      effects.push({ type: "set-record", record, respond: true, forward: false });
    }
  }
  return { answer: { kind: "pass", deadlines }, effects };
}

/**
 * The gate's record after an allow. `respond` (Set-Cookie) only when the record says something new for this
 * kind (needsReissue: a poll or prefetch that only re-checked with Kratos must not put an older record back).
 * `forward`: the Node side sees what the gate just learnt in this same request, so its own look needs no
 * Kratos call: pages and actions whenever the record changed at all (its check time included), API calls
 * only when the gate asked Kratos (otherwise the record they presented is still fresh there; overriding
 * request headers is most of what Next charges a middleware).
 */
function gateRecord(e: Judged, kind: RequestKind): Effect[] {
  const respond = needsReissue(e.presented, e.record, movesClock(kind, "gate"));
  const forward = e.askedKratos || (!isApiLike(kind) && (respond || needsReissue(e.presented, e.record, true)));
  return respond || forward ? [{ type: "set-record", record: e.record, respond, forward }] : [];
}
