/**
 * Server deadlines on the browser's monotonic clock. Pure.
 *
 * The server sends epoch-ms deadlines with its own `serverNow`. The browser measures the round trip with
 * performance.now() and places each deadline at `receivedAt + (deadline - serverNow) - rtt/2` on the
 * monotonic clock. Date.now() is never used, so a wrong or changed device clock cannot move a deadline.
 * (The monotonic clock may pause while the device sleeps: the provider re-syncs on wake.)
 */
import type { SessionStatus } from "@/lib/session/status";

/** The server's answer (built and read by lib/session/status.ts). */
export type { SessionStatus };

export interface Deadlines {
  /** performance.now() values */
  idleAt: number | null;
  absoluteAt: number;
  warnAt: number | null;
  absoluteWarnAt: number;
  budgetSeconds: number | null;
  area: string;
  warningSeconds: number;
  /**
   * the absolute deadline as the server sent it (its epoch ms): names the deadline across answers (a closed
   * absolute warning stays closed for it). Never a time to act on; the dialog shows `absoluteAt` on the
   * device's own clock, the one the person compares it with.
   */
  absoluteEndsAt: number;
  /** whether signing in again moves the absolute deadline ("last-authentication") or not ("sign-in") */
  absoluteFrom: SessionStatus["absoluteFrom"];
  /** whether the mouse moving over the page is activity (the policy's choice) */
  pointerMovement: boolean;
}

export function toDeadlines(status: SessionStatus, sentAt: number, receivedAt: number): Deadlines {
  const rtt = Math.max(0, receivedAt - sentAt);
  const serverNowMono = receivedAt - rtt / 2;
  const mono = (epoch: number) => serverNowMono + (epoch - status.serverNow);
  // WCAG 2.2.1: at least 20 s to answer, never more than the budget itself.
  const warning = Math.max(20, status.warningSeconds);
  const idleAt = status.idleExpiresAt === null ? null : mono(status.idleExpiresAt);
  const absoluteAt = mono(status.absoluteExpiresAt);
  return {
    idleAt,
    absoluteAt,
    warnAt: idleAt === null ? null : idleAt - warning * 1000,
    absoluteWarnAt: absoluteAt - status.absoluteWarningSeconds * 1000,
    budgetSeconds: status.idleBudgetSeconds,
    area: status.area,
    warningSeconds: warning,
    absoluteEndsAt: status.absoluteExpiresAt,
    absoluteFrom: status.absoluteFrom,
    pointerMovement: status.pointerMovement,
  };
}

/** Seconds left until `at` (monotonic), never negative, rounded up: "1" until the very end. */
export function secondsLeft(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** How often a heartbeat may go out while the user is active: at most every 30 s, and well within the budget. */
export function heartbeatInterval(budgetSeconds: number | null, warningSeconds: number): number {
  if (budgetSeconds === null) return 30_000;
  const room = Math.max(1, budgetSeconds - warningSeconds);
  return Math.min(30_000, Math.max(2_000, (room * 1000) / 2));
}

/**
 * While the warning shows: milliseconds to the next whole second before `idleAt`, so each tick lands where
 * the countdown changes (1 s apart, never 2). Past the deadline, 1 s.
 */
export function msToNextTick(idleAt: number, now: number): number {
  const left = idleAt - now;
  return left > 0 ? left % 1000 || 1000 : 1000;
}
