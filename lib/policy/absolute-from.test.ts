/**
 * Where the absolute lifetime counts from (policy.absoluteFrom), at the boundaries, for a session that
 * re-authenticated (a step-up or "sign in again": Kratos moves authenticated_at and expires_at, keeps
 * issued_at). Pure: a fixed clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, readPolicy } from "../config/env.js";
import { PRESETS } from "../config/policy-config.js";
import { deadlinesOf, sessionStatus } from "../session/status";
import { absoluteDeadline, decide, type PolicyConfig, type SessionTimes, type Subject } from "./idle-rule";

const SEC = 1000;
const HOUR = 3600 * SEC;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const desktop: Subject = { role: "user", preference: undefined, device: "desktop" };

const signIn: PolicyConfig = { ...readPolicy({}), absoluteSeconds: 4 * 3600, absoluteFrom: "sign-in" };
const lastAuth: PolicyConfig = { ...signIn, absoluteFrom: "last-authentication" };

/** Signed in at T0, re-authenticated at T0 + 1 h: Kratos' expires_at is then T0 + 1 h + its 4 h lifespan. */
const refreshed = { issuedAt: T0, authenticatedAt: T0 + HOUR, expiresAt: T0 + 5 * HOUR };

/** Active a second ago, on the dashboard, at `now`. */
function activeAt(now: number, session = refreshed): SessionTimes {
  return { now, ...session, lastActivityAt: now - SEC, lastActivityPath: "/dashboard" };
}

const boundaries = [
  { offset: -1, expected: "allow", label: "deadline − 1 s: allowed" },
  { offset: 0, expected: "expire", label: "exactly the deadline: expired" },
  { offset: +1, expected: "expire", label: "deadline + 1 s: expired" },
] as const;

const modes = [
  {
    name: '"sign-in": the first sign-in + 4 h, a re-authentication does not extend it',
    policy: signIn,
    at: T0 + 4 * HOUR,
  },
  { name: '"last-authentication": the re-authentication + 4 h', policy: lastAuth, at: T0 + 5 * HOUR },
];

for (const mode of modes) {
  describe(`absoluteFrom ${mode.name}`, () => {
    it("absoluteDeadline", () => {
      assert.equal(absoluteDeadline(refreshed, mode.policy), mode.at);
    });
    for (const b of boundaries) {
      it(b.label, () => {
        const d = decide(activeAt(mode.at + b.offset * SEC), "/dashboard", desktop, mode.policy);
        if (b.expected === "allow") assert.equal(d.kind, "allow");
        else assert.deepEqual(d, { kind: "expire", reason: "absolute" });
      });
    }
    it("the session-status answer (the browser's absolute warning) names the same deadline", () => {
      const deadlines = deadlinesOf(
        refreshed,
        { lastActivityAt: T0 + HOUR, lastPath: "/dashboard" },
        desktop,
        mode.policy,
      );
      assert.equal(sessionStatus(deadlines, mode.policy, T0 + HOUR).absoluteExpiresAt, mode.at);
      assert.equal(sessionStatus(deadlines, mode.policy, T0 + HOUR).absoluteFrom, mode.policy.absoluteFrom);
    });
  });
}

describe("absoluteFrom: both modes agree without a re-authentication, and never outlive Kratos", () => {
  const never = { issuedAt: T0, authenticatedAt: T0, expiresAt: T0 + 24 * HOUR };
  for (const policy of [signIn, lastAuth]) {
    it(`${policy.absoluteFrom}: signed in once: T0 + 4 h`, () => {
      assert.equal(absoluteDeadline(never, policy), T0 + 4 * HOUR);
    });
    it(`${policy.absoluteFrom}: Kratos' expires_at earlier than the policy's deadline wins`, () => {
      const shortKratos = { ...refreshed, expiresAt: T0 + 2 * HOUR };
      assert.equal(absoluteDeadline(shortKratos, policy), T0 + 2 * HOUR);
      assert.equal(decide(activeAt(T0 + 2 * HOUR - SEC, shortKratos), "/dashboard", desktop, policy).kind, "allow");
      const d = decide(activeAt(T0 + 2 * HOUR, shortKratos), "/dashboard", desktop, policy);
      assert.deepEqual(d, { kind: "expire", reason: "absolute" });
    });
  }
});

describe("absoluteFrom in the presets and the schema", () => {
  const expected: Record<string, PolicyConfig["absoluteFrom"]> = {
    default: "sign-in",
    "pci-dss": "sign-in",
    banking: "sign-in",
    // NIST SP 800-63B: reauthentication at least every 24 h (AAL2) / 12 h (AAL3); a reauthentication restarts it.
    "nist-aal2": "last-authentication",
    "nist-aal3": "last-authentication",
  };
  for (const [name, from] of Object.entries(expected)) {
    it(`${name}: ${from}`, () => {
      assert.equal(PRESETS[name]?.policy.absoluteFrom, from);
      assert.equal(readPolicy({ IDLE_POLICY_PRESET: name }).absoluteFrom, from);
    });
  }
  it("every preset says where its absolute lifetime counts from", () => {
    for (const [name, preset] of Object.entries(PRESETS)) assert.ok(preset.policy.absoluteFrom, name);
  });
  it("IDLE_POLICY overrides it", () => {
    const p = readPolicy({ IDLE_POLICY_PRESET: "nist-aal2", IDLE_POLICY: '{"absoluteFrom":"sign-in"}' });
    assert.equal(p.absoluteFrom, "sign-in");
  });
  it("anything else is refused at start-up, naming the field", () => {
    assert.throws(
      () => readPolicy({ IDLE_POLICY: '{"absoluteFrom":"login"}' }),
      (e: unknown) => e instanceof ConfigError && /absoluteFrom/.test(e.message),
    );
  });
});
