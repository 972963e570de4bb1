import "server-only";
/**
 * The heartbeat (POST /api/session/activity): activity the browser reports, "I'm still here", or a long
 * operation's lease. The strictest open page's budget governs; the record and the server's activity move to
 * now; "I'm still here" answered while a warning was open is audited once per warning.
 */
import { noteActivity } from "@/lib/activity/store";
import { auditOncePerWarning } from "@/lib/audit/warning-events";
import { openWarning } from "@/lib/audit/warning-window";
import { readPolicy } from "@/lib/config/env.js";
import { strictestPath } from "@/lib/policy/idle-rule";
import { touch } from "@/lib/session/activity-record";
import { deadlinesOf, sessionStatus, type SessionStatus } from "@/lib/session/status";
import { saveRecord } from "./record";
import type { VerifiedSession } from "./session-check";

export interface Heartbeat {
  reason: "heartbeat" | "still-here" | "lease";
  /** pages open in this browser's tabs */
  paths?: string[];
}

export async function recordHeartbeat(session: VerifiedSession, beat: Heartbeat): Promise<SessionStatus> {
  const policy = readPolicy();
  const now = Date.now();
  const subject = { role: session.role, preference: session.preference, device: session.device };
  const governing = strictestPath(beat.paths ?? [], subject, policy) ?? session.record.lastPath;
  const record = touch(session.record, now, governing);
  const deadlines = deadlinesOf(session, record, subject, policy);
  const write = {
    sessionId: session.sessionId,
    identityId: session.identityId,
    lastActivityAt: now,
    lastPath: governing,
  };
  noteActivity(
    { ...write, budgetSeconds: deadlines.budget.seconds, absoluteDeadline: deadlines.absoluteDeadline },
    policy.activityWriteSeconds * 1000,
    beat.reason === "still-here",
  );
  // The check does not count this request as activity (the heartbeat moves the clock here), so the session's
  // idle deadline is still the one before this request: was its warning open?
  const warning = beat.reason === "still-here" ? openWarning(now, session.idleDeadline, policy.warningSeconds) : null;
  if (warning) {
    auditOncePerWarning({
      eventType: "session_extended",
      identityId: session.identityId,
      sessionId: session.sessionId,
      warning,
      area: deadlines.budget.area.label,
      details: { page: governing, budget_seconds: deadlines.budget.seconds },
    });
  }
  await saveRecord(record);
  return sessionStatus(deadlines, policy, now);
}
