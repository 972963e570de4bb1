/**
 * lib/audit/warning-window.ts: when a warning counts as open, its key, and the per-minute bound, checked
 * against a brute-force search over every deadline a client could present.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CLOCK_SLACK_MS, openWarning, rowsPerWindowBound } from "./warning-window";

const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const SEC = 1000;

describe("openWarning", () => {
  const W = 60;
  const cases: { name: string; deadline: number | null; open: boolean }[] = [
    { name: "no idle limit", deadline: null, open: false },
    { name: "deadline far away", deadline: T0 + 10 * 60 * SEC, open: false },
    { name: "warning not open yet, beyond the clock slack", deadline: T0 + W * SEC + CLOCK_SLACK_MS + 1, open: false },
    { name: "within the clock slack before the warning opens", deadline: T0 + W * SEC + CLOCK_SLACK_MS, open: true },
    { name: "the warning just opened", deadline: T0 + W * SEC, open: true },
    { name: "1 s left", deadline: T0 + SEC, open: true },
    { name: "exactly at the deadline", deadline: T0, open: true },
    { name: "past the deadline (the check has ended the session)", deadline: T0 - 1, open: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.open ? "open" : "none"}`, () => {
      assert.equal(openWarning(T0, c.deadline, W) !== null, c.open);
    });
  }

  it("the key is the deadline rounded down to the warning length", () => {
    const deadline = T0 + 30 * SEC;
    assert.deepEqual(openWarning(T0, deadline, W), { deadline, slot: Math.floor(deadline / (W * SEC)) });
  });
});

describe("rowsPerWindowBound", () => {
  it("is 12 per minute with the presets' 60 s warning, 18 with the smallest allowed (20 s)", () => {
    assert.equal(rowsPerWindowBound(60), 12);
    assert.equal(rowsPerWindowBound(20), 18);
  });

  for (const W of [20, 30, 45, 60, 600]) {
    it(`W = ${W} s: no sequence of reports in a minute finds more keys per kind than the bound / 3`, () => {
      // Every (time, deadline) a client could use: reports each 100 ms, any deadline its records allow.
      const start = T0 + 12_345;
      const keys = new Set<number>();
      for (let t = start; t <= start + 60 * SEC; t += 100) {
        for (let d = t; d <= t + W * SEC + CLOCK_SLACK_MS; d += 250) {
          const open = openWarning(t, d, W);
          if (open) keys.add(open.slot);
        }
      }
      assert.ok(keys.size <= rowsPerWindowBound(W) / 3, `${keys.size} keys > ${rowsPerWindowBound(W) / 3}`);
    });
  }
});
