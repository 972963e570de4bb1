/**
 * THE IDLE RULE. One pure module decides, for one request, whether a session may go on, must
 * re-authenticate (step-up) or is over. No I/O, no clock: `now` is passed in, so the same function serves
 * the Edge gate, server actions, the sweeper and the table-driven tests.
 *
 * The rule, with idle = now - last activity:
 *   now >= absolute deadline                 -> expire (absolute); idle time never extends it, and it counts
 *                                               from sign-in or the last authentication (policy.absoluteFrom)
 *   idle > budget(area of the last activity) -> expire (idle): the session died where the user left it
 *   max(idle, longest gap) > budget(requested area)
 *                                            -> step-up: re-authenticate, keep the session
 *   otherwise                                -> allow
 *
 * Sticky ceilings: the longest gap between two activities since the last authentication is remembered
 * (in the signed record) until the person re-authenticates. Idle 7 minutes on /dashboard, then a click on
 * /dashboard, then /billing (5 minutes): the step-up is still due. Without it, any normal page opened
 * first reset the clock and side-stepped every stricter area.
 *
 * Budgets: the normal budget (desktop / mobile, or the user's own choice) applies everywhere; sensitive
 * areas carry ceilings that always win when stricter (on mobile too, whatever the user chose); admins are
 * capped and can never have "never". Exactly at the budget is still allowed; one second past is not.
 */
import type { PolicyConfig } from "@/lib/config/policy-config.js";

export type { PolicyConfig };
export type Device = "desktop" | "mobile";
export type Role = "user" | "admin";
/** The user's choice from the Kratos trait: 0 = never, else minutes; undefined = the policy's default. */
export type IdlePreference = 0 | 15 | 30 | 60;

export const IDLE_PREFERENCES: readonly IdlePreference[] = [0, 15, 30, 60];

export interface Subject {
  role: Role;
  preference: IdlePreference | undefined;
  device: Device;
}

export interface Area {
  /** "/billing", or "/" for every page without a ceiling. */
  prefix: string;
  label: string;
}

export const NORMAL_AREA: Area = { prefix: "/", label: "normal pages" };

export interface Budget {
  area: Area;
  /** null: no idle limit ("never"); the absolute lifetime still applies. */
  seconds: number | null;
}

export type Decision =
  | { kind: "allow"; budget: Budget; idleDeadline: number | null }
  | { kind: "step-up"; budget: Budget; idleSeconds: number }
  | { kind: "expire"; reason: "idle"; budget: Budget; idleSeconds: number }
  | { kind: "expire"; reason: "absolute" };

export interface SessionTimes {
  /** All times in epoch milliseconds. */
  now: number;
  /** Kratos issued_at: when the session was created (the first sign-in; a refresh login keeps it). */
  issuedAt: number;
  /** Kratos authenticated_at: authentication counts as activity. */
  authenticatedAt: number;
  /** Kratos expires_at (authenticated_at + lifespan). */
  expiresAt: number;
  /** Last activity known (signed record or server record); undefined when none is known. */
  lastActivityAt: number | undefined;
  /** Path where that activity happened (or the strictest page open in the browser). */
  lastActivityPath: string | undefined;
  /** The longest gap between activities since `authenticatedAt`, in ms (sticky ceilings); 0 when unknown. */
  longestGapMs?: number;
}

/** Prefix match on whole path segments: "/billing" matches "/billing" and "/billing/x", not "/billingx". */
export function matchesPrefix(path: string, prefix: string): boolean {
  if (prefix === "/") return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The strictest ceiling covering `path`, or the normal area. */
export function areaFor(path: string, policy: PolicyConfig): { area: Area; ceiling: number | null } {
  let best: { area: Area; ceiling: number } | null = null;
  for (const c of policy.ceilings) {
    if (matchesPrefix(path, c.prefix) && (best === null || c.seconds < best.ceiling)) {
      best = { area: { prefix: c.prefix, label: c.label }, ceiling: c.seconds };
    }
  }
  return best ?? { area: NORMAL_AREA, ceiling: null };
}

/** The normal budget for this subject: device default, or the user's choice, capped for admins. */
export function normalBudgetSeconds(subject: Subject, policy: PolicyConfig): number | null {
  let seconds: number | null =
    subject.preference === undefined
      ? subject.device === "mobile"
        ? policy.idleMobileSeconds
        : policy.idleDesktopSeconds
      : subject.preference === 0
        ? null
        : policy.preferenceSeconds[subject.preference];
  if (subject.role === "admin")
    seconds = seconds === null ? policy.adminCapSeconds : Math.min(seconds, policy.adminCapSeconds);
  return seconds;
}

export function budgetFor(path: string, subject: Subject, policy: PolicyConfig): Budget {
  const { area, ceiling } = areaFor(path, policy);
  const normal = normalBudgetSeconds(subject, policy);
  const seconds = ceiling === null ? normal : normal === null ? ceiling : Math.min(normal, ceiling);
  return { area, seconds };
}

/** Of several paths (e.g. every tab's page), the one with the smallest budget governs. */
export function strictestPath(paths: readonly string[], subject: Subject, policy: PolicyConfig): string | undefined {
  let best: { path: string; seconds: number } | undefined;
  for (const path of paths) {
    const s = budgetFor(path, subject, policy).seconds ?? Number.POSITIVE_INFINITY;
    if (best === undefined || s < best.seconds) best = { path, seconds: s };
  }
  return best?.path;
}

/** When a session idle since `lastActivityAt` ends under `budget` (null: no idle limit). */
export function idleDeadline(lastActivityAt: number, budget: Budget): number | null {
  return budget.seconds === null ? null : lastActivityAt + budget.seconds * 1000;
}

/**
 * The absolute deadline: the policy's lifetime counted from the session's first sign-in (`issuedAt`) or from
 * its last authentication (`authenticatedAt`, moved by a step-up), never later than Kratos' own expiry.
 * Kratos sets expires_at = authenticated_at + lifespan, so in "sign-in" mode the app's limit is the earlier.
 */
export function absoluteDeadline(
  times: Pick<SessionTimes, "issuedAt" | "authenticatedAt" | "expiresAt">,
  policy: PolicyConfig,
): number {
  const from = policy.absoluteFrom === "sign-in" ? times.issuedAt : times.authenticatedAt;
  return Math.min(times.expiresAt, from + policy.absoluteSeconds * 1000);
}

/** Activity never predates the authentication that started (or refreshed) the session. */
export function effectiveLastActivity(times: Pick<SessionTimes, "authenticatedAt" | "lastActivityAt">): number {
  return Math.max(times.authenticatedAt, times.lastActivityAt ?? times.authenticatedAt);
}

export function decide(times: SessionTimes, requestedPath: string, subject: Subject, policy: PolicyConfig): Decision {
  if (times.now >= absoluteDeadline(times, policy)) return { kind: "expire", reason: "absolute" };
  const last = effectiveLastActivity(times);
  const idleSeconds = Math.max(0, (times.now - last) / 1000);
  const lastBudget = budgetFor(times.lastActivityPath ?? requestedPath, subject, policy);
  if (lastBudget.seconds !== null && idleSeconds > lastBudget.seconds) {
    return { kind: "expire", reason: "idle", budget: lastBudget, idleSeconds };
  }
  const budget = budgetFor(requestedPath, subject, policy);
  const worstSeconds = Math.max(idleSeconds, (times.longestGapMs ?? 0) / 1000);
  if (budget.seconds !== null && worstSeconds > budget.seconds)
    return { kind: "step-up", budget, idleSeconds: worstSeconds };
  return { kind: "allow", budget, idleDeadline: idleDeadline(last, budget) };
}

/**
 * The path a request is judged by. A page or action: its own path. An API call: the page the user is on,
 * and the area its URL names: `/api/admin/...` is judged as `/admin`, `/api/billing/...` as `/billing`
 * (prefix-mirrored, so a new ceiling covers its API too). `declared`: an area the Node side names itself
 * (verifyAdmin() names /admin, billing actions /billing), wherever the request was posted from.
 * The strictest candidate wins.
 */
export function judgedPath(
  req: { path: string; apiLike: boolean; lastPath: string | undefined; declared?: string },
  subject: Subject,
  policy: PolicyConfig,
): string {
  const own = req.apiLike ? (req.lastPath ?? "/") : req.path;
  const candidates = [own];
  if (req.apiLike && req.path.startsWith("/api/")) candidates.push(req.path.slice(4));
  if (req.declared) candidates.push(req.declared);
  return strictestPath(candidates, subject, policy) ?? own;
}

/** Step-up for sensitive actions: the last authentication must be younger than the window. */
export function authenticationIsFresh(authenticatedAt: number, now: number, policy: PolicyConfig): boolean {
  return now - authenticatedAt <= policy.stepUpWindowSeconds * 1000;
}

/** Device class from client hints, falling back to the User-Agent. */
export function deviceFrom(secChUaMobile: string | null | undefined, userAgent: string | null | undefined): Device {
  if (secChUaMobile === "?1") return "mobile";
  if (secChUaMobile === "?0") return "desktop";
  return /Mobi|Android|iPhone|iPad|iPod/i.test(userAgent ?? "") ? "mobile" : "desktop";
}

/** Whether an admin may choose `preference`: never "never", nothing longer than the admin cap. */
export function adminMayChoose(preference: IdlePreference, policy: PolicyConfig): boolean {
  return preference !== 0 && policy.preferenceSeconds[preference] <= policy.adminCapSeconds;
}

export function isIdlePreference(value: unknown): value is IdlePreference {
  return typeof value === "number" && (IDLE_PREFERENCES as readonly number[]).includes(value);
}
