/**
 * The signed activity record: a cookie that carries a session's last activity between requests, so the
 * Edge gate decides without a database and asks Kratos at most once per revalidation interval.
 *
 * Security model:
 * - Format `v1.<base64url(JSON)>.<base64url(HMAC-SHA256)>`, key derived from SESSION_SECRET for this purpose
 *   only. There is no algorithm field to confuse: v1 means HMAC-SHA256, anything else is refused. A record
 *   signed with SESSION_SECRET_PREVIOUS still verifies and is re-signed on its next activity (record-keys.ts).
 * - Bound to one Kratos session (`sid`) and to the exact Kratos cookie it was checked with (`tok`, a hash;
 *   never the cookie value): a record cannot be moved to another session, and a cached identity is only
 *   trusted for the cookie it was checked with.
 * - A forged, tampered or foreign record is ignored (and logged by the caller); it never grants anything.
 *   Deleting it never resets the idle clock: the gate then takes the last activity the server knows, or
 *   authenticated_at.
 * - Replaying an older record of the same session only makes the session look *more* idle.
 * - Cookie: HttpOnly, SameSite=Lax, Path=/, Secure in production; it holds no secret and no token.
 */
import { z } from "zod";
import type { Session } from "./session";
import { fromBase64Url, fromUtf8, hmacKey, sha256, sign, toBase64Url, utf8, verify } from "./crypto";
import { previousSecrets } from "./record-keys";
import { remember } from "./remember";

export const ACTIVITY_COOKIE = "idle_act";
const LABEL = "activity-record-v1";
const MAX_COOKIE_LENGTH = 1500;

/** The wire format: short keys keep the cookie small. Nothing outside this file sees them. */
const recordSchema = z
  .object({
    /** Kratos session id */
    sid: z.uuid(),
    /** base64url(SHA-256(Kratos cookie value))[0..22]: the cookie the identity below was checked with */
    tok: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    iid: z.uuid(),
    /** the user's own email and name, for display without asking Kratos (the cookie is HttpOnly) */
    em: z.string().max(320),
    nm: z.string().max(100),
    role: z.enum(["user", "admin"]),
    /** the user's idle preference (minutes), null = policy default */
    pref: z.union([z.literal(0), z.literal(15), z.literal(30), z.literal(60), z.null()]),
    /** Kratos issued_at, authenticated_at and expires_at (epoch ms) */
    ia: z.number().int().nonnegative(),
    aa: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
    /** last activity (epoch ms) and the path whose budget governs it */
    la: z.number().int().nonnegative(),
    lp: z.string().startsWith("/").max(256),
    /** when Kratos was last asked (epoch ms) */
    ck: z.number().int().nonnegative(),
    /** a step-up was required at this time (epoch ms), pending until a newer authentication */
    su: z.number().int().nonnegative().nullable(),
    /**
     * the longest gap between two activities since `aa`, in ms (sticky ceilings, lib/policy/idle-rule.ts).
     * Absent in records issued before it existed: 0, the gap since their `la` still counts.
     */
    ig: z.number().int().nonnegative().default(0),
  })
  .strict();

type WireRecord = z.infer<typeof recordSchema>;

/** The record as the app reads it: the session, plus its last activity and when Kratos last confirmed it. */
export interface ActivityRecord extends Session {
  /** a hash of the exact Kratos cookie the identity was checked with (cookieToken()) */
  kratosToken: string;
  /** last activity (epoch ms) and the path whose budget governs it */
  lastActivityAt: number;
  lastPath: string;
  /** when Kratos last confirmed the session (epoch ms) */
  checkedAt: number;
  /** a step-up was required at this time (epoch ms), pending until a newer authentication; null: none */
  stepUpSince: number | null;
  /** the longest gap between two activities since authenticatedAt, in ms (sticky ceilings) */
  longestGapMs: number;
}

function toWire(r: ActivityRecord): WireRecord {
  return {
    sid: r.sessionId,
    tok: r.kratosToken,
    iid: r.identityId,
    em: r.email,
    nm: r.name,
    role: r.role,
    pref: r.preference ?? null,
    ia: r.issuedAt,
    aa: r.authenticatedAt,
    exp: r.expiresAt,
    la: r.lastActivityAt,
    lp: r.lastPath,
    ck: r.checkedAt,
    su: r.stepUpSince,
    ig: r.longestGapMs,
  };
}

function fromWire(w: WireRecord): ActivityRecord {
  return {
    sessionId: w.sid,
    kratosToken: w.tok,
    identityId: w.iid,
    email: w.em,
    name: w.nm,
    role: w.role,
    preference: w.pref ?? undefined,
    issuedAt: w.ia,
    authenticatedAt: w.aa,
    expiresAt: w.exp,
    lastActivityAt: w.la,
    lastPath: w.lp,
    checkedAt: w.ck,
    stepUpSince: w.su,
    longestGapMs: w.ig,
  };
}

export type ReadResult =
  | { status: "valid"; record: ActivityRecord }
  | { status: "missing" }
  | { status: "invalid"; reason: "format" | "signature" | "payload" };

/**
 * Small bounded caches (per process / Edge isolate): a browser sends the same Kratos cookie and, between two
 * re-issues, the same record on every request, and hashing or verifying them again cost more than the rest
 * of the gate (bench profile). Only results are cached: a token per cookie value, and a record per exact
 * cookie string that verified under the same secret, or that encodeRecord() itself just signed with it. A
 * changed byte is a different key, so nothing a cache holds can make a forged record pass.
 */
const tokens = new Map<string, string>();
const verified = new Map<string, { secret: string; record: Readonly<ActivityRecord> }>();
/** Records only a previous key verified (the exact objects decodeRecord() returned): re-signed on activity. */
const signedWithPrevious = new WeakSet<Readonly<ActivityRecord>>();

export function cookieToken(kratosCookieValue: string): string {
  return (
    tokens.get(kratosCookieValue) ??
    remember(tokens, kratosCookieValue, toBase64Url(sha256(kratosCookieValue)).slice(0, 22))
  );
}

/**
 * Re-issue the record only when it says something new: another field changed, or the last activity moved
 * by at least REISSUE_STEP_MS. Between re-issues the last activity the server sees lags by less than that,
 * which can only make a session look (slightly) idler, never less idle.
 *
 * IMPORTANT: a request that is not activity (a status poll, a prefetch) re-issues only when its record
 * changes in more than the time of the Kratos check. Such an answer can arrive after a heartbeat's answer
 * that the request did not carry; the browser keeps the last Set-Cookie, so a copy of the older record
 * would put the idle clock back (seen with two tabs: a poll in one undid a heartbeat in the other, and the
 * session ended early). Without the refreshed check time, the next such request asks Kratos again.
 */
export const REISSUE_STEP_MS = 1_000;

export function needsReissue(presented: ActivityRecord | undefined, next: ActivityRecord, activity = true): boolean {
  if (!presented || (activity && signedWithPrevious.has(presented))) return true;
  for (const key of Object.keys(next) as (keyof ActivityRecord)[]) {
    if (key === "lastActivityAt" || (key === "checkedAt" && !activity)) continue;
    if (presented[key] !== next[key]) return true;
  }
  const [was, now] = [presented.lastActivityAt, next.lastActivityAt];
  // Not activity: its last activity moves only when the server knew of a later one (evaluate()).
  if (!activity) return now > was;
  return now < was || now - was >= REISSUE_STEP_MS;
}

/**
 * The record after activity at `now` (the heartbeat route; evaluate() does the same for navigations, actions
 * and API calls): the gap it closes is remembered when it is the longest since authentication.
 */
export function touch(record: ActivityRecord, now: number, path: string): ActivityRecord {
  const gap = now - Math.max(record.authenticatedAt, record.lastActivityAt);
  return { ...record, lastActivityAt: now, lastPath: path, longestGapMs: Math.max(record.longestGapMs, gap) };
}

export function encodeRecord(record: ActivityRecord, secret: string): string {
  // Only what reads back: a record the schema would refuse is a bug here, never a cookie.
  const checked = recordSchema.parse(toWire(record));
  const payload = toBase64Url(utf8(JSON.stringify(checked)));
  const signature = sign(hmacKey(secret, LABEL), `v1.${payload}`);
  const value = `v1.${payload}.${signature}`;
  // The browser sends this exact value back on its next request: known valid, as if verified (no second
  // HMAC, base64 and parse per re-issue; the bench saw every re-issue cost a verify a moment later).
  if (value.length <= MAX_COOKIE_LENGTH)
    remember(verified, value, { secret, record: Object.freeze(fromWire(checked)) });
  return value;
}

/** `previous`: keys accepted besides `secret` (default: SESSION_SECRET_PREVIOUS, record-keys.ts). */
export function decodeRecord(
  value: string | undefined,
  secret: string,
  previous: readonly string[] = previousSecrets(),
): ReadResult {
  if (value === undefined || value === "") return { status: "missing" };
  if (value.length > MAX_COOKIE_LENGTH) return { status: "invalid", reason: "format" };
  const hit = verified.get(value);
  if (hit && (hit.secret === secret || previous.includes(hit.secret))) {
    if (hit.secret !== secret) signedWithPrevious.add(hit.record);
    return { status: "valid", record: hit.record };
  }
  if (!validFormat(value)) return { status: "invalid", reason: "format" };
  const key = [secret, ...previous].find((k) => signedWith(value, k));
  if (key === undefined) return { status: "invalid", reason: "signature" };
  const read = readRecord(value);
  if (read.status !== "valid") return read;
  const record = Object.freeze(read.record);
  if (key !== secret) signedWithPrevious.add(record);
  remember(verified, value, { secret: key, record });
  return { status: "valid", record };
}

function validFormat(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 3 && parts[0] === "v1" && !!parts[1] && !!parts[2];
}

function signedWith(value: string, secret: string): boolean {
  const [version, payload, signature] = value.split(".") as [string, string, string];
  return verify(hmacKey(secret, LABEL), `${version}.${payload}`, signature);
}

/** The payload of a record whose signature was checked. */
function readRecord(value: string): ReadResult {
  const [, payload] = value.split(".") as [string, string, string];
  const bytes = fromBase64Url(payload);
  if (!bytes) return { status: "invalid", reason: "payload" };
  try {
    const parsed = recordSchema.safeParse(JSON.parse(fromUtf8(bytes)));
    return parsed.success
      ? { status: "valid", record: fromWire(parsed.data) }
      : { status: "invalid", reason: "payload" };
  } catch {
    return { status: "invalid", reason: "payload" };
  }
}
