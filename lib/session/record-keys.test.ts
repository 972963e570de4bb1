/**
 * Secret rotation (lib/session/record-keys.ts): a record signed with SESSION_SECRET_PREVIOUS verifies and is
 * re-signed with SESSION_SECRET on its next activity; a record signed with any other key is refused; the
 * internal channel accepts the previous key the same way; the previous key comes from the environment.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeRecord, encodeRecord, needsReissue, type ActivityRecord } from "./activity-record";
import { signInternal, verifyInternalHeader } from "./internal-channel";
import { previousSecrets, verifyWithKeys } from "./record-keys";
import { SAMPLE_RECORD, T0 } from "./test-fixtures";

const NEW = "5b1e9c07d3a84f26e0c9b71a4d5f83e2c6a09b17f4d2e85c3a61b0f97e4d28c5"; // openssl rand -hex 32
const OLD = "c84e20f9a1b7d35e6f0a92c4b8d17e3f50a6c29d81e4b7f3a0c5d92e6b18f47a";
const UNKNOWN = "e2a7c91f04d68b3a5e1f7c20d9b46a83f1c05e7d2b9a64c8f3e10d57a92b6c4e";

const RECORD = SAMPLE_RECORD;

function valid(read: ReturnType<typeof decodeRecord>): ActivityRecord {
  assert.equal(read.status, "valid", JSON.stringify(read));
  return (read as { record: ActivityRecord }).record;
}

describe("activity record rotation", () => {
  it("a record signed with the previous key verifies and is re-signed with the new one on activity", () => {
    const old = encodeRecord({ ...RECORD, lastActivityAt: T0 + 61_000 }, OLD);
    const presented = valid(decodeRecord(old, NEW, [OLD]));
    assert.deepEqual(presented, { ...RECORD, lastActivityAt: T0 + 61_000 });
    // Nothing changed in the record: an activity re-issues it anyway, a poll does not (see needsReissue).
    assert.equal(needsReissue(presented, presented, true), true);
    assert.equal(needsReissue(presented, presented, false), false);
    const resigned = encodeRecord(presented, NEW);
    assert.notEqual(resigned, old);
    const again = valid(decodeRecord(resigned, NEW, []));
    assert.deepEqual(again, presented);
    assert.equal(
      needsReissue(again, again, true),
      false,
      "a record signed with the current key is not re-issued for that",
    );
  });

  it("the same value is still accepted from the cache, and refused once the previous key is dropped", () => {
    const old = encodeRecord({ ...RECORD, lastActivityAt: T0 + 62_000 }, OLD);
    valid(decodeRecord(old, NEW, [OLD]));
    valid(decodeRecord(old, NEW, [OLD]));
    assert.deepEqual(decodeRecord(old, NEW, []), { status: "invalid", reason: "signature" });
  });

  it("a record signed with an unknown key is refused, with or without a previous key", () => {
    const foreign = encodeRecord({ ...RECORD, lastActivityAt: T0 + 63_000 }, UNKNOWN);
    assert.deepEqual(decodeRecord(foreign, NEW, [OLD]), { status: "invalid", reason: "signature" });
    assert.deepEqual(decodeRecord(foreign, NEW, []), { status: "invalid", reason: "signature" });
    assert.deepEqual(decodeRecord("v2.x.y", NEW, [OLD]), { status: "invalid", reason: "format" });
  });
});

describe("internal channel rotation", () => {
  const check = (header: string) => (key: string) =>
    verifyInternalHeader(key, header, "GET", "/api/health", "", T0 + 1000);

  it("accepts a call signed with the previous key, refuses one signed with an unknown key", () => {
    assert.equal(verifyWithKeys(NEW, check(signInternal(OLD, "GET", "/api/health", "", T0)), [OLD]).ok, true);
    assert.equal(verifyWithKeys(NEW, check(signInternal(NEW, "GET", "/api/health", "", T0)), [OLD]).ok, true);
    assert.equal(verifyWithKeys(NEW, check(signInternal(OLD, "GET", "/api/health", "", T0)), []).ok, false);
    assert.equal(verifyWithKeys(NEW, check(signInternal(UNKNOWN, "GET", "/api/health", "", T0)), [OLD]).ok, false);
  });
});

describe("previousSecrets()", () => {
  const saved = { current: process.env.SESSION_SECRET, previous: process.env.SESSION_SECRET_PREVIOUS };
  afterEach(() => {
    for (const [name, value] of [
      ["SESSION_SECRET", saved.current],
      ["SESSION_SECRET_PREVIOUS", saved.previous],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("is empty without SESSION_SECRET_PREVIOUS and holds it when set", () => {
    delete process.env.SESSION_SECRET_PREVIOUS;
    assert.deepEqual(previousSecrets(), []);
    process.env.SESSION_SECRET = NEW;
    process.env.SESSION_SECRET_PREVIOUS = OLD;
    assert.deepEqual(previousSecrets(), [OLD]);
    // decodeRecord's default: the environment's previous key.
    valid(decodeRecord(encodeRecord({ ...RECORD, lastActivityAt: T0 + 64_000 }, OLD), NEW));
  });

  it("refuses a weak previous key, naming the variable", () => {
    process.env.SESSION_SECRET = NEW;
    process.env.SESSION_SECRET_PREVIOUS = "changeme-changeme-changeme-changeme";
    assert.throws(() => previousSecrets(), /SESSION_SECRET_PREVIOUS: is too weak/);
  });
});
