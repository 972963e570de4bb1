import "server-only";
/**
 * The audit trail's hourly counts (db/migrations/007): the trigger on security_audit adds pending counts in
 * each writer's own transaction; this moves them into audit_rollup, so reads stay small. Readers add both
 * tables, so how often this runs changes speed, never an answer. The sweeper calls it after each pass.
 */
import type { PoolClient } from "pg";
import { db } from "@/lib/db/pool";

/** Returns how many pending rows were folded in (0 when another instance is compacting right now). */
export async function compactAuditRollup(client: Pick<PoolClient, "query"> = db()): Promise<number> {
  const { rows } = await client.query<{ moved: string }>("SELECT audit_rollup_compact() AS moved");
  return Number(rows[0]?.moved ?? 0);
}
