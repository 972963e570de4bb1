/**
 * The Edge gate's signed channel to the app's Node side (/api/internal/*): it reports session ends and
 * step-ups for the audit trail, and asks for a session's last activity when the browser's record is gone.
 *
 * Each request carries `x-internal-auth: <ms>.<HMAC(method, path+query, ms, body)>` with a key derived
 * from SESSION_SECRET for this purpose only; the Node side refuses anything unsigned, altered or older than
 * 30 s. Web APIs only.
 */
import { hmacKey, sign, verify } from "./crypto";

const LABEL = "internal-channel-v1";
export const INTERNAL_AUTH_HEADER = "x-internal-auth";
const MAX_AGE_MS = 30_000;
const TIMEOUT_MS = 3_000;

function canonical(method: string, pathAndQuery: string, ms: string, body: string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${ms}\n${body}`;
}

export function signInternal(secret: string, method: string, pathAndQuery: string, body: string, now = Date.now()): string {
  const ms = String(now);
  return `${ms}.${sign(hmacKey(secret, LABEL), canonical(method, pathAndQuery, ms, body))}`;
}

export function verifyInternal(
  secret: string,
  header: string | null,
  method: string,
  pathAndQuery: string,
  body: string,
  now = Date.now(),
): boolean {
  if (!header) return false;
  const match = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(header);
  if (!match) return false;
  const [, ms, signature] = match as unknown as [string, string, string];
  if (Math.abs(now - Number(ms)) > MAX_AGE_MS) return false;
  return verify(hmacKey(secret, LABEL), canonical(method, pathAndQuery, ms, body), signature);
}

export async function internalFetch(baseUrl: string, secret: string, method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<Response> {
  const text = body === undefined ? "" : JSON.stringify(body);
  return fetch(new URL(pathAndQuery, baseUrl), {
    method,
    headers: {
      [INTERNAL_AUTH_HEADER]: signInternal(secret, method, pathAndQuery, text),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : text,
    cache: "no-store",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}
