import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeSeconds } from "./duration";

describe("describeSeconds", () => {
  const cases: [number | null, string][] = [
    [null, "never"],
    [1, "1 second"],
    [25, "25 seconds"],
    [60, "1 minute"],
    [90, "90 seconds"],
    [300, "5 minutes"],
    [3600, "1 hour"],
    [5400, "90 minutes"],
    [14400, "4 hours"],
  ];
  for (const [input, expected] of cases)
    it(`${input} -> ${expected}`, () => assert.equal(describeSeconds(input), expected));
});
