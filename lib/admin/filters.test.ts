/**
 * The admin area's query strings (lib/admin/filters.ts): good values parse, bad ones give a message
 * naming the field (never an exception), and the cursor only accepts what the app wrote.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  adminPageParams,
  auditSearch,
  checkRange,
  decodeCursor,
  encodeCursor,
  insightsParams,
  messagesOf,
  rangeForPeriod,
} from "./filters";

const ID = "0b9d3a35-6f3c-4a55-9d3e-2f1a7c5e8b11";

describe("admin page parameters", () => {
  it("no parameters: all types, no user, 7 days", () => {
    const r = adminPageParams.parse({});
    assert.deepEqual(r.type, []);
    assert.equal(r.user, undefined);
    assert.equal(r.period, "7d");
  });

  it("types (one or many), an email (lower-cased), an id, UTC times", () => {
    const r = adminPageParams.parse({
      type: ["session_expired_idle", "signed_out"],
      user: " Someone@Example.com ",
      from: "2031-06-11",
      to: "2031-06-11T09:30",
    });
    assert.deepEqual(r.type, ["session_expired_idle", "signed_out"]);
    assert.deepEqual(r.user, { email: "someone@example.com" });
    assert.equal(r.from?.toISOString(), "2031-06-11T00:00:00.000Z");
    assert.equal(r.to?.toISOString(), "2031-06-11T09:30:00.000Z");
    assert.deepEqual(adminPageParams.parse({ user: ID }).user, { identityId: ID });
    assert.equal(
      adminPageParams.parse({ from: "2031-06-11T09:30:00+02:00" }).from?.toISOString(),
      "2031-06-11T07:30:00.000Z",
    );
  });

  const bad: { name: string; input: Record<string, unknown>; message: RegExp }[] = [
    {
      name: "unknown event type",
      input: { type: "drop_table" },
      message: /Event type: "drop_table" is not one we record/,
    },
    {
      name: "a user that is neither email nor uuid",
      input: { user: "robert'); --" },
      message: /enter an email address or an identity id/,
    },
    { name: "a date that is not one", input: { from: "yesterday" }, message: /From: use a date such as/ },
    { name: "an impossible date", input: { to: "2031-02-30T10:00" }, message: /To: use a date/ },
    { name: "from after to", input: { from: "2031-06-12", to: "2031-06-11" }, message: /From must be before To/ },
    { name: "a forged cursor", input: { cursor: "not-a-cursor" }, message: /page link is invalid/ },
    { name: "a repeated single-value field", input: { user: [ID, ID] }, message: /User: give it once/ },
    { name: "an unknown period", input: { period: "1y" }, message: /Period: choose/ },
    { name: "hourly bars over 30 days", input: { period: "30d", bucket: "hour" }, message: /Hourly bars need/ },
  ];
  for (const b of bad) {
    it(`refuses ${b.name} with a message`, () => {
      const r = adminPageParams.safeParse(b.input);
      assert.equal(r.success, false);
      if (!r.success) assert.match(messagesOf(r.error).join("\n"), b.message);
    });
  }
});

describe("cursor", () => {
  it("round-trips microseconds and ids", () => {
    const c = { createdAt: "2031-06-11T12:00:00.123456Z", id: "9007199254740993" };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  });
  it("refuses anything else", () => {
    for (const v of [
      "",
      "x",
      Buffer.from("2031-06-11T12:00:00Z|1").toString("base64url"),
      Buffer.from("2031-06-11T12:00:00.000000Z|-1").toString("base64url"),
      Buffer.from("a|b|c").toString("base64url"),
    ]) {
      assert.equal(decodeCursor(v), null, v);
    }
  });
});

describe("insights parameters and ranges", () => {
  it("within 1..60 only", () => {
    assert.equal(insightsParams.parse({ within: "10" }).within, 10);
    assert.equal(insightsParams.safeParse({ within: "0" }).success, false);
    assert.equal(insightsParams.safeParse({ within: "5; DROP" }).success, false);
  });
  it("periods end now; hourly bars capped at 31 days, ranges at 366", () => {
    const now = Date.parse("2031-06-11T12:00:00Z");
    const r = rangeForPeriod("24h", undefined, now);
    assert.equal(r.bucket, "hour");
    assert.equal(r.to.getTime() - r.from.getTime(), 86_400_000);
    assert.equal(rangeForPeriod("30d", undefined, now).bucket, "day");
    assert.match(
      checkRange({ from: new Date(now - 40 * 86_400_000), to: new Date(now), bucket: "hour" }) ?? "",
      /31 days/,
    );
    assert.match(
      checkRange({ from: new Date(now - 400 * 86_400_000), to: new Date(now), bucket: "day" }) ?? "",
      /366 days/,
    );
    assert.equal(checkRange({ from: new Date(now - 86_400_000), to: new Date(now), bucket: "hour" }), null);
  });
  it("filters back to a query string", () => {
    const q = auditSearch(
      { types: ["signed_out"], user: { email: "a@b.example" }, from: new Date("2031-06-11T00:00:00Z") },
      { cursor: "abc" },
    );
    assert.equal(q, "?type=signed_out&user=a%40b.example&from=2031-06-11T00%3A00%3A00.000Z&cursor=abc");
  });
});
