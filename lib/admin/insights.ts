import "server-only";
/**
 * Idle-expiry insights for admins (re-exported by ./queries): the idle-minutes histogram and the friction
 * signals. SQL only, parameterised, aggregated in PostgreSQL. Each reads session_expired_idle rows of the
 * range through (event_type, created_at DESC, id DESC); the warning look-up uses the partial index
 * security_audit_warning_session_idx (db/migrations/004).
 *
 * metadata values are read defensively (jsonb_typeof before a cast): one odd row must never fail the page.
 */
import type { Pool } from "pg";
import { db } from "@/lib/db/pool";

type Queryable = Pick<Pool, "query">;
interface TimeRange {
  from: Date;
  to: Date;
}

const NUM = (key: string) =>
  `CASE WHEN jsonb_typeof(metadata->'${key}') = 'number' THEN (metadata->>'${key}')::numeric END`;

export interface IdleMinutesBin {
  fromMinutes: number;
  /** null for the last, open-ended bin */
  toMinutes: number | null;
  count: number;
}

/** Bins of `width` minutes from 0 up to the highest one seen; everything from `width * maxBins` on lands in the last. */
export const IDLE_MINUTES_SQL = `
WITH m AS (
  SELECT ${NUM("idle_minutes")} AS minutes
  FROM security_audit
  WHERE event_type = 'session_expired_idle' AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
),
counts AS (
  SELECT least(floor(minutes / $3::numeric), $4::int)::int AS bin, count(*)::int AS n
  FROM m WHERE minutes >= 0 GROUP BY 1
)
SELECT (s.bin * $3::numeric)::float8 AS from_minutes,
       CASE WHEN s.bin = $4::int THEN NULL ELSE ((s.bin + 1) * $3::numeric)::float8 END AS to_minutes,
       coalesce(c.n, 0)::int AS count
FROM generate_series(0, (SELECT max(bin) FROM counts)) AS s(bin) LEFT JOIN counts c ON c.bin = s.bin
ORDER BY s.bin`;

export async function idleMinutesDistribution(
  range: TimeRange,
  opts: { widthMinutes?: number; maxBins?: number } = {},
  client: Queryable = db(),
): Promise<IdleMinutesBin[]> {
  const width = opts.widthMinutes ?? 1;
  const maxBins = opts.maxBins ?? 60;
  const { rows } = await client.query<{ from_minutes: number; to_minutes: number | null; count: number }>(
    IDLE_MINUTES_SQL,
    [range.from.toISOString(), range.to.toISOString(), width, maxBins],
  );
  return rows.map((r) => ({ fromMinutes: r.from_minutes, toMinutes: r.to_minutes, count: r.count }));
}

/** Idle expirations of the range, and how many came within $3 minutes after a warning_shown for the same session. */
export const AFTER_WARNING_SQL = `
SELECT count(*)::int AS idle_total, count(*) FILTER (WHERE w.hit)::int AS after_warning
FROM security_audit e
LEFT JOIN LATERAL (
  SELECT true AS hit FROM security_audit w
  WHERE w.event_type = 'warning_shown' AND w.session_id = e.session_id
    AND w.created_at <= e.created_at AND w.created_at >= e.created_at - make_interval(mins => $3::int)
  LIMIT 1
) w ON true
WHERE e.event_type = 'session_expired_idle' AND e.created_at >= $1::timestamptz AND e.created_at < $2::timestamptz`;

/** Users with at least two idle expirations since the start of the current UTC day / ISO week ($2). */
export const REPEAT_IDLERS_SQL = `
SELECT identity_id::text AS identity_id, count(*)::int AS count
FROM security_audit
WHERE event_type = 'session_expired_idle' AND identity_id IS NOT NULL
  AND created_at >= date_trunc($2::text, $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
  AND created_at <= $1::timestamptz
GROUP BY identity_id HAVING count(*) >= 2
ORDER BY count DESC, identity_id
LIMIT $3::int`;

/**
 * Per area: idle expirations, and those "just past the budget": idle_minutes * 60 within [budget, budget + 60 s].
 * 0.3 s of slack below the budget: idle_minutes is rounded to 0.01 min (0.6 s), so a session that ended a
 * moment past a 35 s budget may read 0.58 min = 34.8 s.
 */
export const JUST_PAST_BUDGET_SQL = `
WITH e AS (
  SELECT coalesce(metadata->>'area', 'unknown') AS area, ${NUM("idle_minutes")} * 60 AS idle_seconds, ${NUM("budget_seconds")} AS budget
  FROM security_audit
  WHERE event_type = 'session_expired_idle' AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
)
SELECT area, count(*)::int AS total,
       count(*) FILTER (WHERE idle_seconds >= budget - 0.3 AND idle_seconds <= budget + 60)::int AS just_past
FROM e GROUP BY area
ORDER BY just_past DESC, total DESC, area`;

export interface FrictionInsights {
  withinMinutes: number;
  idleExpirations: number;
  afterWarning: number;
  /** afterWarning / idleExpirations, null without expirations */
  afterWarningShare: number | null;
  repeatToday: { identityId: string; count: number }[];
  repeatThisWeek: { identityId: string; count: number }[];
  justPastBudget: { area: string; total: number; justPast: number; share: number }[];
}

export async function frictionInsights(
  range: TimeRange,
  opts: { withinMinutes?: number; now?: Date; limit?: number } = {},
  client: Queryable = db(),
): Promise<FrictionInsights> {
  const within = opts.withinMinutes ?? 5;
  const now = (opts.now ?? new Date()).toISOString();
  const limit = opts.limit ?? 20;
  const span = [range.from.toISOString(), range.to.toISOString()];
  type Repeat = { identity_id: string; count: number };
  const [warned, today, week, areas] = await Promise.all([
    client.query<{ idle_total: number; after_warning: number }>(AFTER_WARNING_SQL, [...span, within]),
    client.query<Repeat>(REPEAT_IDLERS_SQL, [now, "day", limit]),
    client.query<Repeat>(REPEAT_IDLERS_SQL, [now, "week", limit]),
    client.query<{ area: string; total: number; just_past: number }>(JUST_PAST_BUDGET_SQL, span),
  ]);
  const idleTotal = warned.rows[0]?.idle_total ?? 0;
  const afterWarning = warned.rows[0]?.after_warning ?? 0;
  const repeat = (rows: Repeat[]) => rows.map((r) => ({ identityId: r.identity_id, count: r.count }));
  return {
    withinMinutes: within,
    idleExpirations: idleTotal,
    afterWarning,
    afterWarningShare: idleTotal === 0 ? null : afterWarning / idleTotal,
    repeatToday: repeat(today.rows),
    repeatThisWeek: repeat(week.rows),
    justPastBudget: areas.rows.map((r) => ({
      area: r.area,
      total: r.total,
      justPast: r.just_past,
      share: r.just_past / r.total,
    })),
  };
}
