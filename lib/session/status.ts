/**
 * THE SESSION STATUS: what GET /api/session and POST /api/session/activity answer, and what the browser
 * reads back (components/idle/session-api.ts). One builder, one deadline formula (the rule module's), one
 * parser. Pure; safe in the browser bundle.
 */
import type { PolicyConfig } from "@/lib/config/policy-config.js";
import { absoluteDeadline, budgetFor, idleDeadline, type Budget, type Subject } from "@/lib/policy/idle-rule";
import type { Session } from "./session";

export interface SessionStatus {
  /** the server's clock when it answered (epoch ms): the client places the deadlines relative to it */
  serverNow: number;
  idleExpiresAt: number | null;
  absoluteExpiresAt: number;
  idleBudgetSeconds: number | null;
  area: string;
  warningSeconds: number;
  absoluteWarningSeconds: number;
  /** where the absolute deadline counts from: whether signing in again moves it (the absolute warning says) */
  absoluteFrom: PolicyConfig["absoluteFrom"];
  /** whether the mouse moving over the page is activity (policy.activity; the browser throttles it) */
  pointerMovement: boolean;
}

/** A session's deadlines from its last activity (and the path whose budget governs it). */
export interface SessionDeadlines {
  budget: Budget;
  idleDeadline: number | null;
  absoluteDeadline: number;
}

export function deadlinesOf(
  session: Pick<Session, "issuedAt" | "authenticatedAt" | "expiresAt">,
  activity: { lastActivityAt: number; lastPath: string },
  subject: Subject,
  policy: PolicyConfig,
): SessionDeadlines {
  const budget = budgetFor(activity.lastPath, subject, policy);
  return {
    budget,
    idleDeadline: idleDeadline(activity.lastActivityAt, budget),
    absoluteDeadline: absoluteDeadline(session, policy),
  };
}

export function sessionStatus(deadlines: SessionDeadlines, policy: PolicyConfig, now: number): SessionStatus {
  return {
    serverNow: now,
    idleExpiresAt: deadlines.idleDeadline,
    absoluteExpiresAt: deadlines.absoluteDeadline,
    idleBudgetSeconds: deadlines.budget.seconds,
    area: deadlines.budget.area.label,
    warningSeconds: policy.warningSeconds,
    absoluteWarningSeconds: policy.absoluteWarningSeconds,
    absoluteFrom: policy.absoluteFrom,
    pointerMovement: policy.activity.pointerMovement,
  };
}

/** The browser's reading of an answer: a status, or null for anything that is not one. */
export function readSessionStatus(body: unknown): SessionStatus | null {
  if (typeof body !== "object" || body === null) return null;
  const s = body as SessionStatus;
  const times = [s.serverNow, s.absoluteExpiresAt, s.warningSeconds, s.absoluteWarningSeconds];
  const valid = times.every(Number.isFinite) && (s.idleExpiresAt === null || Number.isFinite(s.idleExpiresAt));
  const from = s.absoluteFrom === "last-authentication" ? s.absoluteFrom : "sign-in";
  // An answer without the newer fields (an older instance mid-deploy) reads as the stricter reading of each.
  return valid ? { ...s, absoluteFrom: from, pointerMovement: s.pointerMovement === true } : null;
}
