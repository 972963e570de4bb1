import "server-only";
/**
 * The admin area's reads from security_audit. SQL only, every value a parameter; aggregation happens in
 * PostgreSQL (date_trunc, generate_series, FILTER), never over rows pulled into JS.
 *
 * Paging is keyset on (created_at DESC, id DESC) with an opaque cursor, never OFFSET: page 1000 costs what
 * page 1 costs. Which index answers what (db/migrations/001 and 004):
 *   event types (+ time range)    (event_type, created_at DESC, id DESC); several types: one LIMITed range
 *                                 scan per type, merged (a `= ANY` would have to read every match and sort)
 *   user (+ anything)             (identity_id, created_at DESC, id DESC)
 *   nothing / time range only     (created_at DESC, id DESC)
 *   charts, insights              hourly counts: audit_counts() over audit_rollup (db/migrations/007)
 */
import type { Pool } from "pg";
import { AUDIT_EVENT_TYPES, type AuditEventType } from "@/lib/audit/events";
import { db } from "@/lib/db/pool";
import { AUDIT_COUNTS, rangeParams } from "./counts";
import { AUDIT_CSV_COLUMNS, auditCsvLine, csvLine, type CsvAuditRow } from "./csv";
import { decodeCursor, encodeCursor, PAGE_SIZE, type AuditCursor, type Bucket } from "./filters";

type Queryable = Pick<Pool, "query">;

export interface AuditFilters {
  types: readonly AuditEventType[];
  identityId: string | null;
  /** inclusive */
  from: Date | null;
  /** exclusive */
  to: Date | null;
}

export type AuditRow = CsvAuditRow;
export interface AuditPage {
  rows: AuditRow[];
  nextCursor: string | null;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

export class InvalidCursorError extends Error {}

const CREATED_TEXT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The audit page's SQL (exported so the tests can EXPLAIN exactly what runs). */
export function auditPageQuery(
  f: AuditFilters,
  cursor: AuditCursor | null,
  limit: number,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const $ = (v: unknown) => `$${values.push(v)}`;
  const common: string[] = [];
  if (f.identityId) common.push(`identity_id = ${$(f.identityId)}::uuid`);
  if (f.from) common.push(`created_at >= ${$(f.from.toISOString())}::timestamptz`);
  if (f.to) common.push(`created_at < ${$(f.to.toISOString())}::timestamptz`);
  if (cursor) common.push(`(created_at, id) < (${$(cursor.createdAt)}::timestamptz, ${$(cursor.id)}::bigint)`);
  const lim = $(limit);
  const types = [...new Set(f.types)];
  const select = (where: string[]) =>
    `SELECT id, created_at, event_type, identity_id, session_id, metadata FROM security_audit` +
    `${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ${lim}`;
  let inner: string;
  if (types.length === 0 || types.length === AUDIT_EVENT_TYPES.length) inner = select(common);
  else if (types.length === 1) inner = select([`event_type = ${$(types[0])}`, ...common]);
  else if (f.identityId)
    inner = select([`event_type = ANY(${$(types)}::text[])`, ...common]); // one user's rows: few
  else inner = types.map((t) => `(${select([`event_type = ${$(t)}`, ...common])})`).join(" UNION ALL ");
  const text =
    `SELECT id::text AS id, ${CREATED_TEXT} AS created, event_type, identity_id::text AS identity_id, ` +
    `session_id::text AS session_id, metadata ` +
    `FROM (${inner}) AS page ORDER BY page.created_at DESC, page.id DESC LIMIT ${lim}`;
  return { text, values };
}

/** One page, newest first. `cursor` is the opaque value from the previous page's nextCursor. */
export async function auditPage(
  filters: AuditFilters,
  cursor: string | null,
  limit = PAGE_SIZE,
  client: Queryable = db(),
): Promise<AuditPage> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 5_000) throw new RangeError("limit must be 1..5000");
  const decoded = cursor === null ? null : decodeCursor(cursor);
  if (cursor !== null && decoded === null) throw new InvalidCursorError("invalid cursor");
  const { text, values } = auditPageQuery(filters, decoded, limit + 1);
  const { rows } = await client.query<{
    id: string;
    created: string;
    event_type: string;
    identity_id: string | null;
    session_id: string | null;
    metadata: Record<string, unknown>;
  }>(text, values);
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id,
    createdAt: r.created,
    eventType: r.event_type,
    identityId: r.identity_id,
    sessionId: r.session_id,
    metadata: r.metadata,
  }));
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/**
 * The filtered audit trail as CSV, streamed: one keyset page (`pageSize` rows) per pull, so memory holds
 * one page whatever the size, and a slow client slows the reads (back-pressure). Without `to`, the export
 * stops at the moment it started, so rows written meanwhile neither appear half-way nor shift it.
 */
export function streamAuditCsv(
  filters: AuditFilters,
  opts: { pageSize?: number; client?: Queryable } = {},
): ReadableStream<Uint8Array> {
  const snapshot: AuditFilters = { ...filters, to: filters.to ?? new Date() };
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvLine(AUDIT_CSV_COLUMNS)));
          return;
        }
        let page: AuditPage;
        try {
          page = await auditPage(snapshot, cursor, opts.pageSize ?? 1_000, opts.client ?? db());
        } catch (error) {
          // The download fails visibly (the response is cut off), never a silently short file.
          console.error(`[admin] CSV export failed: ${(error as Error).message}`);
          throw error;
        }
        if (page.rows.length > 0) controller.enqueue(encoder.encode(page.rows.map(auditCsvLine).join("")));
        if (page.nextCursor === null) controller.close();
        else cursor = page.nextCursor;
      },
    },
    { highWaterMark: 1 },
  );
}

// ---- charts --------------------------------------------------------------------------------------

export const END_REASONS = ["idle", "absolute", "admin", "manual"] as const;
export type EndReason = (typeof END_REASONS)[number];
export const REASON_EVENT: Record<EndReason, AuditEventType> = {
  idle: "session_expired_idle",
  absolute: "session_expired_absolute",
  admin: "sessions_revoked_by_admin",
  manual: "signed_out",
};

export type ReasonBucket = { bucket: string } & Record<EndReason, number>;
export interface AreaBucket {
  bucket: string;
  area: string;
  count: number;
  /** the area's total over the range (to order the legend) */
  areaTotal: number;
}

/** Every bucket start in [from, to), UTC, as ISO text. $1..$4: the range (./counts.ts), $5 the bucket. */
const BUCKETS = `SELECT generate_series(date_trunc($5::text, $1::timestamptz AT TIME ZONE 'UTC'),
  ($2::timestamptz AT TIME ZONE 'UTC') - interval '1 microsecond', ('1 ' || $5::text)::interval) AS bucket`;
const BUCKET_TEXT = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export const EXPIRATIONS_BY_REASON_SQL = `
WITH buckets AS (${BUCKETS}),
counts AS (
  SELECT date_trunc($5::text, hour AT TIME ZONE 'UTC') AS bucket,
         sum(count) FILTER (WHERE event_type = 'session_expired_idle') AS idle,
         sum(count) FILTER (WHERE event_type = 'session_expired_absolute') AS absolute,
         sum(count) FILTER (WHERE event_type = 'sessions_revoked_by_admin') AS admin,
         sum(count) FILTER (WHERE event_type = 'signed_out') AS manual
  FROM ${AUDIT_COUNTS}
  WHERE event_type IN ('session_expired_idle', 'session_expired_absolute', 'sessions_revoked_by_admin', 'signed_out')
  GROUP BY 1
)
SELECT ${BUCKET_TEXT("b.bucket")} AS bucket, coalesce(c.idle, 0)::int AS idle,
       coalesce(c.absolute, 0)::int AS absolute, coalesce(c.admin, 0)::int AS admin,
       coalesce(c.manual, 0)::int AS manual
FROM buckets b LEFT JOIN counts c ON c.bucket = b.bucket
ORDER BY b.bucket`;

/** Expirations carry the area of the page where the session died (sign-outs and revocations do not). */
export const EXPIRATIONS_BY_AREA_SQL = `
SELECT ${BUCKET_TEXT("date_trunc($5::text, hour AT TIME ZONE 'UTC')")} AS bucket,
       area, sum(count)::int AS count, (sum(sum(count)) OVER (PARTITION BY area))::int AS area_total
FROM ${AUDIT_COUNTS}
WHERE event_type IN ('session_expired_idle', 'session_expired_absolute')
GROUP BY 1, 2
ORDER BY area_total DESC, area, bucket`;

export async function expirationsOverTime(
  range: TimeRange,
  bucket: Bucket,
  client: Queryable = db(),
): Promise<{ byReason: ReasonBucket[]; byArea: AreaBucket[] }> {
  const values = [...rangeParams(range), bucket];
  const [reasons, areas] = await Promise.all([
    client.query<ReasonBucket>(EXPIRATIONS_BY_REASON_SQL, values),
    client.query<{ bucket: string; area: string; count: number; area_total: number }>(EXPIRATIONS_BY_AREA_SQL, values),
  ]);
  return {
    byReason: reasons.rows,
    byArea: areas.rows.map((r) => ({ bucket: r.bucket, area: r.area, count: r.count, areaTotal: r.area_total })),
  };
}

export { frictionInsights, idleMinutesDistribution, type FrictionInsights, type IdleMinutesBin } from "./insights";
