/**
 * Sticky ceilings and the areas a request is judged by (lib/policy/idle-rule.ts: decide() with
 * longestGapMs, judgedPath()). Default policy: Billing 5 min, Admin 10 min, normal pages 30 min.
 * Pure: a fixed clock, no I/O.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readPolicy } from "../config/env.js";
import { decide, judgedPath, type Subject } from "./idle-rule";

const SEC = 1000;
const MIN = 60 * SEC;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const policy = readPolicy({});
const desktop: Subject = { role: "user", preference: undefined, device: "desktop" };
const never: Subject = { role: "user", preference: 0, device: "desktop" };

describe("decide: the longest gap since authentication keeps a stricter area shut until re-authentication", () => {
  // The person was just active on /dashboard (idle 1 s now); `gap` is the longest gap seen before.
  const cases: { gap: number; path: string; subject?: Subject; kind: string }[] = [
    { gap: 0, path: "/billing", kind: "allow" },
    { gap: 5 * MIN, path: "/billing", kind: "allow" }, // exactly at the ceiling is allowed
    { gap: 5 * MIN + SEC, path: "/billing", kind: "step-up" },
    { gap: 5 * MIN + SEC, path: "/billing/invoices", kind: "step-up" },
    { gap: 5 * MIN + SEC, path: "/admin", kind: "allow" }, // Admin's ceiling is 10 min
    { gap: 10 * MIN + SEC, path: "/admin", kind: "step-up" },
    { gap: 10 * MIN + SEC, path: "/admin/users", kind: "step-up" },
    { gap: 29 * MIN, path: "/dashboard", kind: "allow" }, // normal pages: within their budget
    { gap: 29 * MIN, path: "/settings", kind: "allow" },
    { gap: 31 * MIN, path: "/dashboard", subject: never, kind: "allow" }, // "never": no normal limit
    { gap: 31 * MIN, path: "/billing", subject: never, kind: "step-up" }, // ceilings bind "never" too
  ];
  for (const c of cases) {
    it(`longest gap ${c.gap / SEC} s, now ${c.path} → ${c.kind}`, () => {
      const now = T0 + 60 * MIN;
      const d = decide(
        {
          now,
          issuedAt: T0,
          authenticatedAt: T0,
          expiresAt: T0 + 4 * 60 * MIN,
          lastActivityAt: now - SEC,
          lastActivityPath: "/dashboard",
          longestGapMs: c.gap,
        },
        c.path,
        c.subject ?? desktop,
        policy,
      );
      assert.equal(d.kind, c.kind);
      if (d.kind === "step-up") assert.equal(d.idleSeconds, c.gap / SEC, "the step-up names the gap that caused it");
    });
  }

  it("the current idle time still counts on its own (no gap remembered)", () => {
    const now = T0 + 60 * MIN;
    const d = decide(
      {
        now,
        issuedAt: T0,
        authenticatedAt: T0,
        expiresAt: T0 + 4 * 60 * MIN,
        lastActivityAt: now - 6 * MIN,
        lastActivityPath: "/dashboard",
      },
      "/billing",
      desktop,
      policy,
    );
    assert.equal(d.kind, "step-up");
  });

  it("a long gap never ends a session by itself: expiry is the current idle time against where it was spent", () => {
    const now = T0 + 60 * MIN;
    const d = decide(
      {
        now,
        issuedAt: T0,
        authenticatedAt: T0,
        expiresAt: T0 + 4 * 60 * MIN,
        lastActivityAt: now - SEC,
        lastActivityPath: "/billing",
        longestGapMs: 25 * MIN,
      },
      "/dashboard",
      desktop,
      policy,
    );
    assert.equal(d.kind, "allow");
  });
});

describe("judgedPath: the area a request is judged by", () => {
  const cases: { req: Parameters<typeof judgedPath>[0]; judged: string }[] = [
    // Pages: their own path; a named area wins when stricter.
    { req: { path: "/dashboard", apiLike: false, lastPath: "/settings" }, judged: "/dashboard" },
    { req: { path: "/dashboard", apiLike: false, lastPath: "/settings", declared: "/admin" }, judged: "/admin" },
    { req: { path: "/billing", apiLike: false, lastPath: "/dashboard", declared: "/admin" }, judged: "/billing" },
    // API calls: the page the user is on, and the area the URL names under /api.
    { req: { path: "/api/session", apiLike: true, lastPath: "/billing" }, judged: "/billing" },
    { req: { path: "/api/session", apiLike: true, lastPath: undefined }, judged: "/" },
    { req: { path: "/api/admin/insights", apiLike: true, lastPath: "/dashboard" }, judged: "/admin/insights" },
    { req: { path: "/api/admin/audit.csv", apiLike: true, lastPath: "/dashboard" }, judged: "/admin/audit.csv" },
    { req: { path: "/api/admin/insights", apiLike: true, lastPath: "/billing" }, judged: "/billing" },
    { req: { path: "/api/billing/card", apiLike: true, lastPath: "/dashboard" }, judged: "/billing/card" },
    { req: { path: "/api/administrator", apiLike: true, lastPath: "/dashboard" }, judged: "/dashboard" }, // whole segments
    { req: { path: "/", apiLike: true, lastPath: "/dashboard", declared: "/admin" }, judged: "/admin" },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.req)} → ${c.judged}`, () => {
      assert.equal(judgedPath(c.req, desktop, policy), c.judged);
    });
  }
});
