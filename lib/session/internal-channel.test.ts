/**
 * Tests for the Edge → Node signed channel (lib/session/internal-channel.ts): signInternal / verifyInternal
 * (the nonce ledger and internalFetch: internal-channel-wire.test.ts).
 * Every signing call passes `now` explicitly (a fixed clock), so the 30 s window is tested at its boundaries.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { INTERNAL_AUTH_HEADER, signInternal, verifyInternal } from "./internal-channel";
import { hmacKey, sign } from "./crypto";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const OTHER_SECRET = "another-secret-fedcba9876543210fedcba9876543210";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Fixed epoch: 2025-01-01T00:00:00Z. */
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const SEC = 1000;

const METHOD = "POST";
const PATH = "/api/internal/events";
const BODY = JSON.stringify({ type: "audit", event: { eventType: "step_up_required", sessionId: "s-1" } });

const NONCE = "AAAAAAAAAAAAAAAAAAAAAA";

interface Request {
  secret: string;
  method: string;
  path: string;
  body: string;
  now: number;
  nonce?: string;
}
const signed: Request = { secret: SECRET, method: METHOD, path: PATH, body: BODY, now: T0, nonce: NONCE };

function headerFor(r: Request = signed): string {
  return signInternal(r.secret, r.method, r.path, r.body, r.now, r.nonce);
}

function check(header: string | null, r: Partial<Request> = {}): boolean {
  const v = { ...signed, ...r };
  return verifyInternal(v.secret, header, v.method, v.path, v.body, v.now);
}

/** Replaces the base64url character at `index` with one whose high bit differs (always a different value). */
function flipAt(text: string, index: number): string {
  const at = BASE64URL.indexOf(text.charAt(index));
  assert.ok(at >= 0, `character ${index} is not base64url`);
  return `${text.slice(0, index)}${BASE64URL.charAt(at ^ 0b100000)}${text.slice(index + 1)}`;
}

describe("signInternal", () => {
  it(`the header is named ${INTERNAL_AUTH_HEADER}`, () => {
    assert.equal(INTERNAL_AUTH_HEADER, "x-internal-auth");
  });

  it("has the form <13-digit ms>.<22-char nonce>.<43-char base64url HMAC>, with the given time", async () => {
    const header = await headerFor();
    assert.match(header, /^\d{13}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    assert.equal(header.split(".")[0], String(T0));
    assert.equal(header.split(".")[1], NONCE);
  });

  it("is deterministic for the same inputs and nonce", async () => {
    assert.equal(await headerFor(), await headerFor({ ...signed }));
  });

  it("takes a fresh random nonce by default: 1000 headers, 1000 different nonces", () => {
    const nonces = new Set(
      Array.from({ length: 1000 }, () => signInternal(SECRET, METHOD, PATH, BODY, T0).split(".")[1]),
    );
    assert.equal(nonces.size, 1000);
  });

  it("differs when any signed input differs", async () => {
    const variants: Request[] = [
      signed,
      { ...signed, method: "GET" },
      { ...signed, path: "/api/internal/activity" },
      { ...signed, body: "" },
      { ...signed, now: T0 + 1 },
      { ...signed, secret: OTHER_SECRET },
      { ...signed, nonce: "BAAAAAAAAAAAAAAAAAAAAA" },
    ];
    const headers = await Promise.all(variants.map((v) => headerFor(v)));
    assert.equal(new Set(headers).size, variants.length);
  });
});

describe("verifyInternal: a valid request", () => {
  const cases: { name: string; request: Request }[] = [
    { name: "POST with a JSON body", request: signed },
    {
      name: "GET with a query and an empty body",
      request: { secret: SECRET, method: "GET", path: "/api/internal/activity?sid=3f0c2a4e", body: "", now: T0 },
    },
    { name: "non-ASCII body", request: { ...signed, body: '{"name":"Zoë 🚀"}' } },
  ];
  for (const c of cases) {
    it(`${c.name}: round trip → true`, async () => {
      assert.equal(await check(await headerFor(c.request), c.request), true);
    });
  }

  it("the method is compared case-insensitively (canonical upper case)", async () => {
    assert.equal(await check(await headerFor({ ...signed, method: "post" }), { method: "POST" }), true);
  });
});

describe("verifyInternal: anything altered → false", () => {
  const cases: { name: string; verifyWith: Partial<Request> }[] = [
    { name: "another method (GET for POST)", verifyWith: { method: "GET" } },
    { name: "another method (PUT for POST)", verifyWith: { method: "PUT" } },
    { name: "another path", verifyWith: { path: "/api/internal/activity" } },
    { name: "the same path with a query added", verifyWith: { path: `${PATH}?x=1` } },
    { name: "the path with a trailing slash", verifyWith: { path: `${PATH}/` } },
    { name: "another body", verifyWith: { body: BODY.replace("step_up_required", "step_up_completed") } },
    { name: "an empty body", verifyWith: { body: "" } },
    { name: "the body with a trailing newline", verifyWith: { body: `${BODY}\n` } },
    { name: "another secret", verifyWith: { secret: OTHER_SECRET } },
  ];
  for (const c of cases) {
    it(`${c.name} → false`, async () => {
      const header = await headerFor();
      assert.equal(await check(header), true, "control: unaltered request verifies");
      assert.equal(await check(header, c.verifyWith), false);
    });
  }

  it("a changed timestamp or nonce (signature kept) → false", async () => {
    const header = await headerFor();
    const [, nonce, signature] = header.split(".");
    assert.equal(await check(`${T0 + 1}.${nonce}.${signature}`), false);
    assert.equal(await check(`${T0 - 1000}.${nonce}.${signature}`), false);
    assert.equal(await check(`${T0}.${flipAt(nonce ?? "", 0)}.${signature}`), false);
  });

  it("a single changed character at every position of the signature → false", async () => {
    const header = await headerFor();
    const [ms = "", nonce = "", signature = ""] = header.split(".");
    for (let i = 0; i < signature.length; i++) {
      assert.equal(await check(`${ms}.${nonce}.${flipAt(signature, i)}`), false, `signature position ${i}`);
    }
  });

  it("the same canonical text signed with another purpose's key (activity-record-v1) → false", async () => {
    const canonical = `${METHOD}\n${PATH}\n${T0}\n${NONCE}\n${BODY}`;
    const forged = `${T0}.${NONCE}.${await sign(await hmacKey(SECRET, "activity-record-v1"), canonical)}`;
    assert.equal(await check(forged), false);
  });

  it("a header of the old format (v1, no nonce), even correctly signed with the v1 key → false", async () => {
    const v1Key = await hmacKey(SECRET, "internal-channel-v1");
    const old = `${T0}.${await sign(v1Key, `${METHOD}\n${PATH}\n${T0}\n${BODY}`)}`;
    assert.equal(await check(old), false);
  });

  it("control: the canonical text signed with the channel's own key verifies", async () => {
    const canonical = `${METHOD}\n${PATH}\n${T0}\n${NONCE}\n${BODY}`;
    const header = `${T0}.${NONCE}.${await sign(await hmacKey(SECRET, "internal-channel-v2"), canonical)}`;
    assert.equal(await check(header), true);
  });
});

describe("verifyInternal: the 30 s window", () => {
  const cases: { name: string; offsetMs: number; expected: boolean }[] = [
    { name: "verified at the signing time", offsetMs: 0, expected: true },
    { name: "1 s old", offsetMs: SEC, expected: true },
    { name: "29 s old", offsetMs: 29 * SEC, expected: true },
    { name: "exactly 30 s old", offsetMs: 30 * SEC, expected: true },
    { name: "30 s + 1 ms old", offsetMs: 30 * SEC + 1, expected: false },
    { name: "31 s old", offsetMs: 31 * SEC, expected: false },
    { name: "an hour old", offsetMs: 3600 * SEC, expected: false },
    { name: "1 s in the future", offsetMs: -SEC, expected: true },
    { name: "exactly 30 s in the future", offsetMs: -30 * SEC, expected: true },
    { name: "30 s + 1 ms in the future", offsetMs: -(30 * SEC + 1), expected: false },
    { name: "31 s in the future", offsetMs: -31 * SEC, expected: false },
    { name: "a day in the future", offsetMs: -86400 * SEC, expected: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.expected}`, async () => {
      const header = await headerFor();
      assert.equal(await check(header, { now: T0 + c.offsetMs }), c.expected);
    });
  }
});

describe("verifyInternal: malformed headers → false", () => {
  const cases: { name: string; header: (valid: string) => string | null }[] = [
    { name: "null", header: () => null },
    { name: "empty string", header: () => "" },
    { name: '"abc"', header: () => "abc" },
    { name: '"123.sig"', header: () => "123.sig" },
    { name: "only the timestamp", header: (v) => v.split(".")[0] ?? "" },
    { name: "only the signature", header: (v) => v.split(".")[2] ?? "" },
    { name: "no nonce", header: (v) => `${v.split(".")[0]}.${v.split(".")[2]}` },
    { name: "a 21-character nonce", header: (v) => v.replace(`.${NONCE}.`, `.${NONCE.slice(1)}.`) },
    { name: "timestamp and a trailing dot", header: (v) => `${v.split(".")[0]}.` },
    { name: "a fourth part", header: (v) => `${v}.extra` },
    { name: "leading whitespace", header: (v) => ` ${v}` },
    { name: "trailing whitespace", header: (v) => `${v} ` },
    { name: "a 12-digit timestamp", header: (v) => v.slice(1) },
    { name: "a 14-digit timestamp", header: (v) => `0${v}` },
    { name: "a timestamp in seconds", header: (v) => `${Math.floor(T0 / 1000)}.${v.split(".").slice(1).join(".")}` },
    { name: "a negative timestamp", header: (v) => `-${v}` },
    { name: "a 42-character signature", header: (v) => v.slice(0, -1) },
    { name: "a 44-character signature", header: (v) => `${v}A` },
    { name: "standard base64 padding", header: (v) => `${v}=` },
    { name: "a signature with +", header: (v) => `${v.slice(0, -1)}+` },
    { name: "a Bearer prefix", header: (v) => `Bearer ${v}` },
    { name: "the signature first", header: (v) => v.split(".").reverse().join(".") },
  ];
  for (const c of cases) {
    it(`${c.name} → false`, async () => {
      const valid = await headerFor();
      const header = c.header(valid);
      assert.notEqual(header, valid);
      assert.equal(await check(header), false);
    });
  }
});
