import "server-only";
/**
 * Idle-expiry insights for admins (re-exported by ./queries): the idle-minutes histogram and the friction
 * signals. SQL only, parameterised, aggregated in PostgreSQL. The counts come from audit_counts(), the hourly
 * rollup (db/migrations/007), which also defines how idle minutes, "just past the budget" and "after a
 * warning" (5 minutes) are read from a row. A warning window other than 5 minutes is counted from the rows
 * themselves (AFTER_WARNING_ANY_SQL): exact, but slower on a large table. Repeat idlers are counted per user
 * from the rows, through the partial index of db/migrations/007.
 */
import type { Pool } from "pg";
import { db } from "@/lib/db/pool";
import { AUDIT_COUNTS, rangeParams } from "./counts";

type Queryable = Pick<Pool, "query">;
interface TimeRange {
  from: Date;
  to: Date;
}

export interface IdleMinutesBin {
  fromMinutes: number;
  /** null for the last, open-ended bin */
  toMinutes: number | null;
  count: number;
}

/**
 * Bins of `width` minutes from 0 up to the highest one seen; everything from `width * maxBins` on lands in the
 * last. The rollup keeps whole minutes up to 60, so `width * maxBins` may be at most 60.
 */
export const IDLE_MINUTES_SQL = `
WITH counts AS (
  SELECT least(idle_minute / $5::int, $6::int) AS bin, sum(count)::int AS n
  FROM ${AUDIT_COUNTS}
  WHERE event_type = 'session_expired_idle' AND idle_minute >= 0 GROUP BY 1
)
SELECT (s.bin * $5::int)::float8 AS from_minutes,
       CASE WHEN s.bin = $6::int THEN NULL ELSE ((s.bin + 1) * $5::int)::float8 END AS to_minutes,
       coalesce(c.n, 0)::int AS count
FROM generate_series(0, (SELECT max(bin) FROM counts)) AS s(bin) LEFT JOIN counts c ON c.bin = s.bin
ORDER BY s.bin`;

export const MAX_HISTOGRAM_MINUTES = 60;

export async function idleMinutesDistribution(
  range: TimeRange,
  opts: { widthMinutes?: number; maxBins?: number } = {},
  client: Queryable = db(),
): Promise<IdleMinutesBin[]> {
  const width = opts.widthMinutes ?? 1;
  const maxBins = opts.maxBins ?? Math.floor(MAX_HISTOGRAM_MINUTES / width);
  if (!Number.isInteger(width) || !Number.isInteger(maxBins) || width < 1 || width * maxBins > MAX_HISTOGRAM_MINUTES)
    throw new RangeError(`the histogram covers whole minutes up to ${MAX_HISTOGRAM_MINUTES}`);
  const { rows } = await client.query<{ from_minutes: number; to_minutes: number | null; count: number }>(
    IDLE_MINUTES_SQL,
    [...rangeParams(range), width, maxBins],
  );
  return rows.map((r) => ({ fromMinutes: r.from_minutes, toMinutes: r.to_minutes, count: r.count }));
}

/** The rollup's warning window (db/migrations/007's audit_rollup_facts.after_warning). */
export const ROLLUP_WARNING_MINUTES = 5;

/** Idle expirations of the range, and how many came within 5 minutes after a warning of the same session. */
export const AFTER_WARNING_SQL = `
SELECT coalesce(sum(count), 0)::int AS idle_total,
       coalesce(sum(count) FILTER (WHERE after_warning), 0)::int AS after_warning
FROM ${AUDIT_COUNTS}
WHERE event_type = 'session_expired_idle'`;

/**
 * The same for any window ($3 minutes), from the rows: one look-up per expiration in the warning index. A
 * warning counts when it was recorded before the expiry (w.id < e.id), as in the rollup.
 */
export const AFTER_WARNING_ANY_SQL = `
SELECT count(*)::int AS idle_total, count(*) FILTER (WHERE w.hit)::int AS after_warning
FROM security_audit e
LEFT JOIN LATERAL (
  SELECT true AS hit FROM security_audit w
  WHERE w.event_type = 'warning_shown' AND w.session_id = e.session_id AND w.id < e.id
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
SELECT area, sum(count)::int AS total, coalesce(sum(count) FILTER (WHERE just_past), 0)::int AS just_past
FROM ${AUDIT_COUNTS}
WHERE event_type = 'session_expired_idle'
GROUP BY area
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
  const span = rangeParams(range);
  type Repeat = { identity_id: string; count: number };
  const [warned, today, week, areas] = await Promise.all([
    within === ROLLUP_WARNING_MINUTES
      ? client.query<{ idle_total: number; after_warning: number }>(AFTER_WARNING_SQL, span)
      : client.query<{ idle_total: number; after_warning: number }>(AFTER_WARNING_ANY_SQL, [
          ...span.slice(0, 2),
          within,
        ]),
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
