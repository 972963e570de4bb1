/**
 * Tests for the enforcement core (lib/session/enforce.ts): every evaluation outcome, in both runtimes, to
 * its answer and its effects, in order. Pure: evaluations are built by hand, no clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readPolicy } from "../config/env.js";
import type { PolicyConfig } from "../config/policy-config.js";
import { budgetFor, type Decision } from "../policy/idle-rule";
import type { ActivityRecord } from "./activity-record";
import { enforce, type EnforceContext, type Effect } from "./enforce";
import type { Evaluation } from "./evaluate";
import type { RequestKind } from "./request-kind";

const SEC = 1000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const SID = "3f0c2a4e-8b1d-4c6e-9a2f-5d7e1b3c4a60";
const IID = "7b9e1c2d-4a5f-4e6b-8c7d-9e0f1a2b3c4d";

const policy: PolicyConfig = {
  ...readPolicy({}),
  idleDesktopSeconds: 60,
  ceilings: [{ prefix: "/billing", seconds: 30, label: "Billing" }],
};
const subject = { role: "user" as const, preference: undefined, device: "desktop" as const };

const session = {
  sessionId: SID,
  identityId: IID,
  email: "ada@example.com",
  name: "Ada",
  role: "user" as const,
  preference: undefined,
  issuedAt: T0,
  authenticatedAt: T0,
  expiresAt: T0 + 3600 * SEC,
};

function record(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    ...session,
    kratosToken: "AbCdEfGhIjKlMnOpQrSt_-",
    lastActivityAt: T0 + 10 * SEC,
    lastPath: "/dashboard",
    checkedAt: T0 + 10 * SEC,
    stepUpSince: null,
    longestGapMs: 0,
    ...overrides,
  };
}

type Judged = Extract<Evaluation, { outcome: "allow" | "step-up" | "expire" }>;

function judged(outcome: Judged["outcome"], decision: Decision, overrides: Partial<Judged> = {}): Judged {
  return {
    outcome,
    session,
    decision,
    record: record(),
    presented: record(),
    lastPath: "/dashboard",
    stepUpCompleted: false,
    stepUpStarted: false,
    ignoredRecord: undefined,
    askedKratos: false,
    ...overrides,
  } as Judged;
}

const ALLOW: Decision = {
  kind: "allow",
  budget: budgetFor("/dashboard", subject, policy),
  idleDeadline: T0 + 70 * SEC,
};
const STEP_UP: Decision = { kind: "step-up", budget: budgetFor("/billing", subject, policy), idleSeconds: 40.4 };
const IDLE: Decision = {
  kind: "expire",
  reason: "idle",
  budget: budgetFor("/billing", subject, policy),
  idleSeconds: 31,
};
const ABSOLUTE: Decision = { kind: "expire", reason: "absolute" };

const ctx = (where: EnforceContext["where"], kind: RequestKind = "page", path = "/dashboard"): EnforceContext => ({
  where,
  kind,
  path,
  device: "desktop",
  policy,
});
const types = (effects: Effect[]) => effects.map((e) => e.type);

describe("enforce: outcomes without a session", () => {
  const cases: { name: string; e: Evaluation; answer: string; gate: string[]; handler: string[] }[] = [
    {
      name: "no session",
      e: { outcome: "no-session", ignoredRecord: undefined, askedKratos: false },
      answer: "sign-in",
      gate: [],
      handler: [],
    },
    {
      name: "Kratos unavailable",
      e: { outcome: "unavailable", detail: "x", ignoredRecord: undefined, askedKratos: true },
      answer: "unavailable",
      gate: [],
      handler: [],
    },
    {
      name: "Kratos ended it",
      e: {
        outcome: "ended",
        reason: "revoked",
        lastPath: "/billing",
        budgetSeconds: null,
        ignoredRecord: undefined,
        askedKratos: true,
      },
      answer: "signed-out",
      gate: ["clear-cookies"],
      handler: [],
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.answer}; gate effects [${c.gate}], Node effects [${c.handler}]`, () => {
      for (const where of ["gate", "handler"] as const) {
        const v = enforce(c.e, ctx(where));
        assert.equal(v.answer.kind, c.answer);
        assert.deepEqual(types(v.effects), where === "gate" ? c.gate : c.handler);
      }
    });
  }

  it("ended: the answer says why and where", () => {
    const v = enforce(
      {
        outcome: "ended",
        reason: "idle",
        lastPath: "/billing",
        budgetSeconds: 30,
        ignoredRecord: undefined,
        askedKratos: true,
      },
      ctx("handler"),
    );
    assert.deepEqual(v.answer, { kind: "signed-out", reason: "idle", lastPath: "/billing", budgetSeconds: 30 });
  });
});

describe("enforce: expire", () => {
  const cases: {
    name: string;
    decision: Decision;
    where: EnforceContext["where"];
    end: Record<string, unknown>;
    effects: string[];
  }[] = [
    {
      name: "idle, found by the gate",
      decision: IDLE,
      where: "gate",
      end: { reason: "idle", detectedBy: "gate", area: "Billing", idleSeconds: 31, budgetSeconds: 30 },
      effects: ["revoke", "end", "clear-cookies"],
    },
    {
      name: "idle, found by a request on the Node side",
      decision: IDLE,
      where: "handler",
      end: { reason: "idle", detectedBy: "request", area: "Billing", idleSeconds: 31, budgetSeconds: 30 },
      effects: ["revoke", "end"],
    },
    {
      name: "absolute: the area of the last activity, no idle figures",
      decision: ABSOLUTE,
      where: "gate",
      end: { reason: "absolute", detectedBy: "gate", area: "Billing", idleSeconds: null, budgetSeconds: null },
      effects: ["revoke", "end", "clear-cookies"],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: revoke first, then the end, then the answer`, () => {
      const v = enforce(judged("expire", c.decision, { lastPath: "/billing/x" }), ctx(c.where));
      assert.deepEqual(types(v.effects), c.effects);
      assert.deepEqual(v.effects[0], { type: "revoke", sessionId: SID });
      const end = v.effects[1];
      assert.ok(end?.type === "end");
      assert.deepEqual(end.end, {
        sessionId: SID,
        identityId: IID,
        lastPath: "/billing/x",
        absoluteDeadline: session.expiresAt,
        ...c.end,
      });
      assert.deepEqual(v.answer, {
        kind: "signed-out",
        reason: c.end.reason,
        lastPath: "/billing/x",
        budgetSeconds: c.end.budgetSeconds,
      });
    });
  }
});

describe("enforce: step-up", () => {
  const cases: { name: string; started: boolean; where: EnforceContext["where"]; effects: string[] }[] = [
    { name: "the first time, at the gate", started: true, where: "gate", effects: ["audit", "set-record"] },
    { name: "already pending, at the gate", started: false, where: "gate", effects: ["set-record"] },
    {
      name: "the first time, on the Node side (no cookie while rendering)",
      started: true,
      where: "handler",
      effects: ["audit"],
    },
    { name: "already pending, on the Node side", started: false, where: "handler", effects: [] },
  ];
  for (const c of cases) {
    it(`${c.name} → [${c.effects}]`, () => {
      const v = enforce(judged("step-up", STEP_UP, { stepUpStarted: c.started }), ctx(c.where, "page", "/billing"));
      assert.deepEqual(v.answer, { kind: "step-up" });
      assert.deepEqual(types(v.effects), c.effects);
      const audit = v.effects.find((e) => e.type === "audit");
      if (audit?.type === "audit") {
        assert.deepEqual(audit.event, {
          eventType: "step_up_required",
          identityId: IID,
          sessionId: SID,
          metadata: { page: "/billing", area: "Billing", idle_seconds: 40, budget_seconds: 30 },
        });
      }
    });
  }
});

describe("enforce: allow at the gate (the record: Set-Cookie and/or handed to the Node side)", () => {
  const moved = record({ lastActivityAt: T0 + 20 * SEC });
  const checked = record({ checkedAt: T0 + 15 * SEC });
  const cases: {
    name: string;
    kind: RequestKind;
    next: ActivityRecord;
    asked?: boolean;
    set: { respond: boolean; forward: boolean } | null;
  }[] = [
    { name: "a page, nothing new", kind: "page", next: record(), set: null },
    { name: "a page, activity moved", kind: "page", next: moved, set: { respond: true, forward: true } },
    { name: "an API call, nothing new", kind: "api", next: record(), set: null },
    {
      name: "an API call that asked Kratos: forwarded only (a poll's answer must not put an older record back)",
      kind: "poll",
      next: checked,
      asked: true,
      set: { respond: false, forward: true },
    },
    {
      name: "an action whose check time moved (another request's confirmation): forwarded only",
      kind: "action",
      next: checked,
      set: { respond: false, forward: true },
    },
    { name: "a prefetch, nothing new", kind: "prefetch", next: record(), set: null },
  ];
  for (const c of cases) {
    it(`${c.name} → ${JSON.stringify(c.set)}`, () => {
      const v = enforce(judged("allow", ALLOW, { record: c.next, askedKratos: c.asked ?? false }), ctx("gate", c.kind));
      assert.equal(v.answer.kind, "pass");
      const set = v.effects.find((e) => e.type === "set-record");
      assert.deepEqual(set ? { respond: set.respond, forward: set.forward } : null, c.set);
      assert.ok(!types(v.effects).includes("note-activity"), "the gate cannot write to the database");
    });
  }

  it("a pending step-up just completed → step_up_completed, audited at the gate only", () => {
    const e = judged("allow", ALLOW, { stepUpCompleted: true });
    const gate = enforce(e, ctx("gate", "page", "/billing"));
    assert.deepEqual(gate.effects[0], {
      type: "audit",
      event: { eventType: "step_up_completed", identityId: IID, sessionId: SID, metadata: { page: "/billing" } },
    });
    assert.ok(!types(enforce(e, ctx("handler")).effects).includes("audit"));
  });
});

describe("enforce: allow on the Node side", () => {
  const cases: { kind: RequestKind; changed: boolean; effects: string[] }[] = [
    { kind: "page", changed: true, effects: ["note-activity"] },
    { kind: "prefetch", changed: true, effects: ["note-activity"] },
    { kind: "poll", changed: true, effects: ["note-activity"] },
    { kind: "heartbeat", changed: true, effects: ["note-activity"] },
    { kind: "action", changed: true, effects: ["note-activity", "set-record"] },
    { kind: "api", changed: true, effects: ["note-activity", "set-record"] },
    { kind: "action", changed: false, effects: ["note-activity"] },
  ];
  for (const c of cases) {
    it(`${c.kind}, record ${c.changed ? "changed" : "unchanged"} → [${c.effects}]`, () => {
      const next = c.changed ? record({ lastActivityAt: T0 + 20 * SEC }) : record();
      const v = enforce(judged("allow", ALLOW, { record: next }), ctx("handler", c.kind));
      assert.deepEqual(types(v.effects), c.effects);
    });
  }

  it("the activity write and the answer carry the deadlines from the rule module", () => {
    const next = record({ lastActivityAt: T0 + 20 * SEC, lastPath: "/billing" });
    const v = enforce(judged("allow", ALLOW, { record: next }), ctx("handler", "page", "/billing"));
    const budget = budgetFor("/billing", subject, policy);
    assert.deepEqual(v.answer, {
      kind: "pass",
      deadlines: { budget, idleDeadline: T0 + 50 * SEC, absoluteDeadline: session.expiresAt },
    });
    assert.deepEqual(v.effects[0], {
      type: "note-activity",
      write: {
        sessionId: SID,
        identityId: IID,
        lastActivityAt: T0 + 20 * SEC,
        lastPath: "/billing",
        budgetSeconds: 30,
        absoluteDeadline: session.expiresAt,
      },
    });
  });
});
