/**
 * Tests for the session status (lib/session/status.ts): one deadline formula for both status routes, and the
 * browser's reading of an answer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readPolicy } from "../config/env.js";
import type { PolicyConfig } from "../config/policy-config.js";
import { deadlinesOf, readSessionStatus, sessionStatus } from "./status";

const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const policy: PolicyConfig = {
  ...readPolicy({}),
  idleDesktopSeconds: 60,
  absoluteSeconds: 3600,
  ceilings: [{ prefix: "/billing", seconds: 30, label: "Billing" }],
};
const subject = { role: "user" as const, preference: undefined, device: "desktop" as const };
const session = { issuedAt: T0, authenticatedAt: T0, expiresAt: T0 + 24 * 3_600_000 };

describe("sessionStatus", () => {
  const cases: { path: string; pref?: 0; idle: number | null; budget: number | null; area: string }[] = [
    { path: "/dashboard", idle: T0 + 70_000, budget: 60, area: "normal pages" },
    { path: "/billing/x", idle: T0 + 40_000, budget: 30, area: "Billing" },
    { path: "/dashboard", pref: 0, idle: null, budget: null, area: "normal pages" },
  ];
  for (const c of cases) {
    it(`last activity on ${c.path}${c.pref === 0 ? ' (preference "never")' : ""} → idle deadline ${c.idle}`, () => {
      const d = deadlinesOf(
        session,
        { lastActivityAt: T0 + 10_000, lastPath: c.path },
        { ...subject, preference: c.pref },
        policy,
      );
      assert.deepEqual(sessionStatus(d, policy, T0 + 12_000), {
        serverNow: T0 + 12_000,
        idleExpiresAt: c.idle,
        absoluteExpiresAt: T0 + 3_600_000,
        idleBudgetSeconds: c.budget,
        area: c.area,
        warningSeconds: policy.warningSeconds,
        absoluteWarningSeconds: policy.absoluteWarningSeconds,
        absoluteFrom: "sign-in",
        pointerMovement: true,
      });
    });
  }
});

describe("readSessionStatus", () => {
  const good = sessionStatus(deadlinesOf(session, { lastActivityAt: T0, lastPath: "/" }, subject, policy), policy, T0);
  const cases: { name: string; body: unknown; ok: boolean }[] = [
    { name: "a status", body: good, ok: true },
    { name: "no idle limit", body: { ...good, idleExpiresAt: null }, ok: true },
    { name: "null", body: null, ok: false },
    { name: "an error body", body: { error: "signed_out" }, ok: false },
    { name: "a string deadline", body: { ...good, idleExpiresAt: "soon" }, ok: false },
    { name: "no server clock", body: { ...good, serverNow: undefined }, ok: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.ok ? "read" : "not a status"}`, () => assert.equal(readSessionStatus(c.body) !== null, c.ok));
  }
  it("the policy's reading of activity and of the absolute limit travel as sent", () => {
    const sent = { ...good, absoluteFrom: "last-authentication", pointerMovement: false };
    assert.deepEqual(readSessionStatus(sent), sent);
  });
  it("an answer without them (an older instance mid-deploy) reads as the stricter: sign-in, moves not counted", () => {
    const { absoluteFrom: _a, pointerMovement: _p, ...older } = good;
    assert.deepEqual(readSessionStatus(older), { ...good, absoluteFrom: "sign-in", pointerMovement: false });
    assert.equal(readSessionStatus({ ...good, pointerMovement: "yes" })?.pointerMovement, false);
  });
});
