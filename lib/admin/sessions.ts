import "server-only";
/**
 * "End all sessions of a user" (admins): revoked in Kratos first (the only step that signs the user out),
 * then the server-side activity rows are marked ended (reason 'admin', so the sweeper never reports them
 * as idle expiries later) and the audit row is written. Both writes go through the outbox, in this order:
 * a PostgreSQL blip delays them, never loses them.
 */
import type { Pool } from "pg";
import { enqueue } from "@/lib/activity/outbox";
import { audit } from "@/lib/audit/write";
import { db } from "@/lib/db/pool";
import { revokeIdentitySessions } from "@/lib/kratos/admin";

/**
 * Marks the identity's live rows ended. Only rows whose last activity is not after the revocation: a
 * session the user opened since (signed in again) is a new session and stays live.
 */
export async function markIdentitySessionsEnded(
  client: Pick<Pool, "query">,
  identityId: string,
  revokedAt: number,
): Promise<number> {
  const { rowCount } = await client.query(
    `UPDATE session_activity SET ended_at = now(), end_reason = 'admin', updated_at = now()
     WHERE identity_id = $1 AND ended_at IS NULL AND last_activity_at <= to_timestamp($2::float8 / 1000)`,
    [identityId, revokedAt],
  );
  return rowCount ?? 0;
}

/** Throws KratosUnavailableError (nothing changed) when Kratos cannot revoke. */
export async function endAllSessions(admin: { identityId: string }, targetIdentityId: string): Promise<void> {
  await revokeIdentitySessions(targetIdentityId);
  const revokedAt = Date.now();
  enqueue("end admin", async () => {
    await markIdentitySessionsEnded(db(), targetIdentityId, revokedAt);
  });
  audit({
    eventType: "sessions_revoked_by_admin",
    identityId: targetIdentityId,
    sessionId: null,
    metadata: { admin_id: admin.identityId, target_identity: targetIdentityId },
  });
}
