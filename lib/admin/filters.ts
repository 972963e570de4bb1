/**
 * The admin area's query strings: zod schemas for the audit filters (page, CSV export) and the chart
 * ranges (page, insights API), and the opaque keyset cursor. Pure: no I/O (only rangeEndingNow reads the clock).
 * A bad value gives a message naming the field, never a crash and never a silently ignored filter.
 */
import { z } from "zod";
import { AUDIT_EVENT_TYPES, type AuditEventType } from "@/lib/audit/events";

export const PAGE_SIZE = 50;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const PERIODS = { "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY } as const;
export type Period = keyof typeof PERIODS;
export type Bucket = "hour" | "day";
/** Hourly charts stop at 31 days (744 bars), any chart at 366 days: the SQL fills every bucket. */
const MAX_HOURLY_MS = 31 * DAY;
const MAX_RANGE_MS = 366 * DAY;

export interface AuditCursor {
  /** created_at as PostgreSQL wrote it, to the microsecond (a JS Date would lose the last 3 digits) */
  createdAt: string;
  id: string;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(c: AuditCursor): string {
  return Buffer.from(`${c.createdAt}|${c.id}`, "utf8").toString("base64url");
}

/** null for anything that is not a cursor this app wrote (never an exception). */
export function decodeCursor(value: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
  const [createdAt, id, ...rest] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (rest.length || !createdAt || !id || !CURSOR_TIME.test(createdAt) || !/^[1-9]\d{0,18}$/.test(id)) return null;
  if (Number.isNaN(Date.parse(createdAt))) return null;
  return { createdAt, id };
}

/** "2031-06-11", "2031-06-11T09:30", "…:15", "…Z" or "…+02:00"; without a zone the time is UTC. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

function parseInstant(value: string): Date | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", sec = "0"] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // JS would roll 2031-02-30 over to March: refuse instead.
  if (
    day.getUTCMonth() !== Number(mo) - 1 ||
    day.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(sec) > 59
  )
    return null;
  const zoned = m[4] === undefined ? `${value}T00:00:00Z` : m[7] ? value : `${value}Z`;
  const date = new Date(zoned);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 2000 || year > 2100 ? null : date;
}

const single = (name: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() || undefined : v),
    z
      .string({ error: `${name}: give it once.` })
      .max(400, `${name}: too long.`)
      .optional(),
  );

const instant = (name: string) =>
  single(name).transform((v, ctx) => {
    if (v === undefined) return undefined;
    const date = parseInstant(v);
    if (!date) {
      ctx.addIssue({ code: "custom", message: `${name}: use a date such as 2031-06-11 or 2031-06-11T09:30 (UTC).` });
      return z.NEVER;
    }
    return date;
  });

const types = z.preprocess(
  (v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).filter((t) => t !== "")),
  z
    .array(
      z.enum(AUDIT_EVENT_TYPES, {
        error: (issue) => `Event type: "${String(issue.input).slice(0, 40)}" is not one we record.`,
      }),
    )
    .max(AUDIT_EVENT_TYPES.length, "Event type: each at most once."),
);

/** An email address (resolved through Kratos) or an identity id. */
export const userRef = z
  .string()
  .trim()
  .max(320)
  .refine(
    (v) => z.email().safeParse(v).success || z.uuid().safeParse(v).success,
    "User: enter an email address or an identity id (UUID).",
  )
  .transform((v): UserRef => (v.includes("@") ? { email: v.toLowerCase() } : { identityId: v.toLowerCase() }));
export type UserRef = { email: string } | { identityId: string };

const auditShape = {
  type: types,
  user: single("User").pipe(userRef.optional()),
  from: instant("From"),
  to: instant("To"),
};

function rangeOrder(v: { from?: Date; to?: Date }, ctx: z.RefinementCtx) {
  if (v.from && v.to && v.from >= v.to)
    ctx.addIssue({ code: "custom", message: "From must be before To.", path: ["from"] });
}

const cursorField = single("Cursor").transform((v, ctx) => {
  if (v === undefined) return undefined;
  if (!decodeCursor(v)) {
    ctx.addIssue({ code: "custom", message: "The page link is invalid; start again from the first page." });
    return z.NEVER;
  }
  return v;
});

/** The CSV export: the audit filters, no cursor (it always starts at the newest row). */
export const auditExportParams = z.object(auditShape).superRefine(rangeOrder);

/** The admin page: audit filters + cursor + chart period. */
export const adminPageParams = z
  .object({
    ...auditShape,
    cursor: cursorField,
    period: single("Period").pipe(
      z.enum(["24h", "7d", "30d"], { error: "Period: choose 24h, 7d or 30d." }).default("7d"),
    ),
    bucket: single("Bucket").pipe(z.enum(["hour", "day"], { error: "Bucket: choose hour or day." }).optional()),
  })
  .superRefine(rangeOrder)
  .superRefine((v, ctx) => {
    if (v.bucket === "hour" && PERIODS[v.period] > 7 * DAY)
      ctx.addIssue({ code: "custom", message: "Hourly bars need a period of 7 days or less.", path: ["bucket"] });
  });

const WITHIN = "Within: minutes from 1 to 60.";

/** GET /api/admin/insights: a period or an explicit from/to, a bucket, the warning window. */
export const insightsParams = z
  .object({
    period: single("Period").pipe(z.enum(["24h", "7d", "30d"], { error: "Period: choose 24h, 7d or 30d." }).optional()),
    from: instant("From"),
    to: instant("To"),
    bucket: single("Bucket").pipe(z.enum(["hour", "day"], { error: "Bucket: choose hour or day." }).optional()),
    within: single("Within").pipe(
      z
        .string()
        .regex(/^\d{1,2}$/, WITHIN)
        .transform(Number)
        .pipe(z.number().int().min(1, WITHIN).max(60, WITHIN))
        .optional(),
    ),
  })
  .superRefine(rangeOrder);

export type AdminPageParams = z.infer<typeof adminPageParams>;

export interface ChartRange {
  from: Date;
  to: Date;
  bucket: Bucket;
}

/** The chart range for a period ending now (default bucket: hours for 24 h, else days). */
export function rangeForPeriod(period: Period, bucket: Bucket | undefined, now: number): ChartRange {
  return {
    from: new Date(now - PERIODS[period]),
    to: new Date(now),
    bucket: bucket ?? (period === "24h" ? "hour" : "day"),
  };
}

/** Checks an explicit range: bounded, and not too many hourly bars. */
export function checkRange(range: ChartRange): string | null {
  const span = range.to.getTime() - range.from.getTime();
  if (span <= 0) return "From must be before To.";
  if (span > MAX_RANGE_MS) return "The range may cover at most 366 days.";
  if (range.bucket === "hour" && span > MAX_HOURLY_MS) return "Hourly bars need a range of 31 days or less.";
  return null;
}

/** The zod issues as one message per line, for the page and the JSON answers. */
export function messagesOf(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((i) => i.message))];
}

export interface AuditQueryInput {
  types: AuditEventType[];
  user?: UserRef;
  from?: Date;
  to?: Date;
}

/** The filters as form fields (to carry them through another GET form). */
export function auditFields(input: AuditQueryInput): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (input.types.length) out.type = [...input.types];
  if (input.user) out.user = ["email" in input.user ? input.user.email : input.user.identityId];
  if (input.from) out.from = [input.from.toISOString()];
  if (input.to) out.to = [input.to.toISOString()];
  return out;
}

/** Back to a query string (for "Next page" and "Export CSV" links with the same filters). */
export function auditSearch(input: AuditQueryInput, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, list] of Object.entries(auditFields(input))) for (const v of list) q.append(k, v);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** The chart range for a period ending at this moment. */
export function rangeEndingNow(period: Period, bucket: Bucket | undefined): ChartRange {
  return rangeForPeriod(period, bucket, Date.now());
}

/** The first value of each form field as typed (to refill the form after a bad value). */
export function rawFilterValues(raw: Record<string, string | string[] | undefined>): {
  types: string[];
  user: string;
  from: string;
  to: string;
} {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? "")).slice(0, 400);
  const types = raw.type === undefined ? [] : Array.isArray(raw.type) ? raw.type : [raw.type];
  return { types, user: first(raw.user), from: first(raw.from), to: first(raw.to) };
}
