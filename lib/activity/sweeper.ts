import "server-only";
/**
 * The sweeper: revokes, in Kratos, every session idle past its budget (plus the activity-write slack) or
 * past its absolute deadline, even when its browser never comes back.
 *
 * Safe with several app instances at once: rows are claimed with FOR UPDATE SKIP LOCKED inside one
 * transaction, and claimEnd() ends a session only if nobody ended it before, so each expiry is revoked
 * once and gets exactly one audit row. A session Kratos cannot revoke right now stays live in the table
 * and is retried on the next pass.
 *
 * IMPORTANT: activity that has not reached the table yet makes a session look idler than it is, so a pass
 * must never run ahead of it (sweepWhenSafe). Without that, a PostgreSQL outage longer than the budget ended
 * every session that stayed active through it, the moment the database came back (their heartbeats were
 * still in the outbox; test/resilience/postgres-outage.test.ts).
 * - This process's own queued writes: a pass waits until every write queued before it has landed.
 * - Other instances' queued writes: after a pass failed on the database, the first pass once it answers
 *   again is held for RECOVERY_HOLD_MS, twice the outbox's longest retry delay, so their backlogs land
 *   first. (Bound: an instance whose backlog takes longer than that to write can still lose a race.)
 * After each pass it also folds the audit trail's pending hourly counts in (lib/audit/rollup.ts).
 */
import type { SessionEnd } from "@/lib/audit/events";
import { readPolicy } from "@/lib/config/env.js";
import { db, inTransaction } from "@/lib/db/pool";
import { revokeSession } from "@/lib/kratos/admin";
import { compactAuditRollup } from "@/lib/audit/rollup";
import { areaFor } from "@/lib/policy/idle-rule";
import { OUTBOX_MAX_RETRY_MS, outboxStats, settled } from "./outbox";
import { claimEnd } from "./store";

export const RECOVERY_HOLD_MS = 2 * OUTBOX_MAX_RETRY_MS;

export interface SweepResult {
  due: number;
  ended: number;
  failed: number;
}

interface DueRow {
  session_id: string;
  identity_id: string;
  last_path: string;
  budget_seconds: number | null;
  idle_seconds: number;
  absolute_ms: string;
  absolute: boolean;
}

const DUE_SESSIONS = `SELECT session_id, identity_id, last_path, budget_seconds,
        extract(epoch FROM now() - last_activity_at)::float8 AS idle_seconds,
        (extract(epoch FROM absolute_deadline) * 1000)::bigint AS absolute_ms,
        absolute_deadline <= now() AS absolute
   FROM session_activity
  WHERE ended_at IS NULL
    AND (idle_deadline < now() - make_interval(secs => $1) OR absolute_deadline <= now())
  LIMIT $2
  FOR UPDATE SKIP LOCKED`;

function sessionEndOf(row: DueRow, policy: ReturnType<typeof readPolicy>): SessionEnd {
  return {
    sessionId: row.session_id,
    identityId: row.identity_id,
    reason: row.absolute ? "absolute" : "idle",
    detectedBy: "sweeper",
    lastPath: row.last_path,
    area: areaFor(row.last_path, policy).area.label,
    idleSeconds: row.idle_seconds,
    budgetSeconds: row.budget_seconds,
    absoluteDeadline: Number(row.absolute_ms),
  };
}

export async function sweepOnce(
  opts: { slackSeconds?: number; limit?: number; concurrency?: number; revoke?: (id: string) => Promise<void> } = {},
): Promise<SweepResult> {
  const policy = readPolicy();
  const slack = opts.slackSeconds ?? policy.activityWriteSeconds;
  const revoke = opts.revoke ?? revokeSession;
  return inTransaction(async (client) => {
    const { rows } = await client.query<DueRow>(DUE_SESSIONS, [slack, opts.limit ?? 1000]);
    let ended = 0;
    let failed = 0;
    const queue = [...rows];
    // Kratos calls run concurrently; statements on the transaction's one client run one at a time.
    let dbTurn: Promise<unknown> = Promise.resolve();
    const serially = <T>(work: () => Promise<T>): Promise<T> => {
      const result = dbTurn.then(work);
      dbTurn = result.catch(() => undefined);
      return result;
    };
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        try {
          await revoke(row.session_id);
        } catch (error) {
          failed += 1;
          if (failed === 1)
            console.error(`[sweeper] revocation failed, will retry next pass: ${(error as Error).message}`);
          continue;
        }
        if (await serially(() => claimEnd(client, sessionEndOf(row, policy)))) ended += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, Math.max(1, rows.length)) }, worker));
    return { due: rows.length, ended, failed };
  });
}

/**
 * One periodic pass, never ahead of queued activity (see the header). Returns null while held back after
 * an outage; throws (to be logged and retried) while the database is unreachable.
 */
export function sweepWhenSafe(): () => Promise<SweepResult | null> {
  let databaseFailed = false;
  let holdUntil = 0;
  return async () => {
    // This process's writes failing means the database is (or just was) unreachable for everyone.
    if (outboxStats().lastError !== null) databaseFailed = true;
    await settled(); // this process's queued activity lands first (this waits out an outage)
    if (databaseFailed) {
      await db().query("SELECT 1"); // still down: throws, and the next tick asks again
      databaseFailed = false;
      holdUntil = Date.now() + RECOVERY_HOLD_MS;
    }
    if (Date.now() < holdUntil) return null;
    try {
      const result = await sweepOnce();
      await compactAuditRollup();
      return result;
    } catch (error) {
      databaseFailed = true; // both throw only on database errors (a failed revocation is counted)
      throw error;
    }
  };
}

const g = globalThis as unknown as { __sweeper?: ReturnType<typeof setInterval> };

/** Starts the periodic sweep in this process (instrumentation.ts). Idempotent. */
export function startSweeper(): void {
  if (g.__sweeper) return;
  const policy = readPolicy();
  let running = false;
  let lastError = "";
  const pass = sweepWhenSafe();
  g.__sweeper = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await pass();
      if (result && result.ended > 0) console.log(`[sweeper] ended ${result.ended} abandoned session(s)`);
      lastError = "";
    } catch (error) {
      const message = (error as Error).message;
      if (message !== lastError) console.error(`[sweeper] pass failed, will retry: ${message}`);
      lastError = message;
    } finally {
      running = false;
    }
  }, policy.sweepIntervalSeconds * 1000);
  g.__sweeper.unref?.();
}
