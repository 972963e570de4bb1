/**
 * Table-driven tests for the browser's deadlines (lib/client/deadlines.ts). Pure: fixed server epochs and
 * fixed monotonic readings (performance.now() values), no clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { heartbeatInterval, msToNextTick, secondsLeft, toDeadlines, type SessionStatus } from "./deadlines";
import { HOUR, SEC, T0, status } from "./test-fixtures";

/** Fixed server epoch: 2025-01-01T00:00:00Z. */

describe("toDeadlines: server deadlines on the monotonic clock", () => {
  // Sent at 10 000, answered at 10 200: rtt 200 ms, the server's "now" sits at 10 100 on the monotonic clock.
  const SENT = 10_000;
  const RECEIVED = 10_200;
  const NOW_MONO = 10_100;
  const cases: {
    name: string;
    status: SessionStatus;
    sent?: number;
    received?: number;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: "the server clock as the reference",
      status: status(),
      expected: {
        idleAt: NOW_MONO + 40 * SEC,
        warnAt: NOW_MONO + 20 * SEC,
        absoluteAt: NOW_MONO + 4 * HOUR,
        absoluteWarnAt: NOW_MONO + 4 * HOUR - 60 * SEC,
      },
    },
    {
      name: "server clock an hour ahead: the same deadlines",
      status: status({ serverNow: T0 + HOUR, idleExpiresAt: T0 + HOUR + 40 * SEC, absoluteExpiresAt: T0 + 5 * HOUR }),
      expected: {
        idleAt: NOW_MONO + 40 * SEC,
        warnAt: NOW_MONO + 20 * SEC,
        absoluteAt: NOW_MONO + 4 * HOUR,
        absoluteWarnAt: NOW_MONO + 4 * HOUR - 60 * SEC,
      },
    },
    {
      name: "server clock an hour behind: the same deadlines",
      status: status({ serverNow: T0 - HOUR, idleExpiresAt: T0 - HOUR + 40 * SEC, absoluteExpiresAt: T0 + 3 * HOUR }),
      expected: {
        idleAt: NOW_MONO + 40 * SEC,
        warnAt: NOW_MONO + 20 * SEC,
        absoluteAt: NOW_MONO + 4 * HOUR,
        absoluteWarnAt: NOW_MONO + 4 * HOUR - 60 * SEC,
      },
    },
    {
      name: "zero round trip: the server's now is the receive time",
      status: status(),
      sent: 5_000,
      received: 5_000,
      expected: { idleAt: 5_000 + 40 * SEC, warnAt: 5_000 + 20 * SEC },
    },
    {
      name: "a 2 s round trip counts half of it as already spent",
      status: status(),
      sent: 1_000,
      received: 3_000,
      expected: { idleAt: 2_000 + 40 * SEC, warnAt: 2_000 + 20 * SEC },
    },
    {
      name: "receivedAt before sentAt (impossible): rtt taken as 0",
      status: status(),
      sent: 3_000,
      received: 2_000,
      expected: { idleAt: 2_000 + 40 * SEC, warnAt: 2_000 + 20 * SEC },
    },
    {
      name: "no idle limit: no idle deadline, no warning; the absolute deadline stays",
      status: status({ idleExpiresAt: null, idleBudgetSeconds: null }),
      expected: { idleAt: null, warnAt: null, budgetSeconds: null, absoluteAt: NOW_MONO + 4 * HOUR },
    },
    {
      name: "a warning under 20 s is raised to 20 s (WCAG 2.2.1)",
      status: status({ warningSeconds: 5 }),
      expected: { warnAt: NOW_MONO + 20 * SEC, warningSeconds: 20 },
    },
    {
      name: "a 0 s warning is raised to 20 s",
      status: status({ warningSeconds: 0 }),
      expected: { warnAt: NOW_MONO + 20 * SEC, warningSeconds: 20 },
    },
    {
      name: "a warning over 20 s is kept",
      status: status({ idleExpiresAt: T0 + 120 * SEC, idleBudgetSeconds: 120, warningSeconds: 45 }),
      expected: { idleAt: NOW_MONO + 120 * SEC, warnAt: NOW_MONO + 75 * SEC, warningSeconds: 45 },
    },
    {
      name: "area and budget pass through",
      status: status({ area: "Billing", idleBudgetSeconds: 25, idleExpiresAt: T0 + 25 * SEC }),
      expected: { area: "Billing", budgetSeconds: 25, idleAt: NOW_MONO + 25 * SEC, warnAt: NOW_MONO + 5 * SEC },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = toDeadlines(c.status, c.sent ?? SENT, c.received ?? RECEIVED);
      const picked = Object.fromEntries(Object.keys(c.expected).map((k) => [k, d[k as keyof typeof d]]));
      assert.deepEqual(picked, c.expected);
    });
  }

  it("skew in either direction gives identical deadlines (whole object but the server's name for the end)", () => {
    const { absoluteEndsAt: _name, ...base } = toDeadlines(status(), SENT, RECEIVED);
    for (const skew of [HOUR, -HOUR, 3 * 24 * HOUR, -37 * SEC]) {
      const skewed = status({
        serverNow: T0 + skew,
        idleExpiresAt: T0 + skew + 40 * SEC,
        absoluteExpiresAt: T0 + skew + 4 * HOUR,
      });
      const { absoluteEndsAt, ...deadlines } = toDeadlines(skewed, SENT, RECEIVED);
      assert.deepEqual(deadlines, base, `skew ${skew} ms`);
      assert.equal(absoluteEndsAt, T0 + skew + 4 * HOUR, "the server's own name for the end, as sent");
    }
  });

  it("never reads Date.now()", () => {
    const real = Date.now;
    Date.now = () => {
      throw new Error("Date.now() called");
    };
    try {
      assert.doesNotThrow(() => toDeadlines(status(), SENT, RECEIVED));
    } finally {
      Date.now = real;
    }
  });
});

describe("secondsLeft: rounded up, never negative", () => {
  const cases: { name: string; at: number; now: number; expected: number }[] = [
    { name: "exactly 20 s", at: 30_000, now: 10_000, expected: 20 },
    { name: "19.001 s → 20", at: 29_001, now: 10_000, expected: 20 },
    { name: "19.999 s → 20", at: 29_999, now: 10_000, expected: 20 },
    { name: "1 ms → 1 (shows 1 until the very end)", at: 10_001, now: 10_000, expected: 1 },
    { name: "exactly at the deadline → 0", at: 10_000, now: 10_000, expected: 0 },
    { name: "past the deadline → 0", at: 10_000, now: 15_000, expected: 0 },
    { name: "long past the deadline → 0", at: 0, now: HOUR, expected: 0 },
    { name: "fractional monotonic readings", at: 1_500.25, now: 500.5, expected: 1 },
  ];
  for (const c of cases) {
    it(`${c.name}`, () => {
      assert.equal(secondsLeft(c.at, c.now), c.expected);
    });
  }
});

describe("heartbeatInterval: at most 30 s, and within the budget", () => {
  const cases: { name: string; budget: number | null; warning: number; expected: number }[] = [
    { name: "no idle limit → 30 s", budget: null, warning: 20, expected: 30_000 },
    { name: "no idle limit, any warning → 30 s", budget: null, warning: 120, expected: 30_000 },
    { name: "40 s budget, 20 s warning → half the 20 s room: 10 s", budget: 40, warning: 20, expected: 10_000 },
    { name: "25 s budget (Billing), 20 s warning → 2.5 s", budget: 25, warning: 20, expected: 2_500 },
    { name: "15 min budget → capped at 30 s", budget: 900, warning: 120, expected: 30_000 },
    { name: "80 s budget, 20 s warning → exactly 30 s", budget: 80, warning: 20, expected: 30_000 },
    { name: "22 s budget, 20 s warning → floor of 2 s", budget: 22, warning: 20, expected: 2_000 },
    { name: "budget not above the warning → floor of 2 s", budget: 20, warning: 20, expected: 2_000 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(heartbeatInterval(c.budget, c.warning), c.expected);
    });
  }

  it("a heartbeat always lands before the warning would show (budgets 21 s … 2 h)", () => {
    for (let budget = 21; budget <= 7200; budget += 7) {
      const every = heartbeatInterval(budget, 20);
      assert.ok(every <= 30_000, `budget ${budget}: ${every} ms > 30 s`);
      assert.ok(
        every < (budget - 20) * 1000 || every === 2_000,
        `budget ${budget}: ${every} ms not within the room before the warning`,
      );
    }
  });
});

describe("msToNextTick: the warning's countdown ticks once a second, on the second", () => {
  const cases: { name: string; idleAt: number; now: number; expected: number }[] = [
    { name: "19.965 s left → 965 ms (the tick where 19 s left begins)", idleAt: 100_000, now: 80_035, expected: 965 },
    { name: "exactly 5 s left → 1 s", idleAt: 100_000, now: 95_000, expected: 1000 },
    { name: "1 ms left → 1 ms", idleAt: 100_000, now: 99_999, expected: 1 },
    { name: "at the deadline → 1 s", idleAt: 100_000, now: 100_000, expected: 1000 },
    { name: "past the deadline → 1 s", idleAt: 100_000, now: 100_400, expected: 1000 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(msToNextTick(c.idleAt, c.now), c.expected));

  it("a whole 20 s warning: each tick comes at most 1 s after the last; the countdown never skips a number", () => {
    const idleAt = 50_123.4;
    let now = idleAt - 19_987.2;
    const shown: number[] = [secondsLeft(idleAt, now)];
    while (now < idleAt) {
      const wait = msToNextTick(idleAt, now);
      assert.ok(wait > 0 && wait <= 1000, `wait ${wait}`);
      now += wait + 0.3; // timers run a little late
      shown.push(secondsLeft(idleAt, now));
    }
    for (let i = 1; i < shown.length; i++)
      assert.ok(shown[i - 1]! - shown[i]! <= 1, `skipped from ${shown[i - 1]} to ${shown[i]}`);
    assert.equal(shown.at(-1), 0);
  });
});
