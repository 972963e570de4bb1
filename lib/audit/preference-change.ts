import "server-only";
/**
 * The one writer of `idle_preference_changed` (db/migrations/006): every path that can change the Kratos
 * trait `idle_timeout_minutes` reports the value it saved here, and a row is written only when that value
 * differs from the last one the app knew. Compare, update and audit happen in one transaction under a row
 * lock, so two reports of the same change (two instances, a retried hook) give one row, and a save that
 * changed only the name gives none.
 */
import type { PoolClient } from "pg";
import { enqueue } from "@/lib/activity/outbox";
import { inTransaction } from "@/lib/db/pool";
import { insertAudit } from "./write";

/** How the trait was changed: the app's own settings form, or Kratos' settings flow (its web hook). */
export type PreferenceChannel = "app_settings" | "kratos_settings_flow";

export interface PreferenceChange {
  identityId: string;
  sessionId: string | null;
  /** the saved value: minutes, 0 = "Never", null = no choice */
  to: number | null;
  via: PreferenceChannel;
  /** The value before the change, when the caller knows it (the app's form does; Kratos' hook cannot). */
  knownFrom?: number | null;
}

/** Records the change; true when an audit row was written. */
export function recordPreferenceChange(change: PreferenceChange): Promise<boolean> {
  return inTransaction((client) => recordIn(client, change));
}

/**
 * The same through the outbox: the trait is already saved in Kratos, so the request never fails on the
 * database; while PostgreSQL is down the report waits and is retried (a retry after a commit whose answer
 * was lost finds the value unchanged and writes nothing).
 */
export function reportPreferenceChange(change: PreferenceChange): void {
  enqueue("audit idle_preference_changed", async () => {
    await recordPreferenceChange(change);
  });
}

async function recordIn(client: PoolClient, change: PreferenceChange): Promise<boolean> {
  const { identityId, to } = change;
  // The first report for an identity sets the baseline: the old value when the caller knows it, otherwise
  // the saved value itself, and then the change is audited with its previous value unknown.
  const baseline = change.knownFrom === undefined ? to : change.knownFrom;
  const first = await client.query(
    "INSERT INTO idle_preference (identity_id, minutes) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    [identityId, baseline],
  );
  if (first.rowCount === 1 && change.knownFrom === undefined) return audited(client, change, null);
  const known = await client.query<{ minutes: number | null }>(
    "SELECT minutes FROM idle_preference WHERE identity_id = $1 FOR UPDATE",
    [identityId],
  );
  const before = known.rows[0]?.minutes ?? null;
  if (before === to) return false;
  await client.query("UPDATE idle_preference SET minutes = $2, updated_at = now() WHERE identity_id = $1", [
    identityId,
    to,
  ]);
  return audited(client, change, { minutes: before });
}

/** `from` null: the app had never seen this identity's choice, so the value before the change is unknown. */
async function audited(
  client: PoolClient,
  change: PreferenceChange,
  from: { minutes: number | null } | null,
): Promise<true> {
  await insertAudit(client, {
    eventType: "idle_preference_changed",
    identityId: change.identityId,
    sessionId: change.sessionId,
    metadata: { from: from ? from.minutes : null, to: change.to, via: change.via, from_known: from !== null },
  });
  return true;
}
