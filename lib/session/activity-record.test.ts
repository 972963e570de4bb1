/**
 * Tests for the signed activity record (lib/session/activity-record.ts): round trip, refusal of anything
 * forged, tampered, truncated, re-versioned or foreign, schema checks behind a valid signature, the size
 * limit, cookieToken and the cookie options. Fixed values only: no clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  ACTIVITY_COOKIE,
  cookieToken,
  decodeRecord,
  encodeRecord,
  needsReissue,
  touch,
  REISSUE_STEP_MS,
  type ActivityRecord,
  type ReadResult,
} from "./activity-record";
import { clearActivityCookie, setActivityCookie } from "./activity-cookie";
import { hmacKey, sign, toBase64Url, utf8 } from "./crypto";
import { SAMPLE_RECORD, T0 } from "./test-fixtures";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const OTHER_SECRET = "another-secret-fedcba9876543210fedcba9876543210";
/** The key label activity-record.ts derives its HMAC key with. */
const LABEL = "activity-record-v1";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const SEC = 1000;

const VALID: ActivityRecord = SAMPLE_RECORD;

/** VALID as it travels in the cookie (the codec's short keys). */
const WIRE = {
  sid: "3f0c2a4e-8b1d-4c6e-9a2f-5d7e1b3c4a60",
  tok: "AbCdEfGhIjKlMnOpQrSt_-",
  iid: "7b9e1c2d-4a5f-4e6b-8c7d-9e0f1a2b3c4d",
  em: "ada@example.com",
  nm: "Ada Lovelace",
  role: "user",
  pref: null,
  ia: T0,
  aa: T0,
  exp: T0 + 24 * 3600 * SEC,
  la: T0 + 60 * SEC,
  lp: "/dashboard",
  ck: T0 + 60 * SEC,
  su: null,
  ig: 0,
};

function record(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return { ...VALID, ...overrides };
}

/** Signs an arbitrary payload string exactly as encodeRecord does: HMAC(HMAC(secret, label), `<version>.<payload>`). */
async function signRaw(payload: string, { version = "v1", secret = SECRET, label = LABEL } = {}): Promise<string> {
  const signature = await sign(await hmacKey(secret, label), `${version}.${payload}`);
  return `${version}.${payload}.${signature}`;
}

/** Signs any JSON value (not necessarily a valid record) with the real key. */
function signJson(value: unknown): Promise<string> {
  return signRaw(toBase64Url(utf8(JSON.stringify(value))));
}

/** Replaces the base64url character at `index` with one whose high bit differs (always a different value). */
function flipAt(text: string, index: number): string {
  const at = BASE64URL.indexOf(text.charAt(index));
  assert.ok(at >= 0, `character ${index} of the value is not base64url`);
  return `${text.slice(0, index)}${BASE64URL.charAt(at ^ 0b100000)}${text.slice(index + 1)}`;
}

function assertInvalid(result: ReadResult, reason?: "format" | "signature" | "payload"): void {
  assert.equal(result.status, "invalid", `expected invalid, got ${JSON.stringify(result)}`);
  if (reason !== undefined) assert.deepEqual(result, { status: "invalid", reason });
}

async function validParts(): Promise<{ value: string; payload: string; signature: string }> {
  const value = await encodeRecord(VALID, SECRET);
  const [, payload = "", signature = ""] = value.split(".");
  return { value, payload, signature };
}

describe("encodeRecord → decodeRecord round trip", () => {
  const cases: { name: string; record: ActivityRecord }[] = [
    { name: "a plain user record", record: VALID },
    { name: "an admin with preference 15", record: record({ role: "admin", preference: 15 }) },
    { name: "preference never (0)", record: record({ preference: 0 }) },
    { name: "preference 30", record: record({ preference: 30 }) },
    { name: "preference 60", record: record({ preference: 60 }) },
    {
      name: "a pending step-up (su set)",
      record: record({ stepUpSince: T0 + 90 * SEC, lastPath: "/billing/invoices" }),
    },
    { name: "non-ASCII name and email", record: record({ name: "Zoë Ñúñez 🚀", email: "zoë@exämple.org" }) },
    { name: "empty name and email", record: record({ name: "", email: "" }) },
    {
      name: "all times zero",
      record: record({ authenticatedAt: 0, expiresAt: 0, lastActivityAt: 0, checkedAt: 0, stepUpSince: 0 }),
    },
    {
      name: "maximum-length strings",
      record: record({ email: "e".repeat(320), name: "n".repeat(100), lastPath: `/${"p".repeat(255)}` }),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: decodes to the same record`, async () => {
      const value = await encodeRecord(c.record, SECRET);
      assert.match(value, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(await decodeRecord(value, SECRET), { status: "valid", record: c.record });
    });
  }

  it("encoding is deterministic for the same record and secret", async () => {
    assert.equal(await encodeRecord(VALID, SECRET), await encodeRecord({ ...VALID }, SECRET));
  });

  it("the test's signing helper matches encodeRecord (so the schema cases below are correctly signed)", async () => {
    assert.equal(await signJson(WIRE), await encodeRecord(VALID, SECRET));
  });

  it(`the cookie is named ${ACTIVITY_COOKIE}`, () => {
    assert.equal(ACTIVITY_COOKIE, "idle_act");
  });
});

describe("decodeRecord: a missing record", () => {
  const cases: { name: string; value: string | undefined }[] = [
    { name: "undefined", value: undefined },
    { name: "empty string", value: "" },
  ];
  for (const c of cases) {
    it(`${c.name} → missing`, async () => {
      assert.deepEqual(await decodeRecord(c.value, SECRET), { status: "missing" });
    });
  }
});

describe("decodeRecord: a single changed character is refused", () => {
  it("every position of the payload", async () => {
    const { payload, signature } = await validParts();
    assert.ok(payload.length > 100);
    for (let i = 0; i < payload.length; i++) {
      const result = await decodeRecord(`v1.${flipAt(payload, i)}.${signature}`, SECRET);
      assert.deepEqual(result, { status: "invalid", reason: "signature" }, `payload position ${i}`);
    }
  });

  it("every position of the signature", async () => {
    const { payload, signature } = await validParts();
    assert.equal(signature.length, 43);
    for (let i = 0; i < signature.length; i++) {
      const result = await decodeRecord(`v1.${payload}.${flipAt(signature, i)}`, SECRET);
      assert.deepEqual(result, { status: "invalid", reason: "signature" }, `signature position ${i}`);
    }
  });

  it("the signature's last character has one accepted spelling (its 2 unused low bits cannot be changed)", async () => {
    // 32 bytes in base64url = 43 characters; the last one carries 4 bits of the MAC and 2 padding bits.
    // A strict verifier accepts only the canonical encoding of the MAC.
    const { payload, signature } = await validParts();
    const head = signature.slice(0, -1);
    const accepted: string[] = [];
    for (const ch of BASE64URL) {
      if (ch === signature.at(-1)) continue;
      const result = await decodeRecord(`v1.${payload}.${head}${ch}`, SECRET);
      if (result.status !== "invalid") accepted.push(`${head}${ch}`);
    }
    assert.deepEqual(accepted, [], `non-canonical signatures accepted (canonical: ${signature})`);
  });
});

describe("decodeRecord: truncation is refused", () => {
  it("at many lengths", async () => {
    const { value, payload } = await validParts();
    const lengths = [
      1,
      2,
      3,
      4,
      10,
      3 + payload.length,
      3 + payload.length + 1,
      3 + payload.length + 2,
      value.length - 10,
      value.length - 2,
      value.length - 1,
    ];
    for (let n = 20; n < value.length; n += 37) lengths.push(n);
    for (const n of lengths) {
      assertInvalid(await decodeRecord(value.slice(0, n), SECRET));
    }
  });

  it("dropping characters from the front", async () => {
    const { value } = await validParts();
    for (const n of [1, 3, 4, 10]) {
      assertInvalid(await decodeRecord(value.slice(n), SECRET), "format");
    }
  });
});

describe("decodeRecord: wrong format, version or algorithm", () => {
  const cases: {
    name: string;
    build: (p: { value: string; payload: string; signature: string }) => Promise<string> | string;
    reason: "format" | "signature";
  }[] = [
    { name: 'no "v1." prefix', build: (p) => `${p.payload}.${p.signature}`, reason: "format" },
    { name: 'prefix "v2." (same signature)', build: (p) => `v2.${p.payload}.${p.signature}`, reason: "format" },
    {
      name: 'prefix "v2." correctly signed over "v2.<payload>"',
      build: (p) => signRaw(p.payload, { version: "v2" }),
      reason: "format",
    },
    { name: 'prefix "V1." (upper case)', build: (p) => `V1.${p.payload}.${p.signature}`, reason: "format" },
    { name: 'prefix "v0."', build: (p) => `v0.${p.payload}.${p.signature}`, reason: "format" },
    { name: "a 4th part", build: (p) => `${p.value}.${p.signature}`, reason: "format" },
    { name: "a trailing dot (empty 4th part)", build: (p) => `${p.value}.`, reason: "format" },
    { name: "a leading dot", build: (p) => `.${p.value}`, reason: "format" },
    { name: "none.<payload>. (alg none, empty signature)", build: (p) => `none.${p.payload}.`, reason: "format" },
    { name: "none.<payload>.<valid signature>", build: (p) => `none.${p.payload}.${p.signature}`, reason: "format" },
    { name: "v1.<payload>. (empty signature)", build: (p) => `v1.${p.payload}.`, reason: "format" },
    { name: "v1..<signature> (empty payload)", build: (p) => `v1..${p.signature}`, reason: "format" },
    { name: "v1.. (all empty)", build: () => "v1..", reason: "format" },
    { name: "only the version", build: () => "v1", reason: "format" },
    { name: "a lone dot", build: () => ".", reason: "format" },
    {
      name: 'JWT header {"alg":"none"} with an empty signature',
      build: (p) => `${toBase64Url(utf8('{"alg":"none","typ":"JWT"}'))}.${p.payload}.`,
      reason: "format",
    },
    {
      name: 'JWT header {"alg":"HS256"} HMAC-signed with the record key',
      build: async (p) => {
        const header = toBase64Url(utf8('{"alg":"HS256","typ":"JWT"}'));
        return `${header}.${p.payload}.${await sign(await hmacKey(SECRET, LABEL), `${header}.${p.payload}`)}`;
      },
      reason: "format",
    },
    {
      name: "signature = plain SHA-256 of the signed text (no key)",
      build: (p) => `v1.${p.payload}.${toBase64Url(createHash("sha256").update(`v1.${p.payload}`).digest())}`,
      reason: "signature",
    },
    {
      name: "signature hex-encoded instead of base64url",
      build: (p) => `v1.${p.payload}.${Buffer.from(p.signature, "base64url").toString("hex")}`,
      reason: "signature",
    },
    {
      name: "signature in padded standard base64",
      build: (p) => `v1.${p.payload}.${Buffer.from(p.signature, "base64url").toString("base64")}`,
      reason: "signature",
    },
    {
      name: "signature truncated to 16 bytes",
      build: (p) => `v1.${p.payload}.${p.signature.slice(0, 22)}`,
      reason: "signature",
    },
    {
      name: "signature with one extra character",
      build: (p) => `v1.${p.payload}.${p.signature}A`,
      reason: "signature",
    },
    { name: "signature of all zero bytes", build: (p) => `v1.${p.payload}.${"A".repeat(43)}`, reason: "signature" },
    {
      name: "signature with a character outside base64url",
      build: (p) => `v1.${p.payload}.${p.signature.slice(0, -1)}*`,
      reason: "signature",
    },
    { name: "garbage", build: () => "abc", reason: "format" },
  ];
  for (const c of cases) {
    it(`${c.name} → invalid (${c.reason})`, async () => {
      const value = await c.build(await validParts());
      assertInvalid(await decodeRecord(value, SECRET), c.reason);
    });
  }
});

describe("decodeRecord: a record signed with another key", () => {
  it("another SESSION_SECRET → invalid (signature)", async () => {
    assertInvalid(await decodeRecord(await encodeRecord(VALID, OTHER_SECRET), SECRET), "signature");
  });

  it("the same secret but another purpose's label (internal-channel-v1) → invalid (signature)", async () => {
    const payload = toBase64Url(utf8(JSON.stringify(VALID)));
    assertInvalid(await decodeRecord(await signRaw(payload, { label: "internal-channel-v1" }), SECRET), "signature");
  });

  it("HMAC keyed with the raw secret (no derivation) → invalid (signature)", async () => {
    const payload = toBase64Url(utf8(JSON.stringify(VALID)));
    const key = await crypto.subtle.importKey("raw", utf8(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const signature = toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(`v1.${payload}`))));
    assertInvalid(await decodeRecord(`v1.${payload}.${signature}`, SECRET), "signature");
  });

  it("a record encoded with SECRET still decodes with SECRET (control)", async () => {
    assert.equal((await decodeRecord(await encodeRecord(VALID, SECRET), SECRET)).status, "valid");
  });
});

describe("decodeRecord: correctly signed, but not a valid record → invalid (payload)", () => {
  const { ck: _ck, ...withoutCk } = WIRE;
  const { ia: _ia, ...withoutIa } = WIRE;
  const cases: { name: string; value: unknown }[] = [
    { name: "sid not a uuid", value: { ...WIRE, sid: "not-a-uuid" } },
    { name: "sid empty", value: { ...WIRE, sid: "" } },
    { name: "iid not a uuid", value: { ...WIRE, iid: "12345" } },
    { name: "an extra key", value: { ...WIRE, admin: true } },
    { name: "la negative", value: { ...WIRE, la: -1 } },
    { name: "la fractional", value: { ...WIRE, la: T0 + 0.5 } },
    { name: "la a string", value: { ...WIRE, la: String(T0) } },
    { name: "aa null", value: { ...WIRE, aa: null } },
    { name: "exp negative", value: { ...WIRE, exp: -1000 } },
    { name: "ck missing", value: withoutCk },
    // Records signed before the session's start was carried: read like a missing record (Kratos is asked).
    { name: "ia missing", value: withoutIa },
    { name: "su negative", value: { ...WIRE, su: -5 } },
    { name: "su a string", value: { ...WIRE, su: "now" } },
    { name: "role superadmin", value: { ...WIRE, role: "superadmin" } },
    { name: "pref 45 (not an allowed choice)", value: { ...WIRE, pref: 45 } },
    { name: 'pref "15" (a string)', value: { ...WIRE, pref: "15" } },
    { name: "lp without a leading slash", value: { ...WIRE, lp: "dashboard" } },
    { name: "lp longer than 256", value: { ...WIRE, lp: `/${"p".repeat(256)}` } },
    { name: "tok of 21 characters", value: { ...WIRE, tok: "A".repeat(21) } },
    { name: "tok of 23 characters", value: { ...WIRE, tok: "A".repeat(23) } },
    { name: "tok with a non-base64url character", value: { ...WIRE, tok: `${"A".repeat(21)}+` } },
    { name: "em longer than 320", value: { ...WIRE, em: "e".repeat(321) } },
    { name: "nm longer than 100", value: { ...WIRE, nm: "n".repeat(101) } },
    { name: "JSON null", value: null },
    { name: "a JSON array", value: [WIRE] },
    { name: "a JSON number", value: 42 },
    { name: "a JSON string", value: "v1" },
    { name: "an empty object", value: {} },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assertInvalid(await decodeRecord(await signJson(c.value), SECRET), "payload");
    });
  }

  const rawCases: { name: string; payload: string }[] = [
    { name: "not JSON", payload: toBase64Url(utf8("not json at all")) },
    { name: "truncated JSON", payload: toBase64Url(utf8(JSON.stringify(WIRE).slice(0, -1))) },
    { name: "invalid UTF-8 bytes", payload: toBase64Url(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])) },
    { name: "characters outside base64url (+ and /)", payload: "eyJh+b/c" },
    { name: "impossible base64 length (1 mod 4)", payload: "A" },
  ];
  for (const c of rawCases) {
    it(c.name, async () => {
      assertInvalid(await decodeRecord(await signRaw(c.payload), SECRET), "payload");
    });
  }
});

describe("decodeRecord: size limit (1500 characters)", () => {
  /** A schema-valid record whose encoded cookie is exactly `length` characters long. */
  async function encodedOfLength(length: number): Promise<string> {
    // 3-byte characters (€) in nm and lp let the record exceed the limit while passing the schema;
    // ASCII characters in em then adjust the length one byte at a time.
    for (let euros = 0; euros <= 255; euros++) {
      const base = record({ name: "€".repeat(100), lastPath: `/${"€".repeat(euros)}`, email: "" });
      if ((await encodeRecord(base, SECRET)).length > length) break;
      for (let extra = 0; extra <= 320; extra++) {
        const value = await encodeRecord({ ...base, email: "e".repeat(extra) }, SECRET);
        if (value.length === length) return value;
        if (value.length > length) break;
      }
    }
    throw new Error(`no schema-valid record encodes to ${length} characters`);
  }

  it("a schema-valid, correctly signed record of 1501 characters → invalid (format)", async () => {
    const value = await encodedOfLength(1501);
    assert.equal(value.length, 1501);
    assertInvalid(await decodeRecord(value, SECRET), "format");
  });

  it("a much longer schema-valid, correctly signed record → invalid (format)", async () => {
    const value = await encodeRecord(
      record({ name: "€".repeat(100), email: "€".repeat(320), lastPath: `/${"€".repeat(255)}` }),
      SECRET,
    );
    assert.ok(value.length > 2000);
    assertInvalid(await decodeRecord(value, SECRET), "format");
  });

  it("a 1499-character record is still accepted (1500 cannot occur in base64url)", async () => {
    const value = await encodedOfLength(1499);
    assert.equal((await decodeRecord(value, SECRET)).status, "valid");
  });

  it("a 5000-character string → invalid (format)", async () => {
    assertInvalid(await decodeRecord(`v1.${"A".repeat(4953)}.${"B".repeat(43)}`, SECRET), "format");
  });
});

describe("cookieToken", () => {
  const values = ["MTc2ODk=a%2Bb+c==", "ory_st_abc", "a", "b", "a ", "", "x".repeat(4096)];
  for (const v of values) {
    const shown = JSON.stringify(v.length > 20 ? `${v.slice(0, 10)}…(${v.length})` : v);
    it(`${shown}: 22 base64url characters = base64url(SHA-256) prefix, deterministic`, async () => {
      const t = await cookieToken(v);
      assert.match(t, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(t, createHash("sha256").update(v, "utf8").digest("base64url").slice(0, 22));
      assert.equal(await cookieToken(v), t);
    });
  }

  it("differs for different cookie values", async () => {
    const tokens = await Promise.all(values.map((v) => cookieToken(v)));
    assert.equal(new Set(tokens).size, values.length);
  });

  it("never contains the cookie value", async () => {
    const v = "secretsessioncookievalue";
    assert.ok(!(await cookieToken(v)).includes(v.slice(0, 8)));
  });
});

describe("setActivityCookie / clearActivityCookie", () => {
  const cases: { env: string; secure: boolean }[] = [
    { env: "production", secure: true },
    { env: "development", secure: false },
  ];
  for (const c of cases) {
    it(`NODE_ENV=${c.env}: HttpOnly, SameSite=Lax, Path=/, Secure=${c.secure}; cleared with those attributes`, () => {
      const set: {
        name: string;
        value: string;
        o: { httpOnly: boolean; sameSite: string; path: string; secure: boolean; maxAge: number };
      }[] = [];
      const jar = { set: (name: string, value: string, o: (typeof set)[number]["o"]) => set.push({ name, value, o }) };
      const env = process.env as Record<string, string | undefined>;
      const was = env.NODE_ENV;
      env.NODE_ENV = c.env;
      try {
        setActivityCookie(jar, "v1.x.y");
        clearActivityCookie(jar);
      } finally {
        env.NODE_ENV = was;
      }
      const [on, off] = set;
      assert.deepEqual([on?.name, on?.value, off?.name, off?.value], [ACTIVITY_COOKIE, "v1.x.y", ACTIVITY_COOKIE, ""]);
      for (const o of [on!.o, off!.o])
        assert.deepEqual([o.httpOnly, o.sameSite, o.path, o.secure], [true, "lax", "/", c.secure]);
      assert.ok(on!.o.maxAge > 0);
      assert.equal(off!.o.maxAge, 0);
    });
  }
});

describe("the verified-record cache never widens what is accepted", () => {
  it("a record that verified (and is now cached) does not verify under another secret", async () => {
    const value = await encodeRecord({ ...VALID, lastActivityAt: VALID.lastActivityAt + 7 * SEC }, SECRET);
    assert.equal((await decodeRecord(value, SECRET)).status, "valid");
    assert.deepEqual(await decodeRecord(value, OTHER_SECRET), { status: "invalid", reason: "signature" });
  });
  it("after a valid record was cached, each one-character change of it is still refused", async () => {
    const value = await encodeRecord({ ...VALID, lastActivityAt: VALID.lastActivityAt + 9 * SEC }, SECRET);
    assert.equal((await decodeRecord(value, SECRET)).status, "valid");
    for (let i = 3; i < value.length; i += 7) {
      const changed = value.slice(0, i) + (value[i] === "A" ? "B" : "A") + value.slice(i + 1);
      assert.equal((await decodeRecord(changed, SECRET)).status, "invalid", `position ${i}`);
    }
  });
  it("a cached record cannot be changed by its reader", async () => {
    const value = await encodeRecord({ ...VALID, lastActivityAt: VALID.lastActivityAt + 11 * SEC }, SECRET);
    const first = await decodeRecord(value, SECRET);
    assert.equal(first.status, "valid");
    if (first.status === "valid")
      assert.throws(() => ((first.record as { lastActivityAt: number }).lastActivityAt = 0), TypeError);
    const again = await decodeRecord(value, SECRET);
    assert.equal(again.status === "valid" && again.record.lastActivityAt, VALID.lastActivityAt + 11 * SEC);
  });
});

describe("needsReissue: the record is re-signed only when it says something new", () => {
  it("no presented record → re-issue", () => assert.equal(needsReissue(undefined, VALID), true));
  it("identical → no", () => assert.equal(needsReissue(VALID, { ...VALID }), false));
  it(`last activity moved by less than ${REISSUE_STEP_MS} ms → no; by exactly that → yes`, () => {
    assert.equal(needsReissue(VALID, { ...VALID, lastActivityAt: VALID.lastActivityAt + REISSUE_STEP_MS - 1 }), false);
    assert.equal(needsReissue(VALID, { ...VALID, lastActivityAt: VALID.lastActivityAt + REISSUE_STEP_MS }), true);
  });
  it("last activity moved backwards → yes", () =>
    assert.equal(needsReissue(VALID, { ...VALID, lastActivityAt: VALID.lastActivityAt - 1 }), true));
  for (const [key, value] of [
    ["lastPath", "/billing"],
    ["checkedAt", VALID.checkedAt + 1],
    ["stepUpSince", T0],
    ["role", "admin"],
    ["preference", 15],
    ["expiresAt", VALID.expiresAt + 1],
    ["kratosToken", "ZZCdEfGhIjKlMnOpQrSt_-"],
  ] as const) {
    it(`${key} changed (last activity unchanged) → yes`, () =>
      assert.equal(needsReissue(VALID, { ...VALID, [key]: value }), true));
  }
  describe("for a request that is not activity (poll, prefetch)", () => {
    it("only the Kratos check time changed → no (its answer may land after a heartbeat's)", () =>
      assert.equal(needsReissue(VALID, { ...VALID, checkedAt: VALID.checkedAt + 20 * SEC }, false), false));
    it("the same, for a request that is activity → yes", () =>
      assert.equal(needsReissue(VALID, { ...VALID, checkedAt: VALID.checkedAt + 20 * SEC }, true), true));
    it("last activity moved backwards → no (never puts the clock back)", () =>
      assert.equal(needsReissue(VALID, { ...VALID, lastActivityAt: VALID.lastActivityAt - 5 * SEC }, false), false));
    it("last activity moved forwards (the server knew a later one) → yes", () =>
      assert.equal(needsReissue(VALID, { ...VALID, lastActivityAt: VALID.lastActivityAt + 1 }, false), true));
    for (const [key, value] of [
      ["stepUpSince", T0],
      ["role", "admin"],
      ["preference", 15],
      ["expiresAt", VALID.expiresAt + 1],
      ["kratosToken", "ZZCdEfGhIjKlMnOpQrSt_-"],
      ["sessionId", "another-session"],
    ] as const) {
      it(`${key} changed → yes`, () => assert.equal(needsReissue(VALID, { ...VALID, [key]: value }, false), true));
    }
  });
});

describe("encodeRecord: only what reads back", () => {
  const refused: { name: string; record: ActivityRecord }[] = [
    { name: "sid not a uuid", record: { ...VALID, sessionId: "not-a-uuid" } },
    { name: "lp without a leading slash", record: { ...VALID, lastPath: "dashboard" } },
    { name: "nm longer than 100", record: { ...VALID, name: "n".repeat(101) } },
    { name: "la fractional", record: { ...VALID, lastActivityAt: T0 + 0.5 } },
  ];
  for (const c of refused) {
    it(`refuses to sign a record decodeRecord would refuse: ${c.name}`, () => {
      assert.throws(() => encodeRecord(c.record, SECRET));
    });
  }
  it("its own output reads back valid at once, and is refused under another secret or one character changed", () => {
    const record = { ...VALID, lastActivityAt: VALID.lastActivityAt + 19 * SEC };
    const value = encodeRecord(record, SECRET);
    assert.deepEqual(decodeRecord(value, SECRET), { status: "valid", record });
    assert.deepEqual(decodeRecord(value, OTHER_SECRET), { status: "invalid", reason: "signature" });
    const changed = value.slice(0, -1) + (value.endsWith("A") ? "B" : "A");
    assert.equal(decodeRecord(changed, SECRET).status, "invalid");
  });
  it("a record over the size limit is refused even right after encodeRecord made it", () => {
    const value = encodeRecord({ ...VALID, email: "€".repeat(320), name: "€".repeat(100) }, SECRET);
    assert.ok(value.length > 1500, `length ${value.length}`);
    assert.deepEqual(decodeRecord(value, SECRET), { status: "invalid", reason: "format" });
  });
});

describe("touch: activity in the heartbeat route", () => {
  it("moves the clock and the governing path, and remembers the gap it closes when it is the longest", () => {
    const t = touch({ ...VALID, longestGapMs: 5 * SEC }, VALID.lastActivityAt + 40 * SEC, "/billing");
    assert.equal(t.lastActivityAt, VALID.lastActivityAt + 40 * SEC);
    assert.equal(t.lastPath, "/billing");
    assert.equal(t.longestGapMs, 40 * SEC);
  });

  it("keeps a longer gap seen before", () => {
    assert.equal(
      touch({ ...VALID, longestGapMs: 90 * SEC }, VALID.lastActivityAt + 3 * SEC, "/dashboard").longestGapMs,
      90 * SEC,
    );
  });

  it("never counts a gap from before the authentication", () => {
    assert.equal(
      touch({ ...VALID, lastActivityAt: T0 - 600 * SEC, authenticatedAt: T0 }, T0 + 2 * SEC, "/dashboard").longestGapMs,
      2 * SEC,
    );
  });
});
