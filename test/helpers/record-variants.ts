/**
 * Tampered variants of a genuine signed activity record (lib/session/activity-record.ts), for the tamper
 * fuzzer (test/resilience/tamper.test.ts). Pure and deterministic (seeded), so a failing variant can be
 * reproduced from its kind and index.
 *
 * IMPORTANT: nothing here ever signs a changed `v1.<payload>` with the record's real key: that is not a
 * forgery but the server's own signature. The real key is only used over other versions or JWT-style
 * headers (algorithm/format confusion), which must be refused for their format alone.
 */
import { createHash, createHmac } from "node:crypto";
import { seededRandom } from "./stats";

export interface Variant {
  kind: string;
  value: string;
}

export interface VariantSources {
  /** the newest genuine record of the target session */
  genuine: string;
  /** older genuine records of the same session (replays) */
  older: string[];
  /** genuine records of other sessions (swaps) */
  others: string[];
  /** the record's SESSION_SECRET (used only for the confusion cases described above) */
  secret: string;
  /** the time the forged claims pretend ("active just now") */
  now: number;
  seed?: number;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const RECORD_LABEL = "activity-record-v1";

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString("base64url");
const hmac = (key: Buffer | string, data: string, alg = "sha256") => createHmac(alg, key).update(data).digest();
/** The key derivation activity-record.ts uses: HMAC(secret, label). */
const derived = (secret: string, label: string) => hmac(secret, label);

function parts(value: string): [string, string, string] {
  const [v = "", p = "", s = ""] = value.split(".");
  return [v, p, s];
}

function claimsOf(value: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(parts(value)[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

export function recordVariants(src: VariantSources): Variant[] {
  const out: Variant[] = [];
  const add = (kind: string, value: string) => out.push({ kind, value });
  const { genuine, secret, now } = src;
  const [version, payload, signature] = parts(genuine);
  const payloadBytes = Buffer.from(payload, "base64url");
  const sigBytes = Buffer.from(signature, "base64url");
  const claims = claimsOf(genuine);

  // 1. Every bit of every character (base64url characters carry 6 bits each; dots get other separators).
  for (let i = 0; i < genuine.length; i++) {
    const c = genuine.charAt(i);
    const at = B64URL.indexOf(c);
    const replacements =
      at >= 0 ? [0, 1, 2, 3, 4, 5].map((b) => B64URL.charAt(at ^ (1 << b))) : ["", "_", "-", ",", "A", "..", ":"];
    for (const r of replacements) add("bit-flip (character)", `${genuine.slice(0, i)}${r}${genuine.slice(i + 1)}`);
  }

  // 2. Byte-level damage to the decoded payload and signature (whole-byte changes, not single bits:
  // those are the character flips above), re-encoded.
  for (let i = 0; i < payloadBytes.length; i++) {
    for (const change of [(b: number) => b ^ 0xff, (b: number) => b ^ 0x81, () => 0, (b: number) => (b + 1) & 0xff]) {
      const copy = Buffer.from(payloadBytes);
      copy[i] = change(copy[i] ?? 0);
      add("byte damage (payload)", `${version}.${b64(copy)}.${signature}`);
    }
  }
  for (let i = 0; i < sigBytes.length; i++) {
    for (const change of [(b: number) => b ^ 0xff, (b: number) => b ^ 0x81, () => 0, (b: number) => (b + 1) & 0xff]) {
      const copy = Buffer.from(sigBytes);
      copy[i] = change(copy[i] ?? 0);
      add("byte damage (signature)", `${version}.${payload}.${b64(copy)}`);
    }
  }

  // 3. Truncation from either end.
  for (let n = 0; n < genuine.length; n++) add("truncation (end)", genuine.slice(0, n));
  for (let n = 1; n < genuine.length; n++) add("truncation (front)", genuine.slice(n));

  // 4. Extensions: one more character at the end of each part, and extra parts.
  for (const ch of `${B64URL}.=~ +/`) {
    add("extension (signature)", `${genuine}${ch}`);
    add("extension (payload)", `${version}.${payload}${ch}.${signature}`);
    add("extension (version)", `${version}${ch}.${payload}.${signature}`);
  }
  add("extension (4th part)", `${genuine}.${signature}`);
  add("extension (doubled)", `${genuine}${genuine}`);
  add("extension (doubled payload)", `${version}.${payload}${payload}.${signature}`);

  // 5. Re-encodings of the same bytes, and the same claims serialised differently.
  const std = (s: string) => Buffer.from(s, "base64url").toString("base64");
  add("re-encoding (standard base64 payload)", `${version}.${std(payload)}.${signature}`);
  add("re-encoding (standard base64 signature)", `${version}.${payload}.${std(signature)}`);
  add("re-encoding (standard base64 both)", `${version}.${std(payload)}.${std(signature)}`);
  for (const pad of ["=", "==", "===", "%3D", "%3D%3D"]) {
    add("re-encoding (padding)", `${version}.${payload}${pad}.${signature}`);
    add("re-encoding (padding)", `${genuine}${pad}`);
  }
  add(
    "re-encoding (percent-encoded)",
    [...genuine].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
  );
  add("re-encoding (hex signature)", `${version}.${payload}.${sigBytes.toString("hex")}`);
  add("re-encoding (upper case)", genuine.toUpperCase());
  add("re-encoding (lower case)", genuine.toLowerCase());
  for (const ws of [" ", "\t", "+"]) {
    add("re-encoding (whitespace)", `${ws}${genuine}`);
    add("re-encoding (whitespace)", `${genuine}${ws}`);
    add("re-encoding (whitespace)", genuine.replaceAll(".", `${ws}.${ws}`));
  }
  const json = JSON.stringify(claims);
  const reserialised = [
    JSON.stringify(claims, null, 1),
    JSON.stringify(Object.fromEntries(Object.entries(claims).reverse())),
    `${json} `,
    ` ${json}`,
    json.replace(/"la":/, '"\\u006ca":'),
    `${json.slice(0, -1)},"la":${now}}`, // a duplicate key: JSON.parse keeps the last one
    `\ufeff${json}`,
  ];
  for (const text of reserialised)
    add("re-encoding (same claims, other JSON bytes)", `${version}.${b64(text)}.${signature}`);

  // 6. Forged claims, kept with the genuine signature or signed with keys that are not the record key.
  const forgeries: Record<string, unknown>[] = [
    { la: now },
    { la: now, ck: now },
    { la: now + 3_600_000, ck: now },
    { lp: "/" },
    { lp: "/dashboard", la: now },
    { role: "admin" },
    { pref: 0 },
    { su: null, la: now },
    { aa: now, exp: now + 365 * 86_400_000 },
    { ia: now, aa: now }, // a later session start: under absoluteFrom "sign-in", a later absolute deadline
    { la: Number.MAX_SAFE_INTEGER },
    { tok: "A".repeat(22) },
  ];
  const otherSecret = createHash("sha256").update(`not-${secret}`).digest("hex");
  const signers: Record<string, (data: string) => string> = {
    "the genuine signature (unsigned change)": () => signature,
    "another SESSION_SECRET": (d) => b64(hmac(derived(otherSecret, RECORD_LABEL), d)),
    "the raw secret (no derivation)": (d) => b64(hmac(secret, d)),
    "the internal channel's key (same secret, other purpose)": (d) =>
      b64(hmac(derived(secret, "internal-channel-v1"), d)),
    "a v2 label": (d) => b64(hmac(derived(secret, "activity-record-v2"), d)),
    "an empty label": (d) => b64(hmac(derived(secret, ""), d)),
    "the secret with a trailing space": (d) => b64(hmac(derived(`${secret} `, RECORD_LABEL), d)),
    "the secret's first 32 characters": (d) => b64(hmac(derived(secret.slice(0, 32), RECORD_LABEL), d)),
    "an empty secret": (d) => b64(hmac(derived("", RECORD_LABEL), d)),
    "plain SHA-256 (no key)": (d) => b64(createHash("sha256").update(d).digest()),
    "HMAC-SHA512 truncated to 32 bytes": (d) => b64(hmac(derived(secret, RECORD_LABEL), d, "sha512").subarray(0, 32)),
    "HMAC-SHA1": (d) => b64(hmac(derived(secret, RECORD_LABEL), d, "sha1")),
    "all zero bytes": () => b64(Buffer.alloc(32)),
    "no signature": () => "",
  };
  for (const forged of [{}, ...forgeries]) {
    const p = b64(JSON.stringify({ ...claims, ...forged }));
    for (const [name, signer] of Object.entries(signers)) {
      const value = `v1.${p}.${signer(`v1.${p}`)}`;
      if (value !== genuine) add(`wrong key: ${name}`, value);
    }
  }

  // 7. Version / algorithm confusion: another marker, correctly signed with the REAL key over that marker.
  const realKey = derived(secret, RECORD_LABEL);
  const forgedPayload = b64(JSON.stringify({ ...claims, la: now, ck: now }));
  for (const marker of [
    "v0",
    "v2",
    "V1",
    "v1 ",
    " v1",
    "none",
    "HS256",
    "v10",
    "v1a",
    "1",
    "v",
    "v\u0031\u200b",
    "ѵ1",
  ]) {
    add("alg confusion (marker, genuine signature)", `${marker}.${payload}.${signature}`);
    add(
      "alg confusion (marker, real key over marker)",
      `${marker}.${forgedPayload}.${b64(hmac(realKey, `${marker}.${forgedPayload}`))}`,
    );
    add("alg confusion (marker, no signature)", `${marker}.${forgedPayload}.`);
  }
  for (const header of [
    { alg: "HS256", typ: "JWT" },
    { alg: "none" },
    { alg: "none", typ: "JWT" },
    { alg: "RS256" },
    { alg: "HS512" },
    { alg: "ES256" },
  ]) {
    const h = b64(JSON.stringify(header));
    add("alg confusion (JWT header, real key)", `${h}.${forgedPayload}.${b64(hmac(realKey, `${h}.${forgedPayload}`))}`);
    add(
      "alg confusion (JWT header, raw secret)",
      `${h}.${forgedPayload}.${b64(hmac(secret, `${h}.${forgedPayload}`))}`,
    );
    add("alg confusion (JWT header, no signature)", `${h}.${forgedPayload}.`);
  }
  add("alg confusion (two parts)", `${payload}.${signature}`);
  add("alg confusion (v1 twice)", `v1.${genuine}`);
  add("alg confusion (empty signature)", `v1.${payload}.`);
  add("alg confusion (empty payload)", `v1..${signature}`);

  // 8. Splices: the payload of one genuine record with the signature of another.
  const all = [genuine, ...src.older, ...src.others];
  for (const a of all) {
    for (const b of all) {
      if (a !== b) add("splice (payload of one record, signature of another)", `v1.${parts(a)[1]}.${parts(b)[2]}`);
    }
  }

  // 9. Empty and huge values.
  for (const v of ["", " ", ".", "..", "...", "v1", "v1.", "v1..", "v1...", "null", "undefined", "{}", "[]"])
    add("empty", v);
  for (const n of [1, 43, 1499, 1500, 1501, 4096, 8000, 100_000, 1_000_000]) add("huge", "A".repeat(n));
  add(
    "huge (genuine padded past the limit)",
    `${version}.${payload}${"A".repeat(1501 - genuine.length + 4)}.${signature}`,
  );
  add("huge (1 MB payload)", `v1.${b64("x".repeat(750_000))}.${signature}`);

  // 10. Unicode: look-alikes, invisible characters, non-BMP, lone surrogates.
  const lookalike: Record<string, string> = {
    A: "Α",
    a: "а",
    e: "е",
    o: "о",
    v: "ѵ",
    "1": "１",
    ".": "．",
    "-": "‐",
    _: "＿",
    c: "с",
    p: "р",
  };
  for (let i = 0; i < genuine.length; i++) {
    const l = lookalike[genuine.charAt(i)];
    if (l) add("unicode (look-alike)", `${genuine.slice(0, i)}${l}${genuine.slice(i + 1)}`);
  }
  for (const inv of ["\u200b", "\ufeff", "\u202e", "\u00a0", "\u2028", "é", "🚀", "\ud800"]) {
    for (const at of [0, 1, 2, 3, 10, genuine.indexOf(".", 3), genuine.length - 1, genuine.length]) {
      add("unicode (inserted)", `${genuine.slice(0, at)}${inv}${genuine.slice(at)}`);
    }
  }
  add(
    "unicode (claims with non-ASCII, genuine signature)",
    `v1.${b64(JSON.stringify({ ...claims, nm: "Zoë 🚀", la: now }))}.${signature}`,
  );

  // 11. Random multi-point mutations (2-4 edits each), seeded.
  const rnd = seededRandom(src.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const alphabet = `${B64URL}.=~ %`;
  for (let n = 0; n < 5_000; n++) {
    let v = genuine;
    const edits = 2 + Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) {
      const i = Math.floor(rnd() * (v.length + 1));
      switch (Math.floor(rnd() * 5)) {
        case 0:
          v = `${v.slice(0, i)}${pick([...alphabet])}${v.slice(i + 1)}`;
          break;
        case 1:
          v = `${v.slice(0, i)}${v.slice(i + 1)}`;
          break;
        case 2:
          v = `${v.slice(0, i)}${pick([...alphabet])}${v.slice(i)}`;
          break;
        case 3: {
          const j = Math.floor(rnd() * v.length);
          v = `${v.slice(0, i)}${v.slice(j, j + 1 + Math.floor(rnd() * 8))}${v.slice(i)}`;
          break;
        }
        default: {
          const other = pick(all);
          const j = Math.floor(rnd() * other.length);
          v = `${v.slice(0, i)}${other.slice(j, j + 1 + Math.floor(rnd() * 16))}${v.slice(i + 8)}`;
        }
      }
    }
    add("random mutation", v);
  }

  // 12. Genuine records, but not this session's newest: swapped in from other sessions, or replayed.
  for (const o of src.others) add("swapped session (another session's genuine record)", o);
  for (const o of src.older) add("replay (an older record of the same session)", o);

  // One of each value: the same string reached by two routes is one variant. The newest genuine record
  // itself is the baseline, not a variant.
  const seen = new Set<string>([genuine]);
  return out.filter((v) => !seen.has(v.value) && seen.add(v.value));
}

/**
 * The value as a browser would put it in a Cookie header (UTF-8 bytes, each byte one header character),
 * or null when it cannot travel as one cookie (control characters; ";" would start another cookie).
 */
export function asCookieOctets(value: string, maxLength = 6_000): string | null {
  const octets = Buffer.from(value, "utf8").toString("latin1");
  if (octets.length === 0 || octets.length > maxLength) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f;]/.test(octets)) return null;
  return octets;
}

/**
 * One forged record for a targeted check: the genuine record's claims with `changes`, carried with the
 * genuine signature, or signed with a key that is not the record key. Never the real key (see above).
 */
export function forgedRecord(
  genuine: string,
  changes: Record<string, unknown>,
  how: "genuine signature" | "internal channel key" | "raw secret" | "jwt alg none",
  secret: string,
): string {
  const [, , signature] = parts(genuine);
  const p = b64(JSON.stringify({ ...claimsOf(genuine), ...changes }));
  switch (how) {
    case "genuine signature":
      return `v1.${p}.${signature}`;
    case "internal channel key":
      return `v1.${p}.${b64(hmac(derived(secret, "internal-channel-v1"), `v1.${p}`))}`;
    case "raw secret":
      return `v1.${p}.${b64(hmac(secret, `v1.${p}`))}`;
    case "jwt alg none":
      return `${b64(JSON.stringify({ alg: "none", typ: "JWT" }))}.${p}.`;
  }
}
