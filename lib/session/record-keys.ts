/**
 * Key rotation for what SESSION_SECRET signs (the activity record, the internal channel): SESSION_SECRET
 * signs, and SESSION_SECRET_PREVIOUS, when set, is still accepted for verification. A record that only the
 * previous key verifies is re-signed with SESSION_SECRET on its next activity (needsReissue), so rotating
 * signs nobody out. How to rotate (several instances): docs/deploy.md. A record no accepted key verifies is
 * ignored as before (it never grants anything; the server's last activity governs).
 * Web APIs only (the Edge gate imports it).
 */
import { readEdgeEnv } from "@/lib/config/env.js";

let cached: { raw: string | undefined; keys: readonly string[] } | undefined;

/** The keys accepted besides SESSION_SECRET: none, or SESSION_SECRET_PREVIOUS (validated like it). */
export function previousSecrets(): readonly string[] {
  const raw = process.env.SESSION_SECRET_PREVIOUS;
  if (cached && cached.raw === raw) return cached.keys;
  const previous = raw ? readEdgeEnv().SESSION_SECRET_PREVIOUS : undefined;
  cached = { raw, keys: Object.freeze(previous ? [previous] : []) };
  return cached.keys;
}

/** `check` with SESSION_SECRET, then with each previous key while it fails; the last answer. */
export function verifyWithKeys<T extends { ok: boolean }>(
  secret: string,
  check: (key: string) => T,
  previous = previousSecrets(),
): T {
  let result = check(secret);
  for (const key of previous) {
    if (result.ok) break;
    result = check(key);
  }
  return result;
}
