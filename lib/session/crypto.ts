/**
 * Web Crypto helpers (Edge and Node alike): base64url, SHA-256, and HMAC-SHA256 keys derived from
 * SESSION_SECRET with a label per use, so a signature made for one purpose never verifies for another.
 */
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

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

const keyCache = new Map<string, Promise<CryptoKey>>();

/** HMAC key for `label`, derived as HMAC(secret, label) so each purpose has its own key. */
export function hmacKey(secret: string, label: string): Promise<CryptoKey> {
  const id = `${label}\u0000${secret}`;
  let key = keyCache.get(id);
  if (!key) {
    key = (async () => {
      const root = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const derived = new Uint8Array(await crypto.subtle.sign("HMAC", root, encoder.encode(label)));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    })();
    keyCache.set(id, key);
  }
  return key;
}

export async function sign(key: CryptoKey, data: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data))));
}

/** Constant-time verification (crypto.subtle.verify). */
export async function verify(key: CryptoKey, data: string, signature: string): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  // Only the canonical spelling: base64url's last character has spare bits that atob() ignores.
  if (!bytes || bytes.length !== 32 || toBase64Url(bytes) !== signature) return false;
  return crypto.subtle.verify("HMAC", key, bytes, encoder.encode(data));
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
