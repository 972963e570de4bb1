/**
 * Counting audit rows over a time range through the hourly rollup (db/migrations/007): the whole UTC hours
 * inside the range come from audit_rollup + audit_rollup_pending (a few rows per hour), the partial first
 * and last hour from the rows themselves (audit_rollup_facts, through the created_at index). The result is
 * exactly what counting the rows would give, for any range. Every chart and insight query selects FROM this.
 *
 * Placeholders: $1 from, $2 to (the range, [from, to)), $3 and $4 the whole hours inside it ([a, b)), from
 * rangeParams(). Plain SQL rather than a database function, so the planner sees the whole query: it pushes
 * each caller's filter (event types) into every branch and aggregates without materialising rows.
 */

const HOUR_MS = 3_600_000;

/** [a, b): the whole UTC hours inside [from, to); a = b when there are none. */
export function wholeHours(from: Date, to: Date): { a: Date; b: Date } {
  const a = new Date(Math.min(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS, to.getTime()));
  const b = new Date(Math.max(a.getTime(), Math.floor(to.getTime() / HOUR_MS) * HOUR_MS));
  return { a, b };
}

/** The values of $1..$4 for a range. */
export function rangeParams(range: { from: Date; to: Date }): string[] {
  const { a, b } = wholeHours(range.from, range.to);
  return [range.from.toISOString(), range.to.toISOString(), a.toISOString(), b.toISOString()];
}

const COLUMNS = "hour, event_type, area, idle_minute, just_past, after_warning";

/** Rows (hour, event_type, area, idle_minute, just_past, after_warning, count) of the range; sum `count`. */
export const AUDIT_COUNTS = `(
  SELECT ${COLUMNS}, count FROM audit_rollup WHERE hour >= $3::timestamptz AND hour < $4::timestamptz
  UNION ALL
  SELECT ${COLUMNS}, count FROM audit_rollup_pending WHERE hour >= $3::timestamptz AND hour < $4::timestamptz
  UNION ALL
  SELECT ${COLUMNS}, 1::bigint FROM audit_rollup_facts
  WHERE created_at >= $1::timestamptz AND created_at < $3::timestamptz
  UNION ALL
  SELECT ${COLUMNS}, 1::bigint FROM audit_rollup_facts
  WHERE created_at >= $4::timestamptz AND created_at < $2::timestamptz
) AS counts`;
