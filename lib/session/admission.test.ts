/**
 * Tests for the gate's admission (lib/session/admission.ts), and the property it exists for: the Node side's
 * look at a request the gate admitted agrees with the gate, without a grace period, even when the record
 * turns stale a moment later (here: 5 s later) and Kratos is down by then. Each case runs the real evaluate()
 * and enforce() the way the gate does, hands over what the gate hands over, then runs them the way
 * verifySession() does.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readPolicy } from "../config/env.js";
import type { PolicyConfig } from "../config/policy-config.js";
import type { WhoamiResult } from "../kratos/types";
import { admittedAt, signAdmission } from "./admission";
import { cookieToken, encodeRecord, type ActivityRecord } from "./activity-record";
import { Confirmations } from "./confirmations";
import { enforce } from "./enforce";
import { evaluate, type EvaluateInput } from "./evaluate";
import type { PageKind } from "./request-kind";

const SEC = 1000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const KRATOS_COOKIE = "MTczNTY4OTYwMHxrcmF0b3Mtc2Vzc2lvbi0x";
const SID = "3f0c2a4e-8b1d-4c6e-9a2f-5d7e1b3c4a60";
const IID = "7b9e1c2d-4a5f-4e6b-8c7d-9e0f1a2b3c4d";
const policy: PolicyConfig = {
  ...readPolicy({}),
  idleDesktopSeconds: 60,
  ceilings: [{ prefix: "/billing", seconds: 30, label: "Billing" }],
  revalidateSeconds: 15,
};

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
const OK: WhoamiResult = { status: "ok", session };
const DOWN: WhoamiResult = { status: "unavailable", detail: "connection refused" };

function record(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  const base = {
    kratosToken: cookieToken(KRATOS_COOKIE),
    lastActivityAt: T0 + 10 * SEC,
    lastPath: "/dashboard",
    checkedAt: T0 + 10 * SEC,
    stepUpSince: null,
    longestGapMs: 10 * SEC,
  };
  return { ...session, ...base, ...overrides };
}

const input = (
  now: number,
  kind: PageKind,
  path: string,
  recordCookie: string | undefined,
  where: EvaluateInput["where"],
  freshAt?: number,
): EvaluateInput => ({
  now,
  freshAt,
  path,
  kind,
  where,
  device: "desktop",
  kratosCookieName: "ory_kratos_session",
  kratosCookie: KRATOS_COOKIE,
  recordCookie,
  policy,
  secret: SECRET,
});

const deps = (who: WhoamiResult, confirmations?: Confirmations) => ({
  whoami: async () => who,
  serverActivity: async () => null,
  confirmations,
});

describe("admission: the Node side's look agrees with the gate's, Kratos down in between", () => {
  const cases: {
    name: string;
    kind: PageKind;
    path: string;
    age: number;
    gateKratos?: WhoamiResult;
    gateKnows?: number;
  }[] = [
    {
      name: "a page, record checked 14.999 s ago (stale a moment later)",
      kind: "page",
      path: "/dashboard",
      age: 15 * SEC - 1,
    },
    {
      name: "a page, record stale: the gate asks Kratos and hands the new record over",
      kind: "page",
      path: "/dashboard",
      age: 20 * SEC,
      gateKratos: OK,
    },
    { name: "a prefetch, record checked 14.999 s ago", kind: "prefetch", path: "/billing", age: 15 * SEC - 1 },
    { name: "an action, record checked 14.999 s ago", kind: "action", path: "/dashboard", age: 15 * SEC - 1 },
    {
      name: "an action whose freshness came from the gate's own confirmation",
      kind: "action",
      path: "/dashboard",
      age: 40 * SEC,
      gateKnows: 30 * SEC,
    },
    { name: "a page on /billing, record checked 14 s ago", kind: "page", path: "/billing", age: 14 * SEC },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const now = T0 + 10 * SEC + c.age;
      const presented = encodeRecord(record(), SECRET);
      const confirmations = new Confirmations();
      if (c.gateKnows) confirmations.confirm(cookieToken(KRATOS_COOKIE), SID, T0 + 10 * SEC + c.gateKnows);
      const atGate = await evaluate(
        input(now, c.kind, c.path, presented, "gate"),
        deps(c.gateKratos ?? DOWN, confirmations),
      );
      const verdict = enforce(atGate, { where: "gate", kind: c.kind, path: c.path, device: "desktop", policy });
      // What the gate passes on: the record it forwards (else the presented one), and the admission.
      const set = verdict.effects.find((e) => e.type === "set-record");
      const forwarded = set?.forward ? encodeRecord(set.record, SECRET) : presented;
      const header = signAdmission(SECRET, now, { kind: c.kind, path: c.path, record: forwarded });

      // 5 s later, Kratos down, another process (no confirmations): freshness judged at the admitted instant.
      const at = admittedAt(SECRET, header, { kind: c.kind, path: c.path, record: forwarded });
      assert.equal(at, now);
      const atNode = await evaluate(input(now + 5 * SEC, c.kind, c.path, forwarded, "handler", at), deps(DOWN));
      assert.equal(atNode.outcome, atGate.outcome, "the same verdict");
      assert.equal(atNode.askedKratos, false, "the Node side never needs Kratos for an admitted request");

      // Without the admission (the Node side's own clock, once the record is stale), it could not have agreed.
      const checkedAt = set?.forward ? set.record.checkedAt : record().checkedAt;
      const late = await evaluate(
        input(Math.max(now + 5 * SEC, checkedAt + 15 * SEC), c.kind, c.path, forwarded, "handler"),
        deps(DOWN),
      );
      assert.equal(late.outcome, "unavailable", "a second look at its own instant needs Kratos");
    });
  }
});

describe("admission: bound to this very request", () => {
  const facts = { kind: "page", path: "/billing?x=1", record: "v1.abc.def" };
  const header = signAdmission(SECRET, T0, facts);
  const cases: { name: string; header: string | null; facts: typeof facts; secret?: string; ok: boolean }[] = [
    { name: "as signed", header, facts, ok: true },
    { name: "absent", header: null, facts, ok: false },
    { name: "another record", header, facts: { ...facts, record: "v1.abc.deg" }, ok: false },
    { name: "another path", header, facts: { ...facts, path: "/dashboard" }, ok: false },
    { name: "another kind", header, facts: { ...facts, kind: "action" }, ok: false },
    { name: "another instant", header: header.replace(String(T0), String(T0 + 60_000)), facts, ok: false },
    { name: "another secret", header, facts, secret: "another-secret-fedcba9876543210fedcba9876543210", ok: false },
    { name: "no instant", header: header.slice(header.indexOf(".")), facts, ok: false },
    { name: "garbage", header: "x.y", facts, ok: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.ok ? "admitted" : "not admitted"}`, () => {
      assert.equal(admittedAt(c.secret ?? SECRET, c.header, c.facts), c.ok ? T0 : undefined);
    });
  }
});
