/**
 * Crypto helpers (Edge and Node alike): base64url, SHA-256, and HMAC-SHA256 keys derived from
 * SESSION_SECRET with a label per use, so a signature made for one purpose never verifies for another.
 *
 * IMPORTANT: synchronous (@noble/hashes, audited pure JS), not Web Crypto. crypto.subtle is asynchronous
 * in Node and on the Edge runtime alike: every call is a job on libuv's thread pool whose answer waits for
 * the next turn of a busy event loop. The bench measured a re-issued record's response at twice the median
 * latency for that wait alone (the slowest 1% were mostly re-issues); an HMAC of a cookie is a few
 * microseconds of CPU. The output is the same HMAC-SHA256 byte for byte (crypto.test.ts checks it against
 * Web Crypto), so records signed before the change still verify.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

export function toBase64Url(bytes: Uint8Array): string {
  // In chunks: one String.fromCharCode per byte cost more than the HMAC itself (bench profile).
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function sha256(text: string): Uint8Array {
  return nobleSha256(encoder.encode(text));
}

/** An HMAC-SHA256 key: the derived key's bytes. */
export type HmacKey = Uint8Array & { readonly __hmacKey: true };
const keyCache = new Map<string, HmacKey>();

/** HMAC key for `label`, derived as HMAC(secret, label) so each purpose has its own key. */
export function hmacKey(secret: string, label: string): HmacKey {
  const id = `${label}\u0000${secret}`;
  let key = keyCache.get(id);
  if (!key) {
    key = hmac(nobleSha256, encoder.encode(secret), encoder.encode(label)) as HmacKey;
    keyCache.set(id, key);
  }
  return key;
}

export function sign(key: HmacKey, data: string): string {
  return toBase64Url(hmac(nobleSha256, key, encoder.encode(data)));
}

/** Verification in constant time for a signature of the right length (every byte is compared). */
export function verify(key: HmacKey, data: string, signature: string): boolean {
  const given = fromBase64Url(signature);
  // Only the canonical spelling: base64url's last character has spare bits that atob() ignores.
  if (!given || given.length !== 32 || toBase64Url(given) !== signature) return false;
  const expected = hmac(nobleSha256, key, encoder.encode(data));
  let difference = 0;
  for (let i = 0; i < 32; i++) difference |= expected[i]! ^ given[i]!;
  return difference === 0;
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
