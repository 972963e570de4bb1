/**
 * Tests for evaluate() (lib/session/evaluate.ts), the session evaluation shared by the Edge gate and
 * verifySession(). Kratos (whoami) and the server's activity store are stubs that count their calls; the
 * clock is fixed (T0) and passed in as `now`. Budgets are small: 60 s on desktop, 30 s on /billing,
 * Kratos re-asked every 15 s.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readPolicy } from "../config/env.js";
import type { PolicyConfig } from "../config/policy-config.js";
import type { WhoamiResult } from "../kratos/types";
import type { Session } from "./session";
import { cookieToken, encodeRecord, type ActivityRecord } from "./activity-record";
import { hmacKey, sign, toBase64Url, utf8 } from "./crypto";
import {
  Confirmations,
  evaluate,
  type EvaluateDeps,
  type EvaluateInput,
  type Evaluation,
  type ServerActivity,
} from "./evaluate";

const SEC = 1000;
/** Fixed epoch: 2025-01-01T00:00:00Z. */
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const at = (seconds: number): number => T0 + seconds * SEC;

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const OTHER_SECRET = "another-secret-fedcba9876543210fedcba9876543210";
const KRATOS_COOKIE = "MTczNTY4OTYwMHxrcmF0b3Mtc2Vzc2lvbi0x";
const KRATOS_COOKIE_2 = "MTczNTY4OTY1OHxrcmF0b3Mtc2Vzc2lvbi0y";
const SID = "3f0c2a4e-8b1d-4c6e-9a2f-5d7e1b3c4a60";
const OTHER_SID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const IID = "7b9e1c2d-4a5f-4e6b-8c7d-9e0f1a2b3c4d";

const policy: PolicyConfig = {
  ...readPolicy({}),
  idleDesktopSeconds: 60,
  ceilings: [{ prefix: "/billing", seconds: 30, label: "Billing" }],
  revalidateSeconds: 15,
};

function kratosSession(overrides: Partial<Session> = {}): Session {
  return {
    sessionId: SID,
    identityId: IID,
    email: "ada@example.com",
    name: "Ada Lovelace",
    role: "user",
    preference: undefined,
    issuedAt: T0,
    authenticatedAt: T0,
    expiresAt: T0 + 24 * 3600 * SEC,
    ...overrides,
  };
}

const ok = (overrides: Partial<Session> = {}): WhoamiResult => ({ status: "ok", session: kratosSession(overrides) });
const NONE: WhoamiResult = { status: "none" };
const UNAVAILABLE: WhoamiResult = { status: "unavailable", detail: "x" };

interface Fake {
  deps: EvaluateDeps;
  calls: { whoami: string[]; serverActivity: string[] };
}

function fake(who: WhoamiResult = ok(), server: ServerActivity = null): Fake {
  const calls: Fake["calls"] = { whoami: [], serverActivity: [] };
  return {
    calls,
    deps: {
      whoami: async (cookieHeader) => {
        calls.whoami.push(cookieHeader);
        return who;
      },
      serverActivity: async (sessionId) => {
        calls.serverActivity.push(sessionId);
        return server;
      },
    },
  };
}

function input(overrides: Partial<EvaluateInput> = {}): EvaluateInput {
  const kratosCookie = "kratosCookie" in overrides ? overrides.kratosCookie : KRATOS_COOKIE;
  return {
    now: at(10),
    path: "/dashboard",
    kind: "page",
    where: "gate",
    device: "desktop",
    kratosCookieName: "ory_kratos_session",
    kratosCookie,
    recordCookie: undefined,
    policy,
    secret: SECRET,
    ...overrides,
  };
}

/** A record as the gate would have written it after a page view on /dashboard at 10 s (Kratos asked then). */
async function record(overrides: Partial<ActivityRecord> = {}, kratosCookie = KRATOS_COOKIE): Promise<ActivityRecord> {
  return {
    sessionId: SID,
    kratosToken: await cookieToken(kratosCookie),
    identityId: IID,
    email: "ada@example.com",
    name: "Ada Lovelace",
    role: "user",
    preference: undefined,
    issuedAt: T0,
    authenticatedAt: T0,
    expiresAt: T0 + 24 * 3600 * SEC,
    lastActivityAt: at(10),
    lastPath: "/dashboard",
    checkedAt: at(10),
    stepUpSince: null,
    longestGapMs: 0,
    ...overrides,
  };
}

async function cookie(overrides: Partial<ActivityRecord> = {}, kratosCookie = KRATOS_COOKIE): Promise<string> {
  return encodeRecord(await record(overrides, kratosCookie), SECRET);
}

/** A cookie's payload as it travels (the codec's short keys), to forge variants of it. */
function wireOf(value: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(value.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Narrows to the outcomes that carry a decision and a record. */
function judged(e: Evaluation) {
  if (e.outcome !== "allow" && e.outcome !== "step-up" && e.outcome !== "expire") {
    assert.fail(`expected allow, step-up or expire, got ${JSON.stringify(e)}`);
  }
  return e;
}

/** Runs the way the gate does: evaluate, then hand the encoded record to the next request. */
async function next(e: Evaluation): Promise<string> {
  return encodeRecord(judged(e).record, SECRET);
}

describe("evaluate: no Kratos cookie", () => {
  const cases: { name: string; kratosCookie: string | undefined; withRecord: boolean }[] = [
    { name: "cookie absent", kratosCookie: undefined, withRecord: false },
    { name: "cookie empty", kratosCookie: "", withRecord: false },
    { name: "cookie absent, a valid activity record present", kratosCookie: undefined, withRecord: true },
  ];
  for (const c of cases) {
    it(`${c.name} → no-session without asking Kratos or the server`, async () => {
      const f = fake();
      const e = await evaluate(
        input({ kratosCookie: c.kratosCookie, recordCookie: c.withRecord ? await cookie() : undefined }),
        f.deps,
      );
      assert.deepEqual(e, { outcome: "no-session", ignoredRecord: undefined, askedKratos: false });
      assert.deepEqual(f.calls, { whoami: [], serverActivity: [] });
    });
  }
});

describe("evaluate: the first request (no activity record)", () => {
  it("asks Kratos once, allows, and writes a record bound to the session and the cookie", async () => {
    const f = fake();
    const i = input({ now: at(10), path: "/dashboard", kind: "page" });
    const e = judged(await evaluate(i, f.deps));
    assert.equal(e.outcome, "allow");
    // Only Kratos' own cookie is sent to Kratos, rebuilt from the parsed value.
    assert.deepEqual(f.calls.whoami, [`ory_kratos_session=${i.kratosCookie}`]);
    assert.deepEqual(f.calls.serverActivity, [SID], "a missing record asks the server for the last activity");
    assert.equal(e.askedKratos, true);
    assert.equal(e.ignoredRecord, undefined);
    assert.deepEqual(e.record, {
      sessionId: SID,
      kratosToken: await cookieToken(KRATOS_COOKIE),
      identityId: IID,
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "user",
      preference: undefined,
      issuedAt: T0,
      authenticatedAt: T0,
      expiresAt: T0 + 24 * 3600 * SEC,
      lastActivityAt: at(10),
      lastPath: "/dashboard",
      checkedAt: at(10),
      stepUpSince: null,
      // the time from sign-in to this first request is the longest gap so far
      longestGapMs: 10 * SEC,
    });
    assert.deepEqual(e.session, {
      sessionId: SID,
      identityId: IID,
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "user",
      preference: undefined,
      issuedAt: T0,
      authenticatedAt: T0,
      expiresAt: T0 + 24 * 3600 * SEC,
    });
    assert.equal(e.stepUpStarted, false);
    assert.equal(e.stepUpCompleted, false);
  });

  it("the record never contains the Kratos cookie value", async () => {
    const e = judged(await evaluate(input(), fake().deps));
    assert.ok(!JSON.stringify(e.record).includes(KRATOS_COOKIE));
  });

  it("the user's preference is carried into the record", async () => {
    const e = judged(await evaluate(input(), fake(ok({ preference: 15, role: "admin" })).deps));
    assert.equal(e.record.preference, 15);
    assert.equal(e.record.role, "admin");
  });
});

describe("evaluate: Kratos is re-asked only after revalidateSeconds (15 s)", () => {
  const cases: { afterMs: number; asks: boolean }[] = [
    { afterMs: 0, asks: false },
    { afterMs: 5 * SEC, asks: false },
    { afterMs: 14 * SEC, asks: false },
    { afterMs: 15 * SEC - 1, asks: false },
    { afterMs: 15 * SEC, asks: true },
    { afterMs: 16 * SEC, asks: true },
    { afterMs: 50 * SEC, asks: true },
  ];
  for (const c of cases) {
    it(`${c.afterMs / SEC} s after the first request → Kratos ${c.asks ? "asked" : "NOT asked"}`, async () => {
      const first = await evaluate(input({ now: at(10) }), fake().deps);
      const f = fake();
      const now = at(10) + c.afterMs;
      const e = judged(await evaluate(input({ now, recordCookie: await next(first) }), f.deps));
      assert.equal(e.outcome, "allow");
      assert.equal(f.calls.whoami.length, c.asks ? 1 : 0);
      assert.equal(e.askedKratos, c.asks);
      assert.deepEqual(f.calls.serverActivity, [], "a valid record of this session needs no server lookup");
      assert.equal(e.record.checkedAt, c.asks ? now : at(10), "ck moves only when Kratos was asked");
      assert.equal(e.record.lastActivityAt, now);
    });
  }

  it("a fresh record is trusted for the identity (Kratos' newer answer is not seen until revalidation)", async () => {
    const f = fake(ok({ name: "Renamed" }));
    const e = judged(await evaluate(input({ now: at(15), recordCookie: await cookie() }), f.deps));
    assert.equal(e.session.name, "Ada Lovelace");
    assert.deepEqual(f.calls.whoami, []);
  });

  it("a record checked with another Kratos cookie (tok mismatch) → Kratos asked", async () => {
    const f = fake();
    const e = judged(
      await evaluate(input({ now: at(15), kratosCookie: KRATOS_COOKIE_2, recordCookie: await cookie() }), f.deps),
    );
    assert.equal(f.calls.whoami.length, 1);
    assert.equal(e.askedKratos, true);
    assert.equal(
      e.record.kratosToken,
      await cookieToken(KRATOS_COOKIE_2),
      "the new record is bound to the cookie just checked",
    );
    assert.equal(e.outcome, "allow");
  });

  it("a record whose ck is in the future → Kratos asked", async () => {
    const f = fake();
    const e = judged(
      await evaluate(input({ now: at(15), recordCookie: await cookie({ checkedAt: at(3600) }) }), f.deps),
    );
    assert.equal(f.calls.whoami.length, 1);
    assert.equal(e.record.checkedAt, at(15));
  });
});

describe("evaluate: Kratos unavailable → unavailable (never a sign-out)", () => {
  const cases: { name: string; recordCookie: () => Promise<string | undefined> }[] = [
    { name: "no record", recordCookie: async () => undefined },
    { name: "a stale record within budget", recordCookie: () => cookie({ checkedAt: at(10), lastActivityAt: at(10) }) },
    {
      name: "a stale record idle past the budget",
      recordCookie: () => cookie({ checkedAt: at(0), lastActivityAt: at(0) }),
    },
    { name: "a record bound to another cookie", recordCookie: () => cookie({ checkedAt: at(99) }, KRATOS_COOKIE_2) },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = fake(UNAVAILABLE);
      const e = await evaluate(input({ now: at(100), recordCookie: await c.recordCookie() }), f.deps);
      assert.deepEqual(e, { outcome: "unavailable", detail: "x", ignoredRecord: undefined, askedKratos: true });
      assert.equal(f.calls.whoami.length, 1);
    });
  }
});

describe("evaluate: Kratos says there is no session", () => {
  it("no record → no-session", async () => {
    const f = fake(NONE);
    const e = await evaluate(input({ now: at(10) }), f.deps);
    assert.deepEqual(e, { outcome: "no-session", ignoredRecord: undefined, askedKratos: true });
    assert.deepEqual(f.calls.serverActivity, []);
  });

  it("a tampered record → no-session (the record is not believed)", async () => {
    const value = await cookie({ checkedAt: at(0) });
    const e = await evaluate(
      input({ now: at(100), recordCookie: `${value.slice(0, -3)}${value.slice(-3) === "AAA" ? "BBB" : "AAA"}` }),
      fake(NONE).deps,
    );
    assert.deepEqual(e, { outcome: "no-session", ignoredRecord: "signature", askedKratos: true });
  });

  const cases: {
    name: string;
    record: Partial<ActivityRecord>;
    now: number;
    reason: "revoked" | "idle" | "absolute";
    lastPath: string;
  }[] = [
    {
      name: "idle 20 s on /dashboard (within 60 s) → revoked",
      record: { lastActivityAt: at(10), checkedAt: at(10) },
      now: at(30),
      reason: "revoked",
      lastPath: "/dashboard",
    },
    {
      name: "idle exactly 60 s on /dashboard → revoked",
      record: { lastActivityAt: at(10), checkedAt: at(10) },
      now: at(70),
      reason: "revoked",
      lastPath: "/dashboard",
    },
    {
      name: "idle 61 s on /dashboard → idle",
      record: { lastActivityAt: at(10), checkedAt: at(10) },
      now: at(71),
      reason: "idle",
      lastPath: "/dashboard",
    },
    {
      name: "idle 29 s on /billing → revoked",
      record: { lastActivityAt: at(10), lastPath: "/billing", checkedAt: at(10) },
      now: at(39),
      reason: "revoked",
      lastPath: "/billing",
    },
    {
      name: "idle 31 s on /billing → idle",
      record: { lastActivityAt: at(10), lastPath: "/billing", checkedAt: at(10) },
      now: at(41),
      reason: "idle",
      lastPath: "/billing",
    },
    {
      name: "past the session's expires_at → absolute",
      record: { lastActivityAt: at(95), checkedAt: at(80), expiresAt: at(100) },
      now: at(101),
      reason: "absolute",
      lastPath: "/dashboard",
    },
    {
      name: "past the 4 h absolute lifetime → absolute",
      record: { lastActivityAt: at(4 * 3600 - 5), checkedAt: at(4 * 3600 - 20) },
      now: at(4 * 3600),
      reason: "absolute",
      lastPath: "/dashboard",
    },
  ];
  for (const c of cases) {
    it(`a valid record, ${c.name}`, async () => {
      const f = fake(NONE);
      const e = await evaluate(input({ now: c.now, recordCookie: await cookie(c.record) }), f.deps);
      // The budget that ran out is named only for an idle end (the signed-out page says "after N of inactivity").
      const budgetSeconds = c.reason === "idle" ? (c.lastPath === "/billing" ? 30 : 60) : null;
      assert.deepEqual(e, {
        outcome: "ended",
        reason: c.reason,
        lastPath: c.lastPath,
        budgetSeconds,
        ignoredRecord: undefined,
        askedKratos: true,
      });
      assert.equal(f.calls.whoami.length, 1);
      assert.deepEqual(f.calls.serverActivity, []);
    });
  }

  it("a fresh record bound to another cookie → Kratos asked → ended (revoked)", async () => {
    const f = fake(NONE);
    const e = await evaluate(
      input({ now: at(12), kratosCookie: KRATOS_COOKIE_2, recordCookie: await cookie() }),
      f.deps,
    );
    assert.equal(f.calls.whoami.length, 1);
    assert.equal(e.outcome, "ended");
  });
});

describe("evaluate: a record of another session says nothing about this one", () => {
  // Kratos says the session is SID, authenticated 70 s ago; the record (of OTHER_SID) claims activity 1 s ago.
  const now = at(70);
  const cases: {
    name: string;
    recordSid: string;
    server: ServerActivity;
    outcome: Evaluation["outcome"];
    serverAsked: boolean;
  }[] = [
    {
      name: "record of another session, server knows nothing → idle from authentication (70 s) → expire",
      recordSid: OTHER_SID,
      server: null,
      outcome: "expire",
      serverAsked: true,
    },
    {
      name: "record of another session, server saw activity 10 s ago → allow",
      recordSid: OTHER_SID,
      server: { lastActivityAt: now - 10 * SEC, lastPath: "/dashboard" },
      outcome: "allow",
      serverAsked: true,
    },
    {
      name: "control: the same record of this session → its activity 1 s ago counts → allow",
      recordSid: SID,
      server: null,
      outcome: "allow",
      serverAsked: false,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = fake(ok({ sessionId: SID }), c.server);
      const recordCookie = await cookie({ sessionId: c.recordSid, lastActivityAt: now - SEC, checkedAt: at(0) });
      const e = judged(await evaluate(input({ now, recordCookie }), f.deps));
      assert.equal(e.outcome, c.outcome);
      assert.deepEqual(f.calls.serverActivity, c.serverAsked ? [SID] : []);
      assert.equal(e.record.sessionId, SID, "the new record belongs to the session Kratos named");
      assert.equal(e.ignoredRecord, undefined);
    });
  }
});

describe("evaluate: a missing record never resets the idle clock", () => {
  const now = at(100);
  const cases: {
    name: string;
    authenticatedSecondsAgo: number;
    server: ServerActivity;
    path: string;
    outcome: "allow" | "expire" | "step-up";
    idleSeconds?: number;
    lastPath: string;
  }[] = [
    {
      name: "server: last activity 45 s ago on /billing → expire (idle, Billing budget)",
      authenticatedSecondsAgo: 100,
      server: { lastActivityAt: now - 45 * SEC, lastPath: "/billing" },
      path: "/dashboard",
      outcome: "expire",
      idleSeconds: 45,
      lastPath: "/billing",
    },
    {
      name: "server: last activity 10 s ago on /dashboard → allow (authentication 100 s ago is not used)",
      authenticatedSecondsAgo: 100,
      server: { lastActivityAt: now - 10 * SEC, lastPath: "/dashboard" },
      path: "/dashboard",
      outcome: "allow",
      lastPath: "/dashboard",
    },
    {
      name: "server: last activity 40 s ago on /dashboard, requesting /billing → step-up",
      authenticatedSecondsAgo: 100,
      server: { lastActivityAt: now - 40 * SEC, lastPath: "/dashboard" },
      path: "/billing",
      outcome: "step-up",
      idleSeconds: 40,
      lastPath: "/dashboard",
    },
    {
      name: "server: null, authenticated 61 s ago → expire (counts from authentication)",
      authenticatedSecondsAgo: 61,
      server: null,
      path: "/dashboard",
      outcome: "expire",
      idleSeconds: 61,
      lastPath: "/dashboard",
    },
    {
      name: "server: null, authenticated 59 s ago → allow",
      authenticatedSecondsAgo: 59,
      server: null,
      path: "/dashboard",
      outcome: "allow",
      lastPath: "/dashboard",
    },
    {
      name: 'server: "unavailable", authenticated 61 s ago → expire (counts from authentication)',
      authenticatedSecondsAgo: 61,
      server: "unavailable",
      path: "/dashboard",
      outcome: "expire",
      idleSeconds: 61,
      lastPath: "/dashboard",
    },
    {
      name: 'server: "unavailable", authenticated 59 s ago → allow',
      authenticatedSecondsAgo: 59,
      server: "unavailable",
      path: "/dashboard",
      outcome: "allow",
      lastPath: "/dashboard",
    },
    {
      name: "server activity older than the authentication → counts from authentication (20 s) → allow",
      authenticatedSecondsAgo: 20,
      server: { lastActivityAt: now - 90 * SEC, lastPath: "/dashboard" },
      path: "/dashboard",
      outcome: "allow",
      lastPath: "/dashboard",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = fake(ok({ authenticatedAt: now - c.authenticatedSecondsAgo * SEC }), c.server);
      const e = judged(await evaluate(input({ now, path: c.path }), f.deps));
      assert.equal(e.outcome, c.outcome);
      assert.deepEqual(f.calls.serverActivity, [SID]);
      assert.equal(e.lastPath, c.lastPath);
      if (c.idleSeconds !== undefined) {
        assert.ok(e.decision.kind === "expire" || e.decision.kind === "step-up");
        assert.ok("idleSeconds" in e.decision);
        assert.equal(e.decision.idleSeconds, c.idleSeconds);
      }
      if (e.outcome === "allow") assert.equal(e.record.lastActivityAt, now);
    });
  }
});

describe("evaluate: which requests move the idle clock", () => {
  // Record: page view on /dashboard at 10 s; this request at 20 s (record still fresh: no Kratos call).
  // The gate moves it for navigations only; actions, API calls and the heartbeat move it where they run.
  const cases: {
    kind: EvaluateInput["kind"];
    where: EvaluateInput["where"];
    path: string;
    lastActivityAt: number;
    lastPath: string;
  }[] = [
    { kind: "page", where: "gate", path: "/settings", lastActivityAt: at(20), lastPath: "/settings" },
    { kind: "action", where: "gate", path: "/settings", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "api", where: "gate", path: "/api/things", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "poll", where: "gate", path: "/api/session", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "heartbeat", where: "gate", path: "/api/session/activity", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "prefetch", where: "gate", path: "/billing", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "prefetch", where: "gate", path: "/settings", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "page", where: "handler", path: "/settings", lastActivityAt: at(20), lastPath: "/settings" },
    { kind: "action", where: "handler", path: "/settings", lastActivityAt: at(20), lastPath: "/settings" },
    { kind: "api", where: "handler", path: "/", lastActivityAt: at(20), lastPath: "/dashboard" },
    // A heartbeat's own route moves it (touch()).
    { kind: "heartbeat", where: "handler", path: "/", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "poll", where: "handler", path: "/", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "report", where: "handler", path: "/", lastActivityAt: at(10), lastPath: "/dashboard" },
    { kind: "prefetch", where: "handler", path: "/settings", lastActivityAt: at(10), lastPath: "/dashboard" },
  ];
  for (const c of cases) {
    const la = c.lastActivityAt === at(20) ? "advances" : "stays";
    it(`${c.kind} ${c.path} (${c.where}): la ${la}, lp ${c.lastPath}`, async () => {
      const f = fake();
      const e = judged(
        await evaluate(
          input({ now: at(20), kind: c.kind, where: c.where, path: c.path, recordCookie: await cookie() }),
          f.deps,
        ),
      );
      assert.equal(e.outcome, "allow");
      assert.equal(e.record.lastActivityAt, c.lastActivityAt);
      assert.equal(e.record.lastPath, c.lastPath);
      assert.deepEqual(f.calls.whoami, []);
    });
  }

  const streams: {
    name: string;
    kinds: EvaluateInput["kind"][];
    where: EvaluateInput["where"];
    outcome: Evaluation["outcome"];
  }[] = [
    {
      name: "polls and prefetches every 10 s do not keep a session alive",
      kinds: ["poll", "prefetch", "poll", "prefetch", "poll"],
      where: "gate",
      outcome: "expire",
    },
    {
      name: "heartbeats seen by the gate do not either (the heartbeat route records activity itself)",
      kinds: ["heartbeat", "heartbeat", "heartbeat", "heartbeat", "heartbeat"],
      where: "gate",
      outcome: "expire",
    },
    {
      name: "nor API calls and actions seen by the gate (404, 405, unknown action ids)",
      kinds: ["api", "action", "api", "action", "api"],
      where: "gate",
      outcome: "expire",
    },
    {
      name: "page views every 10 s do",
      kinds: ["page", "page", "page", "page", "page"],
      where: "gate",
      outcome: "allow",
    },
    {
      name: "a single API call that reaches its handler does",
      kinds: ["poll", "poll", "api", "poll", "poll"],
      where: "handler",
      outcome: "allow",
    },
  ];
  for (const s of streams) {
    it(`${s.name}: page at 10 s, requests at 20..60 s, page at 71 s → ${s.outcome}`, async () => {
      const f = fake();
      let e = await evaluate(input({ now: at(10) }), f.deps);
      for (const [n, kind] of s.kinds.entries()) {
        const path =
          kind === "poll"
            ? "/api/session"
            : kind === "heartbeat"
              ? "/api/session/activity"
              : kind === "api"
                ? "/api/things"
                : "/dashboard";
        e = await evaluate(
          input({ now: at(20 + 10 * n), kind, where: s.where, path, recordCookie: await next(e) }),
          f.deps,
        );
        assert.equal(e.outcome, "allow", `${kind} at ${20 + 10 * n} s`);
      }
      e = await evaluate(input({ now: at(71), recordCookie: await next(e) }), f.deps);
      assert.equal(e.outcome, s.outcome);
    });
  }
});

describe("evaluate: API calls are judged against the page the user is on (record's lp)", () => {
  it("api on /api/x while on /billing (idle 20 s) → allow with the Billing budget", async () => {
    const e = judged(
      await evaluate(
        input({ now: at(30), kind: "api", path: "/api/x", recordCookie: await cookie({ lastPath: "/billing" }) }),
        fake().deps,
      ),
    );
    assert.equal(e.outcome, "allow");
    assert.ok(e.decision.kind === "allow");
    assert.deepEqual(e.decision.budget, { area: { prefix: "/billing", label: "Billing" }, seconds: 30 });
    assert.equal(e.record.lastPath, "/billing");
  });

  it("api on /api/x while on /billing, idle 31 s → expire (idle)", async () => {
    const e = judged(
      await evaluate(
        input({ now: at(41), kind: "api", path: "/api/x", recordCookie: await cookie({ lastPath: "/billing" }) }),
        fake().deps,
      ),
    );
    assert.equal(e.outcome, "expire");
  });

  const cases: { kind: EvaluateInput["kind"]; outcome: Evaluation["outcome"] }[] = [
    { kind: "api", outcome: "allow" },
    { kind: "poll", outcome: "allow" },
    { kind: "heartbeat", outcome: "allow" },
    { kind: "page", outcome: "step-up" },
    { kind: "action", outcome: "step-up" },
  ];
  for (const c of cases) {
    it(`${c.kind} for path /billing while on /dashboard, idle 40 s → ${c.outcome}`, async () => {
      const e = judged(
        await evaluate(
          input({ now: at(50), kind: c.kind, path: "/billing", recordCookie: await cookie({ checkedAt: at(45) }) }),
          fake().deps,
        ),
      );
      assert.equal(e.outcome, c.outcome);
      assert.equal(e.record.lastActivityAt, at(10), "the gate moves the clock for navigations only");
    });
  }
});

describe("evaluate: step-up for a stricter area", () => {
  it("idle 40 s on /dashboard, then /billing → step-up; after re-authentication → allow and completed", async () => {
    const f = fake();
    // 1. Page view on /dashboard at 10 s.
    const e1 = judged(await evaluate(input({ now: at(10), path: "/dashboard" }), f.deps));
    assert.equal(e1.outcome, "allow");

    // 2. /billing at 50 s: idle 40 s is within /dashboard's 60 s but past /billing's 30 s.
    const e2 = judged(await evaluate(input({ now: at(50), path: "/billing", recordCookie: await next(e1) }), f.deps));
    assert.equal(e2.outcome, "step-up");
    assert.equal(e2.stepUpStarted, true);
    assert.equal(e2.stepUpCompleted, false);
    assert.ok(e2.decision.kind === "step-up");
    assert.equal(e2.decision.idleSeconds, 40);
    assert.equal(e2.decision.budget.seconds, 30);
    assert.equal(e2.record.stepUpSince, at(50));
    assert.equal(e2.record.lastActivityAt, at(10), "a refused request is not activity");
    assert.equal(e2.record.lastPath, "/dashboard");

    // 3. /billing again at 55 s: still pending, not started again (audited once).
    const e3 = judged(await evaluate(input({ now: at(55), path: "/billing", recordCookie: await next(e2) }), f.deps));
    assert.equal(e3.outcome, "step-up");
    assert.equal(e3.stepUpStarted, false);
    assert.equal(e3.record.stepUpSince, at(50));

    // 4. Re-authenticated at 58 s (Kratos re-issued the cookie; authenticated_at is newer than su).
    const f4 = fake(ok({ authenticatedAt: at(58) }));
    const e4 = judged(
      await evaluate(
        input({ now: at(60), path: "/billing", kratosCookie: KRATOS_COOKIE_2, recordCookie: await next(e3) }),
        f4.deps,
      ),
    );
    assert.equal(f4.calls.whoami.length, 1);
    assert.equal(e4.outcome, "allow");
    assert.equal(e4.stepUpCompleted, true);
    assert.equal(e4.stepUpStarted, false);
    assert.equal(e4.record.stepUpSince, null);
    assert.equal(e4.record.authenticatedAt, at(58));
    assert.equal(e4.record.lastActivityAt, at(60));
    assert.equal(e4.record.lastPath, "/billing");

    // 5. The next request no longer reports a completion.
    const e5 = judged(
      await evaluate(
        input({ now: at(62), path: "/billing", kratosCookie: KRATOS_COOKIE_2, recordCookie: await next(e4) }),
        f4.deps,
      ),
    );
    assert.equal(e5.outcome, "allow");
    assert.equal(e5.stepUpCompleted, false);
    assert.equal(e5.record.stepUpSince, null);
  });

  it("Kratos still reports the old authentication → the step-up stays pending", async () => {
    const f = fake(ok({ authenticatedAt: T0 }));
    const e = judged(
      await evaluate(
        input({
          now: at(60),
          path: "/billing",
          recordCookie: await cookie({ stepUpSince: at(50), checkedAt: at(40) }),
        }),
        f.deps,
      ),
    );
    assert.equal(f.calls.whoami.length, 1);
    assert.equal(e.outcome, "step-up");
    assert.equal(e.stepUpStarted, false);
    assert.equal(e.stepUpCompleted, false);
    assert.equal(e.record.stepUpSince, at(50));
  });

  it("a step-up on /billing does not stop the user from going back to /dashboard", async () => {
    const e = judged(
      await evaluate(
        input({
          now: at(55),
          path: "/dashboard",
          recordCookie: await cookie({ stepUpSince: at(50), checkedAt: at(50) }),
        }),
        fake().deps,
      ),
    );
    assert.equal(e.outcome, "allow");
    assert.equal(e.record.lastActivityAt, at(55));
    assert.equal(e.record.stepUpSince, at(50), "still pending: no newer authentication yet");
  });
});

describe("evaluate: an untrustworthy record is ignored and Kratos decides", () => {
  const cases: { name: string; recordCookie: () => Promise<string>; ignored: "format" | "signature" | "payload" }[] = [
    {
      name: "a tampered payload",
      recordCookie: async () => {
        const [v, p = "", s] = (await cookie()).split(".");
        return `${v}.${p.slice(0, 10)}${p.charAt(10) === "A" ? "B" : "A"}${p.slice(11)}.${s}`;
      },
      ignored: "signature",
    },
    {
      name: "a record signed with another secret",
      recordCookie: async () => encodeRecord(await record(), OTHER_SECRET),
      ignored: "signature",
    },
    { name: "garbage", recordCookie: async () => "abc", ignored: "format" },
    {
      name: "a correctly signed record that fails the schema",
      // Signed here with the record's own key: encodeRecord() refuses to sign what would not read back.
      recordCookie: async () => {
        const payload = toBase64Url(utf8(JSON.stringify({ ...wireOf(await cookie()), sid: "not-a-uuid" })));
        return `v1.${payload}.${sign(hmacKey(SECRET, "activity-record-v1"), `v1.${payload}`)}`;
      },
      ignored: "payload",
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ignoredRecord "${c.ignored}", Kratos asked, allow`, async () => {
      const f = fake(ok({ authenticatedAt: at(0) }));
      const e = judged(await evaluate(input({ now: at(12), recordCookie: await c.recordCookie() }), f.deps));
      assert.equal(e.ignoredRecord, c.ignored);
      assert.equal(e.outcome, "allow");
      assert.equal(f.calls.whoami.length, 1);
      assert.deepEqual(f.calls.serverActivity, [SID], "treated as missing: the server is asked");
      assert.equal(e.record.lastActivityAt, at(12));
    });
  }

  it("a forged record claiming recent activity does not save an idle session", async () => {
    // Authenticated 100 s ago, nothing known since; the forged record says "active 1 s ago".
    const forged = await encodeRecord(await record({ lastActivityAt: at(99), checkedAt: at(99) }), OTHER_SECRET);
    const e = judged(
      await evaluate(input({ now: at(100), recordCookie: forged }), fake(ok({ authenticatedAt: at(0) })).deps),
    );
    assert.equal(e.ignoredRecord, "signature");
    assert.equal(e.outcome, "expire");
  });
});

describe("evaluate: absolute lifetime and device", () => {
  it("a fresh record at the 4 h absolute deadline → expire (absolute) without asking Kratos", async () => {
    const now = at(4 * 3600);
    const f = fake();
    const e = judged(
      await evaluate(
        input({ now, recordCookie: await cookie({ lastActivityAt: now - SEC, checkedAt: now - SEC }) }),
        f.deps,
      ),
    );
    assert.equal(e.outcome, "expire");
    assert.deepEqual(e.decision, { kind: "expire", reason: "absolute" });
    assert.deepEqual(f.calls.whoami, []);
  });

  it("Kratos' expires_at earlier than the policy's lifetime → expire (absolute)", async () => {
    const e = judged(await evaluate(input({ now: at(100) }), fake(ok({ expiresAt: at(100) })).deps));
    assert.deepEqual(e.decision, { kind: "expire", reason: "absolute" });
  });

  const cases: { device: EvaluateInput["device"]; outcome: Evaluation["outcome"] }[] = [
    { device: "desktop", outcome: "expire" },
    { device: "mobile", outcome: "allow" },
  ];
  for (const c of cases) {
    it(`idle 61 s on /dashboard on ${c.device} → ${c.outcome}`, async () => {
      const e = judged(
        await evaluate(input({ now: at(71), device: c.device, recordCookie: await cookie() }), fake().deps),
      );
      assert.equal(e.outcome, c.outcome);
    });
  }
});

describe("evaluate: before an idle end or a step-up on the record alone, the server is asked too", () => {
  // The record says the last activity was at 10 s on /dashboard (60 s budget) or /billing (30 s).
  const cases: {
    name: string;
    path: string;
    now: number;
    server: ServerActivity;
    outcome: Evaluation["outcome"];
    lastActivityAt: number;
  }[] = [
    {
      name: "record idle 70 s, server activity 5 s ago (a crossed answer put the record back) → allow on the later one",
      path: "/dashboard",
      now: at(80),
      server: { lastActivityAt: at(75), lastPath: "/dashboard" },
      outcome: "allow",
      lastActivityAt: at(80),
    },
    {
      name: "record idle 70 s, the server's activity is older → expire",
      path: "/dashboard",
      now: at(80),
      server: { lastActivityAt: at(5), lastPath: "/dashboard" },
      outcome: "expire",
      lastActivityAt: at(10),
    },
    {
      name: "record idle 70 s, the server knows nothing → expire",
      path: "/dashboard",
      now: at(80),
      server: null,
      outcome: "expire",
      lastActivityAt: at(10),
    },
    {
      name: "record idle 70 s, the server's store is down → expire (the record decides; never fail open)",
      path: "/dashboard",
      now: at(80),
      server: "unavailable",
      outcome: "expire",
      lastActivityAt: at(10),
    },
    {
      name: "record idle 40 s asking for /billing (step-up), the server saw activity 3 s ago → allow",
      path: "/billing",
      now: at(50),
      server: { lastActivityAt: at(47), lastPath: "/dashboard" },
      outcome: "allow",
      lastActivityAt: at(50),
    },
    {
      name: "record idle 40 s asking for /billing, the server agrees → step-up",
      path: "/billing",
      now: at(50),
      server: { lastActivityAt: at(10), lastPath: "/dashboard" },
      outcome: "step-up",
      lastActivityAt: at(10),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = fake(ok(), c.server);
      const e = judged(
        await evaluate(
          input({ now: c.now, path: c.path, recordCookie: await cookie({ checkedAt: c.now - SEC }) }),
          f.deps,
        ),
      );
      assert.equal(e.outcome, c.outcome);
      assert.deepEqual(f.calls.serverActivity, [SID], "asked exactly once");
      assert.equal(e.record.lastActivityAt, c.lastActivityAt);
      assert.equal(f.calls.whoami.length, 0, "a fresh record: Kratos is not asked");
    });
  }

  it("a poll on a record put back: allowed on the server's later activity, which the new record carries", async () => {
    const f = fake(ok(), { lastActivityAt: at(75), lastPath: "/billing" });
    const e = judged(
      await evaluate(input({ now: at(80), kind: "poll", recordCookie: await cookie({ checkedAt: at(79) }) }), f.deps),
    );
    assert.equal(e.outcome, "allow");
    assert.equal(e.record.lastActivityAt, at(75), "a poll is not activity: the clock is the server's, not now");
    assert.equal(e.lastPath, "/billing");
  });

  it("an allowed request never asks the server (the common path costs nothing)", async () => {
    const f = fake(ok(), { lastActivityAt: at(75), lastPath: "/dashboard" });
    const e = judged(await evaluate(input({ now: at(30), recordCookie: await cookie({ checkedAt: at(29) }) }), f.deps));
    assert.equal(e.outcome, "allow");
    assert.deepEqual(f.calls.serverActivity, []);
  });
});

describe("evaluate: a Kratos answer this process had counts for the next request too (Confirmations)", () => {
  function withConfirmations(f: Fake, confirmations: Confirmations): EvaluateDeps {
    return { ...f.deps, confirmations };
  }

  it("a poll asks Kratos on a stale record; the next page, with that same record, does not ask again", async () => {
    const confirmations = new Confirmations();
    const stale = await cookie({ lastActivityAt: at(10), checkedAt: at(10) });
    const poll = fake();
    const p = judged(
      await evaluate(input({ now: at(26), kind: "poll", recordCookie: stale }), withConfirmations(poll, confirmations)),
    );
    assert.equal(poll.calls.whoami.length, 1, "the poll found the record stale");
    assert.equal(p.record.checkedAt, at(26));
    const page = fake();
    const e = judged(
      await evaluate(input({ now: at(27), recordCookie: stale }), withConfirmations(page, confirmations)),
    );
    assert.deepEqual(page.calls.whoami, [], "Kratos answered for this cookie 1 s ago");
    assert.equal(e.askedKratos, false);
    assert.equal(e.record.checkedAt, at(26), "the page's record carries the poll's check time to the browser");
  });

  it("without Confirmations (another process), the same page asks Kratos (control)", async () => {
    const stale = await cookie({ lastActivityAt: at(10), checkedAt: at(10) });
    const page = fake();
    judged(await evaluate(input({ now: at(27), recordCookie: stale }), page.deps));
    assert.equal(page.calls.whoami.length, 1);
  });

  it("a confirmation counts for revalidateSeconds from Kratos' answer, no longer", async () => {
    const confirmations = new Confirmations();
    confirmations.confirm(await cookieToken(KRATOS_COOKIE), SID, at(26));
    const stale = await cookie({ lastActivityAt: at(30), checkedAt: at(10) });
    const within = fake();
    judged(
      await evaluate(
        input({ now: at(26) + 15 * SEC - 1, recordCookie: stale }),
        withConfirmations(within, confirmations),
      ),
    );
    assert.equal(within.calls.whoami.length, 0);
    const after = fake();
    judged(
      await evaluate(input({ now: at(26) + 15 * SEC, recordCookie: stale }), withConfirmations(after, confirmations)),
    );
    assert.equal(after.calls.whoami.length, 1);
  });

  it("a confirmation is for one session and one cookie: another cookie or another session id asks Kratos", async () => {
    const confirmations = new Confirmations();
    confirmations.confirm(await cookieToken(KRATOS_COOKIE), SID, at(26));
    const other = fake();
    judged(
      await evaluate(
        input({
          now: at(27),
          kratosCookie: KRATOS_COOKIE_2,
          recordCookie: await cookie({ checkedAt: at(10) }, KRATOS_COOKIE_2),
        }),
        withConfirmations(other, confirmations),
      ),
    );
    assert.equal(other.calls.whoami.length, 1, "another cookie");
    const foreign = new Confirmations();
    foreign.confirm(await cookieToken(KRATOS_COOKIE), "9d3c2a4e-8b1d-4c6e-9a2f-5d7e1b3c4a61", at(26));
    const f = fake();
    judged(
      await evaluate(
        input({ now: at(27), recordCookie: await cookie({ checkedAt: at(10) }) }),
        withConfirmations(f, foreign),
      ),
    );
    assert.equal(f.calls.whoami.length, 1, "another session id");
  });

  it("Kratos saying there is no session forgets the confirmation", async () => {
    const confirmations = new Confirmations();
    confirmations.confirm(await cookieToken(KRATOS_COOKIE), SID, at(26));
    const stale = await cookie({ lastActivityAt: at(30), checkedAt: at(10) });
    // A record bound to another cookie: this request asks Kratos about KRATOS_COOKIE, which says none.
    const gone = fake(NONE);
    await evaluate(
      input({ now: at(28), recordCookie: await cookie({ checkedAt: at(10) }, KRATOS_COOKIE_2) }),
      withConfirmations(gone, confirmations),
    );
    assert.equal(gone.calls.whoami.length, 1);
    const after = fake();
    judged(await evaluate(input({ now: at(29), recordCookie: stale }), withConfirmations(after, confirmations)));
    assert.equal(after.calls.whoami.length, 1, "the confirmation was forgotten with Kratos' answer");
  });

  it("holds at most its size, the oldest out first", () => {
    const c = new Confirmations(2);
    c.confirm("a", SID, 1);
    c.confirm("b", SID, 2);
    c.confirm("a", SID, 3);
    c.confirm("c", SID, 4);
    assert.equal(c.lastFor("b", SID), undefined, "b was the oldest");
    assert.equal(c.lastFor("a", SID), 3);
    assert.equal(c.lastFor("c", SID), 4);
  });
});

describe("evaluate: sticky ceilings (idle gap × path sequence × area)", () => {
  // Budgets here: 60 s on normal pages, 30 s on /billing. A page view on /dashboard at 10 s, then the person
  // is idle for `gap` seconds, then opens `hops` in order.
  const cases: {
    gap: number;
    hops: { kind: EvaluateInput["kind"]; where: EvaluateInput["where"]; path: string; area?: string }[];
    outcomes: string[];
  }[] = [
    {
      gap: 20,
      hops: [
        { kind: "page", where: "gate", path: "/dashboard" },
        { kind: "page", where: "gate", path: "/billing" },
      ],
      outcomes: ["allow", "allow"],
    },
    { gap: 35, hops: [{ kind: "page", where: "gate", path: "/billing" }], outcomes: ["step-up"] },
    {
      gap: 35,
      hops: [
        { kind: "page", where: "gate", path: "/dashboard" },
        { kind: "page", where: "gate", path: "/billing" },
      ],
      outcomes: ["allow", "step-up"],
    },
    {
      gap: 35,
      hops: [
        { kind: "page", where: "gate", path: "/settings" },
        { kind: "page", where: "gate", path: "/dashboard" },
        { kind: "page", where: "gate", path: "/billing/x" },
      ],
      outcomes: ["allow", "allow", "step-up"],
    },
    // An API of the area, wherever the user is.
    {
      gap: 35,
      hops: [
        { kind: "page", where: "gate", path: "/dashboard" },
        { kind: "api", where: "gate", path: "/api/billing/card" },
      ],
      outcomes: ["allow", "step-up"],
    },
    // An action that names its area, posted from /dashboard, judged where it runs.
    {
      gap: 35,
      hops: [
        { kind: "page", where: "gate", path: "/dashboard" },
        { kind: "action", where: "gate", path: "/dashboard" },
        { kind: "action", where: "handler", path: "/dashboard", area: "/billing" },
      ],
      outcomes: ["allow", "allow", "step-up"],
    },
    // A heartbeat's check does not close the gap (its route does, touch()); entering Billing is a step-up.
    {
      gap: 35,
      hops: [
        { kind: "heartbeat", where: "handler", path: "/" },
        { kind: "page", where: "gate", path: "/billing" },
      ],
      outcomes: ["allow", "step-up"],
    },
    // Polls and prefetches do not close a gap, but the gap goes on: entering Billing is a step-up either way.
    {
      gap: 35,
      hops: [
        { kind: "poll", where: "gate", path: "/api/session" },
        { kind: "page", where: "gate", path: "/billing" },
      ],
      outcomes: ["allow", "step-up"],
    },
  ];
  for (const c of cases) {
    const names = c.hops
      .map((h) => `${h.kind}${h.where === "handler" ? "(node)" : ""} ${h.path}${h.area ? ` as ${h.area}` : ""}`)
      .join(" → ");
    it(`idle ${c.gap} s on /dashboard, then ${names} → ${c.outcomes.join(", ")}`, async () => {
      const f = fake();
      let e = await evaluate(input({ now: at(10) }), f.deps);
      for (const [n, hop] of c.hops.entries()) {
        const now = at(10 + c.gap + n);
        e = judged(
          await evaluate(
            input({
              now,
              kind: hop.kind,
              where: hop.where,
              path: hop.path,
              declaredArea: hop.area,
              recordCookie: await next(e),
            }),
            f.deps,
          ),
        );
        assert.equal(e.outcome, c.outcomes[n], `hop ${n + 1}: ${hop.kind} ${hop.path}`);
      }
    });
  }

  it("re-authentication clears the remembered gap: Billing opens after the step-up", async () => {
    const f = fake();
    const e1 = await evaluate(input({ now: at(10) }), f.deps);
    const e2 = judged(await evaluate(input({ now: at(45), path: "/dashboard", recordCookie: await next(e1) }), f.deps));
    assert.equal(e2.record.longestGapMs, 35 * SEC);
    const e3 = judged(await evaluate(input({ now: at(46), path: "/billing", recordCookie: await next(e2) }), f.deps));
    assert.equal(e3.outcome, "step-up");
    // Re-authenticated at 50 s (Kratos re-issued the cookie).
    const f4 = fake(ok({ authenticatedAt: at(50) }));
    const e4 = judged(
      await evaluate(
        input({ now: at(52), path: "/billing", kratosCookie: KRATOS_COOKIE_2, recordCookie: await next(e3) }),
        f4.deps,
      ),
    );
    assert.equal(e4.outcome, "allow");
    assert.equal(e4.record.longestGapMs, 2 * SEC, "only the gap since the new authentication");
  });

  it("a record issued before the gap was kept (no `ig`) reads as 0 and still works", async () => {
    const { ig: _dropped, ...withoutGap } = wireOf(await cookie({ lastActivityAt: at(10) }));
    const payload = toBase64Url(utf8(JSON.stringify(withoutGap)));
    const value = `v1.${payload}.${sign(hmacKey(SECRET, "activity-record-v1"), `v1.${payload}`)}`;
    const e = judged(await evaluate(input({ now: at(20), recordCookie: value }), fake().deps));
    assert.equal(e.ignoredRecord, undefined);
    assert.equal(e.outcome, "allow");
    assert.equal(e.record.longestGapMs, 10 * SEC);
  });
});
