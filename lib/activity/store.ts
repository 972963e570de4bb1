import "server-only";
/**
 * The server-side activity record (table session_activity) and the exactly-once end of a session.
 */
import type { PoolClient } from "pg";
import { insertAudit } from "@/lib/audit/write";
import { sessionEndAudit, type SessionEnd } from "@/lib/audit/events";
import { db, inTransaction } from "@/lib/db/pool";
import { enqueue } from "./outbox";

export interface ActivityWrite {
  sessionId: string;
  identityId: string;
  lastActivityAt: number;
  lastPath: string;
  budgetSeconds: number | null;
  absoluteDeadline: number;
}

/** Upsert that only ever moves last activity forward, and never touches an ended session. */
export async function writeActivity(a: ActivityWrite): Promise<void> {
  await db().query(
    `INSERT INTO session_activity
       (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline, absolute_deadline)
     VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4, $5::int,
             to_timestamp(($3::float8 + $5::int * 1000.0) / 1000), to_timestamp($6::float8 / 1000))
     ON CONFLICT (session_id) DO UPDATE SET
       last_activity_at = EXCLUDED.last_activity_at,
       last_path = EXCLUDED.last_path,
       budget_seconds = EXCLUDED.budget_seconds,
       idle_deadline = EXCLUDED.idle_deadline,
       absolute_deadline = EXCLUDED.absolute_deadline,
       updated_at = now()
     WHERE session_activity.ended_at IS NULL AND session_activity.last_activity_at <= EXCLUDED.last_activity_at`,
    [a.sessionId, a.identityId, a.lastActivityAt, a.lastPath, a.budgetSeconds, a.absoluteDeadline],
  );
}

export async function readActivity(
  sessionId: string,
): Promise<{ lastActivityAt: number; lastPath: string; ended: boolean } | null> {
  const { rows } = await db().query<{ la: string; last_path: string; ended: boolean }>(
    "SELECT (extract(epoch FROM last_activity_at) * 1000)::bigint AS la, last_path, ended_at IS NOT NULL AS ended " +
      "FROM session_activity WHERE session_id = $1",
    [sessionId],
  );
  const row = rows[0];
  return row ? { lastActivityAt: Number(row.la), lastPath: row.last_path, ended: row.ended } : null;
}

/**
 * Marks a session ended and writes its audit row in one transaction, only if nobody ended it before
 * (the gate, a request, another instance's sweeper): exactly one row per expiry.
 * Returns whether this call was the one that ended it.
 */
export async function claimEnd(client: PoolClient, end: SessionEnd): Promise<boolean> {
  if (!(await claimRow(client, { ...end, endReason: end.reason }))) return false;
  await insertAudit(client, sessionEndAudit(end));
  return true;
}

/** Ends the session's row (creating it if the app never saw activity) unless it already ended. */
async function claimRow(
  client: PoolClient,
  end: {
    sessionId: string;
    identityId: string;
    lastPath: string;
    absoluteDeadline: number;
    endReason: "idle" | "absolute" | "manual";
  },
): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO session_activity (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline,
       absolute_deadline, ended_at, end_reason)
     VALUES ($1, $2, now(), $3, NULL, NULL, to_timestamp($4::float8 / 1000), now(), $5)
     ON CONFLICT (session_id) DO UPDATE SET ended_at = now(), end_reason = EXCLUDED.end_reason, updated_at = now()
     WHERE session_activity.ended_at IS NULL`,
    [end.sessionId, end.identityId, end.lastPath, end.absoluteDeadline, end.endReason],
  );
  return rowCount !== 0;
}

export function endSessionNow(end: SessionEnd): Promise<boolean> {
  return inTransaction((client) => claimEnd(client, end));
}

/** Queued (retried while PostgreSQL is down): the revocation in Kratos has already happened. */
export function recordSessionEnd(end: SessionEnd): void {
  enqueue(`end ${end.reason}`, async () => {
    await endSessionNow(end);
  });
}

/** A manual sign-out Kratos has confirmed (the revocation happened before this is called). */
export interface ManualEnd {
  sessionId: string;
  identityId: string;
  lastPath: string;
  absoluteDeadline: number;
}

/**
 * Marks the session ended (manual) and writes its `signed_out` row in one transaction, only if nobody
 * ended it before (a second click, the sweeper, the gate): exactly one end row per session.
 */
function claimManualEnd(end: ManualEnd): Promise<void> {
  return inTransaction(async (client) => {
    if (!(await claimRow(client, { ...end, endReason: "manual" }))) return;
    await insertAudit(client, {
      eventType: "signed_out",
      identityId: end.identityId,
      sessionId: end.sessionId,
      metadata: { page: end.lastPath },
    });
  });
}

/** Queued (retried while PostgreSQL is down). Call only once Kratos has confirmed the revocation. */
export function recordSignedOut(end: ManualEnd): void {
  enqueue("end manual", () => claimManualEnd(end));
}

/** Marks a session ended for another reason (manual sign-out, admin) so the sweeper leaves it alone. */
export async function markEnded(
  client: Pick<PoolClient, "query">,
  sessionId: string,
  reason: "manual" | "admin",
): Promise<void> {
  await client.query(
    "UPDATE session_activity SET ended_at = now(), end_reason = $2, updated_at = now() " +
      "WHERE session_id = $1 AND ended_at IS NULL",
    [sessionId, reason],
  );
}

// ---- throttled activity writes -------------------------------------------------------------------

const g = globalThis as unknown as { __lastWritten?: Map<string, { at: number; absolute: number }> };
const lastWritten = (g.__lastWritten ??= new Map());

/**
 * Writes the activity record at most once per `minIntervalMs` per session (per process). The server's
 * record therefore lags real activity by at most that interval: the sweeper adds it as slack.
 * `force` writes at once (e.g. "keep me signed in"). A new absolute deadline (a re-authentication under
 * absoluteFrom "last-authentication") is written at once too: the sweeper must not end the session at the
 * old one. Returns whether a write was queued.
 */
export function noteActivity(a: ActivityWrite, minIntervalMs: number, force = false): boolean {
  const previous = lastWritten.get(a.sessionId);
  const moved = previous !== undefined && previous.absolute !== a.absoluteDeadline;
  if (!force && !moved && previous !== undefined && a.lastActivityAt - previous.at < minIntervalMs) return false;
  if (previous !== undefined && a.lastActivityAt <= previous.at && !force && !moved) return false;
  lastWritten.set(a.sessionId, { at: Math.max(previous?.at ?? 0, a.lastActivityAt), absolute: a.absoluteDeadline });
  if (lastWritten.size > 100_000) {
    const oldest = lastWritten.keys().next().value;
    if (oldest !== undefined) lastWritten.delete(oldest);
  }
  enqueue("activity", () => writeActivity(a));
  return true;
}

/** A manual sign-out or an admin's revocation: the sweeper must leave the session alone. Queued. */
export function recordOtherEnd(sessionId: string, reason: "manual" | "admin"): void {
  enqueue(`end ${reason}`, () => markEnded(db(), sessionId, reason));
}
