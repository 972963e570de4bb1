/**
 * A large, realistic-looking audit trail for the admin queries' tests and the bench: one row every
 * `spacingSeconds` from `start`, event types weighted like a busy app (per 20 rows: 5 extensions, 3 warnings,
 * 2 answers, 3 idle and 1 absolute expirations, 2 sign-outs, 2 step-ups, 1 admin revocation, 1 preference
 * change), `users` users, 4 rows per session (so warnings and expirations share sessions), idle minutes
 * spread over 0-40. Inserted in chunks through the normal INSERT, so the table's triggers (the rollup of
 * db/migrations/007) run as they would in production.
 */
import type pg from "pg";

export interface AuditSeed {
  rows: number;
  start: string;
  spacingSeconds: number;
  users: number;
}

const SEED_SQL = `
INSERT INTO security_audit (event_type, identity_id, session_id, metadata, created_at)
SELECT t.type, ('dddddddd-0000-4000-8000-' || lpad((g % $4::int)::text, 12, '0'))::uuid,
       ('eeeeeeee-0000-4000-8000-' || lpad((g / 4)::text, 12, '0'))::uuid,
       CASE WHEN t.type IN ('session_expired_idle', 'session_expired_absolute', 'warning_shown') THEN
         jsonb_build_object('area', (ARRAY['normal pages', 'Billing', 'Admin'])[1 + g % 3], 'page', '/p' || (g % 100),
           'idle_minutes', CASE WHEN t.type = 'session_expired_idle' THEN round((g % 4000) / 100.0, 2) END,
           'budget_seconds', (ARRAY[1800, 300, 600])[1 + g % 3], 'detected_by', 'gate')
       ELSE jsonb_build_object('page', '/p' || (g % 100)) END,
       $3::timestamptz + g * make_interval(secs => $5::float8)
FROM generate_series($1::bigint, $2::bigint) g
CROSS JOIN LATERAL (SELECT (ARRAY[
  'session_extended', 'session_extended', 'session_extended', 'session_extended', 'session_extended',
  'warning_shown', 'warning_shown', 'warning_shown', 'warning_answered', 'warning_answered',
  'session_expired_idle', 'session_expired_idle', 'session_expired_idle', 'session_expired_absolute',
  'signed_out', 'signed_out', 'step_up_required', 'step_up_completed', 'sessions_revoked_by_admin',
  'idle_preference_changed'])[1 + (g * 7) % 20] AS type) t`;

/** Inserts the rows in chunks of `chunk` (progress through `log`), then VACUUM ANALYZE. */
export async function seedAuditRows(
  client: Pick<pg.Pool, "query">,
  seed: AuditSeed,
  opts: { chunk?: number; log?: (line: string) => void } = {},
): Promise<void> {
  const chunk = opts.chunk ?? 1_000_000;
  for (let first = 1; first <= seed.rows; first += chunk) {
    const last = Math.min(seed.rows, first + chunk - 1);
    await client.query(SEED_SQL, [first, last, seed.start, seed.users, seed.spacingSeconds]);
    opts.log?.(`audit seed: ${last.toLocaleString("en")} of ${seed.rows.toLocaleString("en")} rows`);
  }
  await client.query("VACUUM ANALYZE security_audit");
}

/** The instant just after the last seeded row. */
export function seedEnd(seed: AuditSeed): Date {
  return new Date(new Date(seed.start).getTime() + (seed.rows + 1) * seed.spacingSeconds * 1000);
}
