/**
 * Table-driven tests for THE IDLE RULE (lib/policy/idle-rule.ts). Pure: a fixed clock (T0), no Date.now().
 * Boundaries follow the rule "exactly at the budget is allowed; one second past is not".
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, readPolicy } from "../config/env.js";
import { PRESETS, policySchema } from "../config/policy-config.js";
import {
  NORMAL_AREA,
  absoluteDeadline,
  areaFor,
  authenticationIsFresh,
  budgetFor,
  decide,
  deviceFrom,
  isIdlePreference,
  matchesPrefix,
  normalBudgetSeconds,
  strictestPath,
  type Decision,
  type IdlePreference,
  type PolicyConfig,
  type SessionTimes,
  type Subject,
} from "./idle-rule";

const SEC = 1000;
const MIN = 60;
const HOUR = 3600;
/** Fixed epoch: 2025-01-01T00:00:00Z. */
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

const policy: PolicyConfig = readPolicy({});

const desktop: Subject = { role: "user", preference: undefined, device: "desktop" };
const mobile: Subject = { role: "user", preference: undefined, device: "mobile" };
const user = (preference: IdlePreference | undefined, device: Subject["device"] = "desktop"): Subject => ({
  role: "user",
  preference,
  device,
});
const admin = (preference: IdlePreference | undefined, device: Subject["device"] = "desktop"): Subject => ({
  role: "admin",
  preference,
  device,
});

/** A session authenticated at T0 with a 24 h Kratos lifespan (so the policy's absolute lifetime governs). */
function times(overrides: Partial<SessionTimes> = {}): SessionTimes {
  return {
    now: T0,
    issuedAt: T0,
    authenticatedAt: T0,
    expiresAt: T0 + 24 * HOUR * SEC,
    lastActivityAt: T0,
    lastActivityPath: undefined,
    ...overrides,
  };
}

/** Idle for `idleSeconds` since the last activity on `path`, then request `path` again. */
function idleOn(path: string, idleSeconds: number, subject: Subject, p: PolicyConfig = policy): Decision {
  // Last activity one minute after sign-in, so authentication never stands in for it.
  const last = T0 + MIN * SEC;
  return decide(
    times({ lastActivityAt: last, lastActivityPath: path, now: last + idleSeconds * SEC }),
    path,
    subject,
    p,
  );
}

function describeSubject(s: Subject): string {
  const pref =
    s.preference === undefined
      ? "no preference"
      : s.preference === 0
        ? "preference never (0)"
        : `preference ${s.preference} min`;
  return `${s.role} on ${s.device}, ${pref}`;
}

describe("default policy (readPolicy({}))", () => {
  const cases: { field: keyof PolicyConfig; expected: unknown }[] = [
    { field: "idleDesktopSeconds", expected: 30 * MIN },
    { field: "idleMobileSeconds", expected: 60 * MIN },
    { field: "adminCapSeconds", expected: 15 * MIN },
    { field: "absoluteSeconds", expected: 4 * HOUR },
    { field: "stepUpWindowSeconds", expected: 5 * MIN },
    { field: "preferenceSeconds", expected: { 15: 15 * MIN, 30: 30 * MIN, 60: 60 * MIN } },
    {
      field: "ceilings",
      expected: [
        { prefix: "/billing", seconds: 5 * MIN, label: "Billing" },
        { prefix: "/admin", seconds: 10 * MIN, label: "Admin" },
      ],
    },
  ];
  for (const c of cases) {
    it(`${c.field} is ${JSON.stringify(c.expected)}`, () => {
      assert.deepEqual(policy[c.field], c.expected);
    });
  }
});

describe("budgetFor: which budget applies to a page", () => {
  const cases: { name: string; path: string; subject: Subject; seconds: number | null; area: string }[] = [
    // Normal budget by device.
    {
      name: "desktop /dashboard uses the 30 min desktop budget",
      path: "/dashboard",
      subject: desktop,
      seconds: 30 * MIN,
      area: "/",
    },
    {
      name: "desktop unknown page uses the 30 min desktop budget",
      path: "/no-such-page/deep",
      subject: desktop,
      seconds: 30 * MIN,
      area: "/",
    },
    { name: "desktop root / uses the normal budget", path: "/", subject: desktop, seconds: 30 * MIN, area: "/" },
    {
      name: "mobile /dashboard uses the 60 min mobile budget",
      path: "/dashboard",
      subject: mobile,
      seconds: 60 * MIN,
      area: "/",
    },
    {
      name: "mobile unknown page uses the 60 min mobile budget",
      path: "/somewhere",
      subject: mobile,
      seconds: 60 * MIN,
      area: "/",
    },
    // Ceilings with whole-segment prefix matching.
    { name: "/billing has the 5 min ceiling", path: "/billing", subject: desktop, seconds: 5 * MIN, area: "/billing" },
    {
      name: "/billing/x is under the /billing ceiling",
      path: "/billing/x",
      subject: desktop,
      seconds: 5 * MIN,
      area: "/billing",
    },
    {
      name: "/billingx is NOT under /billing (normal budget)",
      path: "/billingx",
      subject: desktop,
      seconds: 30 * MIN,
      area: "/",
    },
    { name: "/admin has the 10 min ceiling", path: "/admin", subject: desktop, seconds: 10 * MIN, area: "/admin" },
    {
      name: "/admin/users is under the /admin ceiling",
      path: "/admin/users",
      subject: desktop,
      seconds: 10 * MIN,
      area: "/admin",
    },
    {
      name: "/administrator is NOT under /admin",
      path: "/administrator",
      subject: desktop,
      seconds: 30 * MIN,
      area: "/",
    },
    {
      name: "/x/billing is NOT under /billing (prefix, not substring)",
      path: "/x/billing",
      subject: desktop,
      seconds: 30 * MIN,
      area: "/",
    },
    // Ceilings apply on mobile and whatever the preference.
    {
      name: "mobile /billing keeps the 5 min ceiling",
      path: "/billing",
      subject: mobile,
      seconds: 5 * MIN,
      area: "/billing",
    },
    {
      name: "mobile /admin/users keeps the 10 min ceiling",
      path: "/admin/users",
      subject: mobile,
      seconds: 10 * MIN,
      area: "/admin",
    },
    {
      name: "preference never: /billing still 5 min",
      path: "/billing",
      subject: user(0),
      seconds: 5 * MIN,
      area: "/billing",
    },
    {
      name: "preference never on mobile: /admin still 10 min",
      path: "/admin",
      subject: user(0, "mobile"),
      seconds: 10 * MIN,
      area: "/admin",
    },
    {
      name: "preference 60: /billing still 5 min",
      path: "/billing",
      subject: user(60),
      seconds: 5 * MIN,
      area: "/billing",
    },
    {
      name: "preference 60: /admin still 10 min",
      path: "/admin",
      subject: user(60),
      seconds: 10 * MIN,
      area: "/admin",
    },
    {
      name: "preference 30 on mobile: /billing/x still 5 min",
      path: "/billing/x",
      subject: user(30, "mobile"),
      seconds: 5 * MIN,
      area: "/billing",
    },
    {
      name: "preference 15: /admin 10 min ceiling is stricter than 15",
      path: "/admin",
      subject: user(15),
      seconds: 10 * MIN,
      area: "/admin",
    },
    // Preference replaces the normal budget.
    {
      name: "preference never: /dashboard has no idle limit",
      path: "/dashboard",
      subject: user(0),
      seconds: null,
      area: "/",
    },
    {
      name: "preference never on mobile: /dashboard has no idle limit",
      path: "/dashboard",
      subject: user(0, "mobile"),
      seconds: null,
      area: "/",
    },
    {
      name: "preference 15 desktop: /dashboard 15 min",
      path: "/dashboard",
      subject: user(15),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "preference 15 mobile: /dashboard 15 min (not 60)",
      path: "/dashboard",
      subject: user(15, "mobile"),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "preference 30 mobile: /dashboard 30 min (not 60)",
      path: "/dashboard",
      subject: user(30, "mobile"),
      seconds: 30 * MIN,
      area: "/",
    },
    {
      name: "preference 60 desktop: /dashboard 60 min (not 30)",
      path: "/dashboard",
      subject: user(60),
      seconds: 60 * MIN,
      area: "/",
    },
    {
      name: "preference 60 mobile: /dashboard 60 min",
      path: "/dashboard",
      subject: user(60, "mobile"),
      seconds: 60 * MIN,
      area: "/",
    },
    // Admins.
    {
      name: "admin, no preference, desktop: capped at 15 min",
      path: "/dashboard",
      subject: admin(undefined),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "admin, no preference, mobile: capped at 15 min",
      path: "/dashboard",
      subject: admin(undefined, "mobile"),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "admin, preference never: cap (15 min), not unlimited",
      path: "/dashboard",
      subject: admin(0),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "admin, preference 60: capped at 15 min",
      path: "/dashboard",
      subject: admin(60),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "admin, preference 15: stays 15 min",
      path: "/dashboard",
      subject: admin(15),
      seconds: 15 * MIN,
      area: "/",
    },
    {
      name: "admin, preference never on /billing: 5 min ceiling",
      path: "/billing",
      subject: admin(0),
      seconds: 5 * MIN,
      area: "/billing",
    },
    {
      name: "admin on /admin/users: 10 min ceiling (stricter than cap)",
      path: "/admin/users",
      subject: admin(60),
      seconds: 10 * MIN,
      area: "/admin",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const budget = budgetFor(c.path, c.subject, policy);
      assert.equal(budget.seconds, c.seconds);
      assert.equal(budget.area.prefix, c.area);
    });
  }

  it("the normal area is NORMAL_AREA", () => {
    assert.deepEqual(areaFor("/dashboard", policy), { area: NORMAL_AREA, ceiling: null });
  });

  it("the stricter of two overlapping ceilings wins", () => {
    const p: PolicyConfig = {
      ...policy,
      ceilings: [
        { prefix: "/billing", seconds: 5 * MIN, label: "Billing" },
        { prefix: "/billing/cards", seconds: 2 * MIN, label: "Cards" },
      ],
    };
    assert.deepEqual(budgetFor("/billing/cards/1", desktop, p), {
      area: { prefix: "/billing/cards", label: "Cards" },
      seconds: 2 * MIN,
    });
    assert.deepEqual(budgetFor("/billing/invoices", desktop, p), {
      area: { prefix: "/billing", label: "Billing" },
      seconds: 5 * MIN,
    });
  });

  it("a ceiling looser than the normal budget does not loosen it", () => {
    const p: PolicyConfig = { ...policy, ceilings: [{ prefix: "/reports", seconds: 2 * HOUR, label: "Reports" }] };
    assert.equal(budgetFor("/reports", desktop, p).seconds, 30 * MIN);
    assert.equal(budgetFor("/reports", user(0), p).seconds, 2 * HOUR);
  });

  it("admin cap follows adminCapSeconds from the policy", () => {
    const p: PolicyConfig = { ...policy, adminCapSeconds: 20 * MIN };
    assert.equal(normalBudgetSeconds(admin(0), p), 20 * MIN);
    assert.equal(normalBudgetSeconds(admin(60), p), 20 * MIN);
    assert.equal(normalBudgetSeconds(admin(15), p), 15 * MIN);
  });
});

describe("matchesPrefix", () => {
  const cases: { path: string; prefix: string; expected: boolean }[] = [
    { path: "/billing", prefix: "/billing", expected: true },
    { path: "/billing/x", prefix: "/billing", expected: true },
    { path: "/billingx", prefix: "/billing", expected: false },
    { path: "/bill", prefix: "/billing", expected: false },
    { path: "/admin/users", prefix: "/admin", expected: true },
    { path: "/anything", prefix: "/", expected: true },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.path)} ${c.expected ? "matches" : "does not match"} ${JSON.stringify(c.prefix)}`, () => {
      assert.equal(matchesPrefix(c.path, c.prefix), c.expected);
    });
  }
});

describe("decide: idle boundaries (budget − 1 s, budget, budget + 1 s)", () => {
  const cases: { path: string; subject: Subject; budget: number; area: string }[] = [
    { path: "/dashboard", subject: desktop, budget: 30 * MIN, area: "/" },
    { path: "/unknown/page", subject: desktop, budget: 30 * MIN, area: "/" },
    { path: "/dashboard", subject: mobile, budget: 60 * MIN, area: "/" },
    { path: "/unknown/page", subject: mobile, budget: 60 * MIN, area: "/" },
    { path: "/billing", subject: desktop, budget: 5 * MIN, area: "/billing" },
    { path: "/billing/x", subject: desktop, budget: 5 * MIN, area: "/billing" },
    { path: "/billingx", subject: desktop, budget: 30 * MIN, area: "/" },
    { path: "/admin", subject: desktop, budget: 10 * MIN, area: "/admin" },
    { path: "/admin/users", subject: desktop, budget: 10 * MIN, area: "/admin" },
    { path: "/billing", subject: mobile, budget: 5 * MIN, area: "/billing" },
    { path: "/admin/users", subject: mobile, budget: 10 * MIN, area: "/admin" },
    { path: "/billing", subject: user(0), budget: 5 * MIN, area: "/billing" },
    { path: "/admin", subject: user(0, "mobile"), budget: 10 * MIN, area: "/admin" },
    { path: "/billing", subject: user(60), budget: 5 * MIN, area: "/billing" },
    { path: "/admin", subject: user(60, "mobile"), budget: 10 * MIN, area: "/admin" },
    { path: "/dashboard", subject: user(15), budget: 15 * MIN, area: "/" },
    { path: "/dashboard", subject: user(15, "mobile"), budget: 15 * MIN, area: "/" },
    { path: "/dashboard", subject: user(30), budget: 30 * MIN, area: "/" },
    { path: "/dashboard", subject: user(30, "mobile"), budget: 30 * MIN, area: "/" },
    { path: "/dashboard", subject: user(60), budget: 60 * MIN, area: "/" },
    { path: "/dashboard", subject: user(60, "mobile"), budget: 60 * MIN, area: "/" },
    { path: "/dashboard", subject: admin(undefined), budget: 15 * MIN, area: "/" },
    { path: "/dashboard", subject: admin(undefined, "mobile"), budget: 15 * MIN, area: "/" },
    { path: "/dashboard", subject: admin(0), budget: 15 * MIN, area: "/" },
    { path: "/dashboard", subject: admin(60), budget: 15 * MIN, area: "/" },
    { path: "/dashboard", subject: admin(15), budget: 15 * MIN, area: "/" },
    { path: "/admin/users", subject: admin(0), budget: 10 * MIN, area: "/admin" },
    { path: "/billing", subject: admin(60), budget: 5 * MIN, area: "/billing" },
  ];
  for (const c of cases) {
    const label = `${c.path}, ${describeSubject(c.subject)} (budget ${c.budget / MIN} min)`;
    it(`${label}: budget − 1 s allows`, () => {
      const d = idleOn(c.path, c.budget - 1, c.subject);
      assert.equal(d.kind, "allow");
    });
    it(`${label}: exactly the budget allows, idleDeadline = last + budget`, () => {
      const d = idleOn(c.path, c.budget, c.subject);
      assert.deepEqual(d.kind, "allow");
      assert.ok(d.kind === "allow");
      assert.equal(d.budget.seconds, c.budget);
      assert.equal(d.budget.area.prefix, c.area);
      assert.equal(d.idleDeadline, T0 + MIN * SEC + c.budget * SEC);
    });
    it(`${label}: budget + 1 s expires (idle)`, () => {
      const d = idleOn(c.path, c.budget + 1, c.subject);
      assert.equal(d.kind, "expire");
      assert.ok(d.kind === "expire" && d.reason === "idle");
      assert.equal(d.budget.seconds, c.budget);
      assert.equal(d.budget.area.prefix, c.area);
      assert.equal(d.idleSeconds, c.budget + 1);
    });
  }
});

describe("decide: preference never (0)", () => {
  const cases: { name: string; subject: Subject; idleSeconds: number }[] = [
    { name: "desktop, idle 3 h 58 min on /dashboard", subject: user(0), idleSeconds: 3 * HOUR + 58 * MIN },
    { name: "mobile, idle 3 h 58 min on /dashboard", subject: user(0, "mobile"), idleSeconds: 3 * HOUR + 58 * MIN },
    { name: "desktop, idle 2 h on /dashboard", subject: user(0), idleSeconds: 2 * HOUR },
  ];
  for (const c of cases) {
    it(`${c.name}: allowed with a null budget and null idleDeadline`, () => {
      const d = idleOn("/dashboard", c.idleSeconds, c.subject);
      assert.deepEqual(d, { kind: "allow", budget: { area: NORMAL_AREA, seconds: null }, idleDeadline: null });
    });
  }

  it("still expires at the absolute deadline", () => {
    const d = decide(
      times({ now: T0 + 4 * HOUR * SEC, lastActivityAt: T0 + 4 * HOUR * SEC - SEC, lastActivityPath: "/dashboard" }),
      "/dashboard",
      user(0),
      policy,
    );
    assert.deepEqual(d, { kind: "expire", reason: "absolute" });
  });
});

describe("decide: absolute expiry", () => {
  const deadlineCases: { name: string; expiresAt: number; deadline: number }[] = [
    {
      name: "Kratos lifespan longer than the policy: authenticatedAt + absoluteSeconds",
      expiresAt: T0 + 24 * HOUR * SEC,
      deadline: T0 + 4 * HOUR * SEC,
    },
    {
      name: "Kratos lifespan shorter than the policy: expiresAt",
      expiresAt: T0 + 2 * HOUR * SEC,
      deadline: T0 + 2 * HOUR * SEC,
    },
    { name: "Kratos lifespan equal to the policy", expiresAt: T0 + 4 * HOUR * SEC, deadline: T0 + 4 * HOUR * SEC },
  ];
  for (const c of deadlineCases) {
    it(`absoluteDeadline = min(expiresAt, authenticatedAt + absoluteSeconds): ${c.name}`, () => {
      assert.equal(absoluteDeadline({ issuedAt: T0, authenticatedAt: T0, expiresAt: c.expiresAt }, policy), c.deadline);
    });

    const boundaries: { offset: number; expected: Decision["kind"]; label: string }[] = [
      { offset: -1, expected: "allow", label: "deadline − 1 s allows" },
      { offset: 0, expected: "expire", label: "exactly the deadline expires" },
      { offset: +1, expected: "expire", label: "deadline + 1 s expires" },
    ];
    for (const b of boundaries) {
      for (const path of ["/dashboard", "/billing"]) {
        it(`${c.name}, ${path}: ${b.label}, even with activity 1 s ago`, () => {
          const now = c.deadline + b.offset * SEC;
          const d = decide(
            times({ now, expiresAt: c.expiresAt, lastActivityAt: now - SEC, lastActivityPath: path }),
            path,
            desktop,
            policy,
          );
          if (b.expected === "allow") assert.equal(d.kind, "allow");
          else assert.deepEqual(d, { kind: "expire", reason: "absolute" });
        });
      }
    }
  }

  it("absoluteSeconds override moves the deadline", () => {
    const p: PolicyConfig = { ...policy, absoluteSeconds: HOUR };
    const at = (now: number) => decide(times({ now, lastActivityAt: now }), "/dashboard", desktop, p).kind;
    assert.equal(at(T0 + HOUR * SEC - SEC), "allow");
    assert.equal(at(T0 + HOUR * SEC), "expire");
  });

  it("absolute expiry wins over idle expiry (reason is absolute)", () => {
    const d = decide(
      times({ now: T0 + 5 * HOUR * SEC, lastActivityAt: T0, lastActivityPath: "/dashboard" }),
      "/dashboard",
      desktop,
      policy,
    );
    assert.deepEqual(d, { kind: "expire", reason: "absolute" });
  });
});

describe("decide: the last page's budget vs the requested page's budget", () => {
  const last = T0 + MIN * SEC;
  const cases: {
    name: string;
    lastPath: string;
    idleSeconds: number;
    requested: string;
    subject?: Subject;
    expected: Decision;
  }[] = [
    {
      name: "idle on /dashboard 5 min + 1 s, then /billing → step-up",
      lastPath: "/dashboard",
      idleSeconds: 5 * MIN + 1,
      requested: "/billing",
      expected: {
        kind: "step-up",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleSeconds: 5 * MIN + 1,
      },
    },
    {
      name: "idle on /dashboard exactly 5 min, then /billing → allow",
      lastPath: "/dashboard",
      idleSeconds: 5 * MIN,
      requested: "/billing",
      expected: {
        kind: "allow",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleDeadline: last + 5 * MIN * SEC,
      },
    },
    {
      name: "idle on /dashboard 20 min, then /admin/users → step-up",
      lastPath: "/dashboard",
      idleSeconds: 20 * MIN,
      requested: "/admin/users",
      expected: {
        kind: "step-up",
        budget: { area: { prefix: "/admin", label: "Admin" }, seconds: 10 * MIN },
        idleSeconds: 20 * MIN,
      },
    },
    {
      name: "idle on /dashboard 30 min + 1 s, then /billing → expire with the /dashboard budget",
      lastPath: "/dashboard",
      idleSeconds: 30 * MIN + 1,
      requested: "/billing",
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: NORMAL_AREA, seconds: 30 * MIN },
        idleSeconds: 30 * MIN + 1,
      },
    },
    {
      name: "mobile idle on /dashboard 60 min + 1 s, then /admin → expire with the mobile normal budget",
      lastPath: "/dashboard",
      idleSeconds: 60 * MIN + 1,
      requested: "/admin",
      subject: mobile,
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: NORMAL_AREA, seconds: 60 * MIN },
        idleSeconds: 60 * MIN + 1,
      },
    },
    {
      name: "last activity on /billing, idle 6 min, then /dashboard → expire (billing governs where the user left)",
      lastPath: "/billing",
      idleSeconds: 6 * MIN,
      requested: "/dashboard",
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleSeconds: 6 * MIN,
      },
    },
    {
      name: "last activity on /billing/x, idle 5 min + 1 s, then /admin → expire with the billing budget",
      lastPath: "/billing/x",
      idleSeconds: 5 * MIN + 1,
      requested: "/admin",
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleSeconds: 5 * MIN + 1,
      },
    },
    {
      name: "last activity on /admin, idle 10 min + 1 s, then /dashboard → expire with the admin budget",
      lastPath: "/admin",
      idleSeconds: 10 * MIN + 1,
      requested: "/dashboard",
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: { prefix: "/admin", label: "Admin" }, seconds: 10 * MIN },
        idleSeconds: 10 * MIN + 1,
      },
    },
    {
      name: "last activity on /billing, idle 4 min, then /dashboard → allow with the dashboard budget",
      lastPath: "/billing",
      idleSeconds: 4 * MIN,
      requested: "/dashboard",
      expected: {
        kind: "allow",
        budget: { area: NORMAL_AREA, seconds: 30 * MIN },
        idleDeadline: last + 30 * MIN * SEC,
      },
    },
    {
      name: "preference never, idle on /dashboard 2 h, then /billing → step-up (ceiling still applies)",
      lastPath: "/dashboard",
      idleSeconds: 2 * HOUR,
      requested: "/billing",
      subject: user(0),
      expected: {
        kind: "step-up",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleSeconds: 2 * HOUR,
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide(
        times({ lastActivityAt: last, lastActivityPath: c.lastPath, now: last + c.idleSeconds * SEC }),
        c.requested,
        c.subject ?? desktop,
        policy,
      );
      assert.deepEqual(d, c.expected);
    });
  }
});

describe("decide: which time counts as the last activity", () => {
  const cases: {
    name: string;
    authenticatedAt: number;
    lastActivityAt: number | undefined;
    lastActivityPath?: string;
    now: number;
    expected: Decision;
  }[] = [
    {
      name: "missing lastActivityAt: idle counts from authenticatedAt (30 min → allow)",
      authenticatedAt: T0,
      lastActivityAt: undefined,
      now: T0 + 30 * MIN * SEC,
      expected: { kind: "allow", budget: { area: NORMAL_AREA, seconds: 30 * MIN }, idleDeadline: T0 + 30 * MIN * SEC },
    },
    {
      name: "missing lastActivityAt: idle counts from authenticatedAt (30 min + 1 s → expire)",
      authenticatedAt: T0,
      lastActivityAt: undefined,
      now: T0 + 30 * MIN * SEC + SEC,
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: NORMAL_AREA, seconds: 30 * MIN },
        idleSeconds: 30 * MIN + 1,
      },
    },
    {
      name: "lastActivityAt 1 h before authenticatedAt: authentication counts (10 min after → allow)",
      authenticatedAt: T0 + HOUR * SEC,
      lastActivityAt: T0,
      lastActivityPath: "/dashboard",
      now: T0 + HOUR * SEC + 10 * MIN * SEC,
      expected: {
        kind: "allow",
        budget: { area: NORMAL_AREA, seconds: 30 * MIN },
        idleDeadline: T0 + HOUR * SEC + 30 * MIN * SEC,
      },
    },
    {
      name: "lastActivityAt before a step-up re-authentication on /billing: 5 min after → allow",
      authenticatedAt: T0 + HOUR * SEC,
      lastActivityAt: T0,
      lastActivityPath: "/billing",
      now: T0 + HOUR * SEC + 5 * MIN * SEC,
      expected: {
        kind: "allow",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleDeadline: T0 + HOUR * SEC + 5 * MIN * SEC,
      },
    },
    {
      name: "lastActivityAt before authenticatedAt: 30 min + 1 s after authentication → expire",
      authenticatedAt: T0 + HOUR * SEC,
      lastActivityAt: T0,
      lastActivityPath: "/dashboard",
      now: T0 + HOUR * SEC + 30 * MIN * SEC + SEC,
      expected: {
        kind: "expire",
        reason: "idle",
        budget: { area: NORMAL_AREA, seconds: 30 * MIN },
        idleSeconds: 30 * MIN + 1,
      },
    },
    {
      name: "allow result's idleDeadline = lastActivityAt + budget",
      authenticatedAt: T0,
      lastActivityAt: T0 + 7 * MIN * SEC,
      lastActivityPath: "/dashboard",
      now: T0 + 8 * MIN * SEC,
      expected: { kind: "allow", budget: { area: NORMAL_AREA, seconds: 30 * MIN }, idleDeadline: T0 + 37 * MIN * SEC },
    },
    {
      name: "activity at the request time: idle 0 → allow",
      authenticatedAt: T0,
      lastActivityAt: T0 + 2 * HOUR * SEC,
      lastActivityPath: "/billing",
      now: T0 + 2 * HOUR * SEC,
      expected: {
        kind: "allow",
        budget: { area: { prefix: "/billing", label: "Billing" }, seconds: 5 * MIN },
        idleDeadline: T0 + 2 * HOUR * SEC + 5 * MIN * SEC,
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide(
        times({
          authenticatedAt: c.authenticatedAt,
          lastActivityAt: c.lastActivityAt,
          lastActivityPath: c.lastActivityPath,
          now: c.now,
        }),
        c.lastActivityPath ?? "/dashboard",
        desktop,
        policy,
      );
      assert.deepEqual(d, c.expected);
    });
  }
});

describe("strictestPath", () => {
  const cases: { name: string; paths: string[]; subject: Subject; expected: string | undefined }[] = [
    {
      name: "billing beats admin and dashboard",
      paths: ["/dashboard", "/admin/users", "/billing/x"],
      subject: desktop,
      expected: "/billing/x",
    },
    { name: "admin beats dashboard", paths: ["/dashboard", "/admin"], subject: desktop, expected: "/admin" },
    {
      name: "/billingx is not billing: admin wins",
      paths: ["/billingx", "/admin/users"],
      subject: desktop,
      expected: "/admin/users",
    },
    { name: "one path", paths: ["/settings"], subject: desktop, expected: "/settings" },
    { name: "no paths → undefined", paths: [], subject: desktop, expected: undefined },
    {
      name: "preference never: billing beats unlimited pages",
      paths: ["/dashboard", "/settings", "/billing"],
      subject: user(0),
      expected: "/billing",
    },
    {
      name: "preference never, all unlimited: the first path",
      paths: ["/dashboard", "/settings"],
      subject: user(0),
      expected: "/dashboard",
    },
    {
      name: "equal budgets: the first path",
      paths: ["/settings", "/dashboard"],
      subject: desktop,
      expected: "/settings",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(strictestPath(c.paths, c.subject, policy), c.expected);
    });
  }
});

describe("deviceFrom", () => {
  const IPHONE =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
  const ANDROID =
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
  const DESKTOP_CHROME =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
  const cases: {
    name: string;
    hint: string | null | undefined;
    ua: string | null | undefined;
    expected: "desktop" | "mobile";
  }[] = [
    {
      name: 'Sec-CH-UA-Mobile "?1" with a desktop UA → mobile (hint wins)',
      hint: "?1",
      ua: DESKTOP_CHROME,
      expected: "mobile",
    },
    {
      name: 'Sec-CH-UA-Mobile "?0" with an Android Mobile UA → desktop (hint wins)',
      hint: "?0",
      ua: ANDROID,
      expected: "desktop",
    },
    { name: 'Sec-CH-UA-Mobile "?1" with no UA → mobile', hint: "?1", ua: null, expected: "mobile" },
    { name: 'Sec-CH-UA-Mobile "?0" with an iPhone UA → desktop', hint: "?0", ua: IPHONE, expected: "desktop" },
    { name: "no hint, iPhone UA → mobile", hint: null, ua: IPHONE, expected: "mobile" },
    { name: "no hint, Android Mobile UA → mobile", hint: undefined, ua: ANDROID, expected: "mobile" },
    { name: "no hint, desktop Chrome UA → desktop", hint: null, ua: DESKTOP_CHROME, expected: "desktop" },
    { name: "null hint and null UA → desktop", hint: null, ua: null, expected: "desktop" },
    { name: "undefined hint and undefined UA → desktop", hint: undefined, ua: undefined, expected: "desktop" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(deviceFrom(c.hint, c.ua), c.expected);
    });
  }
});

describe("authenticationIsFresh (step-up window 5 min)", () => {
  const window = policy.stepUpWindowSeconds;
  const cases: { name: string; ageSeconds: number; expected: boolean }[] = [
    { name: "just authenticated", ageSeconds: 0, expected: true },
    { name: "window − 1 s", ageSeconds: window - 1, expected: true },
    { name: "exactly the window", ageSeconds: window, expected: true },
    { name: "window + 1 s", ageSeconds: window + 1, expected: false },
    { name: "an hour ago", ageSeconds: HOUR, expected: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.expected ? "fresh" : "stale"}`, () => {
      assert.equal(authenticationIsFresh(T0, T0 + c.ageSeconds * SEC, policy), c.expected);
    });
  }

  it("follows stepUpWindowSeconds from the policy", () => {
    const p: PolicyConfig = { ...policy, stepUpWindowSeconds: 60 };
    assert.equal(authenticationIsFresh(T0, T0 + 60 * SEC, p), true);
    assert.equal(authenticationIsFresh(T0, T0 + 61 * SEC, p), false);
  });
});

describe("isIdlePreference", () => {
  const cases: { value: unknown; expected: boolean }[] = [
    { value: 0, expected: true },
    { value: 15, expected: true },
    { value: 30, expected: true },
    { value: 60, expected: true },
    { value: 7, expected: false },
    { value: -1, expected: false },
    { value: "15", expected: false },
    { value: 100000, expected: false },
    { value: undefined, expected: false },
    { value: null, expected: false },
    { value: 15.5, expected: false },
    { value: Number.NaN, expected: false },
  ];
  for (const c of cases) {
    const shown = typeof c.value === "string" ? JSON.stringify(c.value) : String(c.value);
    it(`${shown} → ${c.expected}`, () => {
      assert.equal(isIdlePreference(c.value), c.expected);
    });
  }
});

describe("presets", () => {
  for (const [name, preset] of Object.entries(PRESETS)) {
    it(`preset "${name}" validates with policySchema`, () => {
      const result = policySchema.safeParse(preset.policy);
      assert.equal(result.success, true, result.success ? "" : JSON.stringify(result.error.issues));
    });
    it(`preset "${name}" names its source`, () => {
      assert.ok(preset.source.length > 0);
    });
    it(`readPolicy({IDLE_POLICY_PRESET:"${name}"}) returns that preset's policy`, () => {
      assert.deepEqual(readPolicy({ IDLE_POLICY_PRESET: name }), preset.policy);
    });
  }

  it("readPolicy({}) is the default preset", () => {
    assert.deepEqual(readPolicy({}), PRESETS.default?.policy);
  });

  it('an empty IDLE_POLICY_PRESET means "default"', () => {
    assert.deepEqual(readPolicy({ IDLE_POLICY_PRESET: "" }), PRESETS.default?.policy);
  });

  it("pci-dss gives 15 min idle on desktop and mobile", () => {
    const pci = readPolicy({ IDLE_POLICY_PRESET: "pci-dss" });
    assert.equal(pci.idleDesktopSeconds, 15 * MIN);
    assert.equal(pci.idleMobileSeconds, 15 * MIN);
    assert.equal(idleOn("/dashboard", 15 * MIN, desktop, pci).kind, "allow");
    assert.equal(idleOn("/dashboard", 15 * MIN + 1, desktop, pci).kind, "expire");
    assert.equal(idleOn("/dashboard", 15 * MIN + 1, mobile, pci).kind, "expire");
  });
});

describe("readPolicy: IDLE_POLICY overrides", () => {
  const cases: { name: string; env: Record<string, string>; check: (p: PolicyConfig) => void }[] = [
    {
      name: "idleDesktopSeconds override applies, the rest stays default",
      env: { IDLE_POLICY: '{"idleDesktopSeconds":900}' },
      check: (p) => {
        assert.equal(p.idleDesktopSeconds, 900);
        assert.equal(p.idleMobileSeconds, 60 * MIN);
        assert.equal(p.absoluteSeconds, 4 * HOUR);
      },
    },
    {
      name: "ceilings override replaces the list",
      env: { IDLE_POLICY: '{"ceilings":[{"prefix":"/payments","seconds":120,"label":"Payments"}]}' },
      check: (p) => {
        assert.deepEqual(p.ceilings, [{ prefix: "/payments", seconds: 120, label: "Payments" }]);
        assert.equal(budgetFor("/payments/1", desktop, p).seconds, 120);
        assert.equal(budgetFor("/billing", desktop, p).seconds, 30 * MIN);
      },
    },
    {
      name: "override on top of a preset",
      env: { IDLE_POLICY_PRESET: "nist-aal2", IDLE_POLICY: '{"adminCapSeconds":600}' },
      check: (p) => {
        assert.equal(p.adminCapSeconds, 600);
        assert.equal(p.absoluteSeconds, 24 * HOUR);
        assert.equal(p.idleDesktopSeconds, HOUR);
      },
    },
    {
      name: "an empty IDLE_POLICY means no overrides",
      env: { IDLE_POLICY: "" },
      check: (p) => assert.deepEqual(p, PRESETS.default?.policy),
    },
    {
      name: "an empty JSON object means no overrides",
      env: { IDLE_POLICY: "{}" },
      check: (p) => assert.deepEqual(p, PRESETS.default?.policy),
    },
  ];
  for (const c of cases) {
    it(c.name, () => c.check(readPolicy(c.env)));
  }
});

describe("readPolicy: invalid configuration throws ConfigError naming the field", () => {
  const cases: { name: string; env: Record<string, string>; message: RegExp }[] = [
    { name: "invalid JSON", env: { IDLE_POLICY: "{idleDesktopSeconds:900" }, message: /IDLE_POLICY/ },
    { name: "a JSON array", env: { IDLE_POLICY: "[900]" }, message: /IDLE_POLICY/ },
    { name: "a JSON number", env: { IDLE_POLICY: "900" }, message: /IDLE_POLICY/ },
    { name: "a negative number", env: { IDLE_POLICY: '{"idleDesktopSeconds":-5}' }, message: /idleDesktopSeconds/ },
    { name: "zero seconds", env: { IDLE_POLICY: '{"adminCapSeconds":0}' }, message: /adminCapSeconds/ },
    { name: "a fractional number", env: { IDLE_POLICY: '{"absoluteSeconds":1.5}' }, message: /absoluteSeconds/ },
    {
      name: "a string where a number belongs",
      env: { IDLE_POLICY: '{"idleMobileSeconds":"900"}' },
      message: /idleMobileSeconds/,
    },
    { name: "an unknown key", env: { IDLE_POLICY: '{"idleSecondz":900}' }, message: /idleSecondz/ },
    { name: "warningSeconds < 20", env: { IDLE_POLICY: '{"warningSeconds":19}' }, message: /warningSeconds/ },
    {
      name: "warningSeconds not shorter than idleDesktopSeconds",
      env: { IDLE_POLICY: '{"warningSeconds":600,"idleDesktopSeconds":600}' },
      message: /warningSeconds/,
    },
    {
      name: "a ceiling prefix that is not a path",
      env: { IDLE_POLICY: '{"ceilings":[{"prefix":"billing","seconds":60,"label":"Billing"}]}' },
      message: /ceilings/,
    },
    {
      name: "a duplicate ceiling prefix",
      env: {
        IDLE_POLICY:
          '{"ceilings":[{"prefix":"/a","seconds":60,"label":"A"},{"prefix":"/a","seconds":30,"label":"A2"}]}',
      },
      message: /duplicate prefix \/a/,
    },
    {
      name: "an unknown preferenceSeconds key",
      env: { IDLE_POLICY: '{"preferenceSeconds":{"15":900,"30":1800,"60":3600,"90":5400}}' },
      message: /preferenceSeconds|90/,
    },
    { name: "an unknown preset", env: { IDLE_POLICY_PRESET: "hipaa" }, message: /IDLE_POLICY_PRESET/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => readPolicy(c.env),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
          assert.equal(err.name, "ConfigError");
          assert.match(err.message, c.message);
          return true;
        },
      );
    });
  }

  it("warningSeconds of exactly 20 is accepted", () => {
    assert.equal(readPolicy({ IDLE_POLICY: '{"warningSeconds":20}' }).warningSeconds, 20);
  });
});
