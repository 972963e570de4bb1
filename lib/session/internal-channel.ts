/**
 * The Edge gate's signed channel to the app's Node side (/api/internal/*): it reports session ends and
 * step-ups for the audit trail, and asks for a session's last activity when the browser's record is gone.
 *
 * Each request carries `x-internal-auth: <ms>.<nonce>.<HMAC(method, path+query, ms, nonce, body)>` with a
 * key derived from SESSION_SECRET for this purpose only. The Node side refuses anything unsigned, altered,
 * older or newer than 30 s, or whose nonce it has already seen within that window (NonceLedger below).
 *
 * Parameters never travel in the URL: internalFetch() moves the query (e.g. `sid=<Kratos session id>`) into
 * the signed `x-internal-query` header, so session ids stay out of access logs and proxies even when the
 * channel is pointed at a public origin. Its default target is loopback (lib/config/env.js).
 * Web APIs only (the gate runs on the Edge runtime; lib/gate/edge-purity.test.ts checks it).
 */
import { hmacKey, sign, toBase64Url, verify } from "./crypto";

const LABEL = "internal-channel-v2";
export const INTERNAL_AUTH_HEADER = "x-internal-auth";
/** The query string of the signed request (without "?"): parameters never go in the URL. */
export const INTERNAL_QUERY_HEADER = "x-internal-query";
export const INTERNAL_MAX_AGE_MS = 30_000;
const TIMEOUT_MS = 3_000;
const HEADER_FORMAT = /^(\d{13})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

function canonical(method: string, pathAndQuery: string, ms: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${ms}\n${nonce}\n${body}`;
}

/** 16 random bytes, base64url (22 characters). */
export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export function signInternal(
  secret: string,
  method: string,
  pathAndQuery: string,
  body: string,
  now = Date.now(),
  nonce = newNonce(),
): string {
  const ms = String(now);
  return `${ms}.${nonce}.${sign(hmacKey(secret, LABEL), canonical(method, pathAndQuery, ms, nonce, body))}`;
}

export type Verified = { ok: true; nonce: string; signedAt: number } | { ok: false };

/** Signature and age only (pure); the receiver also asks its NonceLedger whether the nonce is new. */
export function verifyInternalHeader(
  secret: string,
  header: string | null,
  method: string,
  pathAndQuery: string,
  body: string,
  now = Date.now(),
): Verified {
  const match = header ? HEADER_FORMAT.exec(header) : null;
  if (!match) return { ok: false };
  const [, ms, nonce, signature] = match as unknown as [string, string, string, string];
  if (Math.abs(now - Number(ms)) > INTERNAL_MAX_AGE_MS) return { ok: false };
  if (!verify(hmacKey(secret, LABEL), canonical(method, pathAndQuery, ms, nonce, body), signature))
    return { ok: false };
  return { ok: true, nonce, signedAt: Number(ms) };
}

export function verifyInternal(
  secret: string,
  header: string | null,
  method: string,
  pathAndQuery: string,
  body: string,
  now = Date.now(),
): boolean {
  return verifyInternalHeader(secret, header, method, pathAndQuery, body, now).ok;
}

/**
 * Nonces seen within the window, per process: a second request with the same nonce is a replay. An entry
 * can be forgotten once its signing time is out of the window (the signature check refuses it by then).
 * Bounded: when full of unexpired nonces it refuses (fail closed) rather than forget one still replayable;
 * only holders of the secret can fill it, at 2 * window * rate.
 */
export class NonceLedger {
  private readonly seen = new Map<string, number>();
  constructor(private readonly capacity = 100_000) {}

  /** true the first time a nonce is presented within the window, false for a replay (or when full). */
  claim(nonce: string, signedAt: number, now = Date.now()): boolean {
    if (this.seen.has(nonce)) return false;
    if (this.seen.size >= this.capacity) this.forgetExpired(now);
    if (this.seen.size >= this.capacity) return false;
    this.seen.set(nonce, signedAt);
    return true;
  }

  private forgetExpired(now: number): void {
    for (const [nonce, signedAt] of this.seen)
      if (Math.abs(now - signedAt) > INTERNAL_MAX_AGE_MS) this.seen.delete(nonce);
  }

  get size(): number {
    return this.seen.size;
  }
}

/**
 * Calls the app's Node side. `pathAndQuery` is signed as given; its query goes in INTERNAL_QUERY_HEADER and
 * the URL carries the path only.
 */
export async function internalFetch(
  baseUrl: string,
  secret: string,
  method: "GET" | "POST",
  pathAndQuery: string,
  body?: unknown,
): Promise<Response> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const at = pathAndQuery.indexOf("?");
  const path = at === -1 ? pathAndQuery : pathAndQuery.slice(0, at);
  const query = at === -1 ? "" : pathAndQuery.slice(at + 1);
  return fetch(new URL(path, baseUrl), {
    method,
    headers: {
      [INTERNAL_AUTH_HEADER]: signInternal(secret, method, pathAndQuery, text),
      ...(query ? { [INTERNAL_QUERY_HEADER]: query } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : text,
    cache: "no-store",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}
