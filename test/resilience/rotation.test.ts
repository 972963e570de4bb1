/**
 * Rotating SESSION_SECRET (lib/session/record-keys.ts) on the real stack: a browser whose activity record
 * was signed by the test stack's instance (the old key) moves to an instance with a new SESSION_SECRET and
 * SESSION_SECRET_PREVIOUS = the old key. It stays signed in, its record is accepted (not ignored), and the
 * instance re-signs it with the new key. The internal channel accepts the old key too, an unknown one not.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Jar, hit } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { signInMany } from "../helpers/sessions";
import { APP_URL } from "../helpers/stack";
import { ACTIVITY_COOKIE, decodeRecord } from "../../lib/session/activity-record";
import { signInternal } from "../../lib/session/internal-channel";

const OLD = process.env.SESSION_SECRET ?? "";
const NEW = randomBytes(32).toString("hex");
const POLICY = { idleDesktopSeconds: 60, warningSeconds: 20, revalidateSeconds: 30 };

describe("SESSION_SECRET rotation", () => {
  let app: AppInstance;

  before(async () => {
    assert.ok(OLD.length >= 32, "SESSION_SECRET must be set (source .stack/<name>/env)");
    app = await startApp({
      port: extraAppPort(6),
      policy: POLICY,
      env: { SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD, SWEEPER_ENABLED: "false" },
    });
  });
  after(async () => {
    await app?.stop();
  });

  it("keeps the browser signed in and re-signs its record with the new key", async () => {
    const [session] = await signInMany(1);
    const jar = new Jar(session!.cookie);
    assert.equal((await hit(APP_URL, "/dashboard", jar)).status, 200);
    const oldRecord = jar.get(ACTIVITY_COOKIE);
    assert.ok(oldRecord, "the old instance issued a record");
    assert.equal(decodeRecord(oldRecord, OLD, []).status, "valid");

    const moved = await hit(app.url, "/dashboard", jar);
    assert.equal(moved.status, 200, "still signed in on the rotated instance");
    const newRecord = jar.get(ACTIVITY_COOKIE);
    assert.ok(newRecord && newRecord !== oldRecord, "the record was re-issued");
    const read = decodeRecord(newRecord, NEW, []);
    assert.equal(read.status, "valid", "signed with the new key");
    assert.equal(read.status === "valid" && read.record.sessionId, session!.sessionId);
    assert.deepEqual(decodeRecord(newRecord, OLD, []), { status: "invalid", reason: "signature" });
    assert.doesNotMatch(app.logs(), /ignored an activity record/, "the old record was accepted, not ignored");
  });

  it("the internal channel accepts the previous key and refuses an unknown one", async () => {
    const call = (secret: string) =>
      fetch(`${app.url}/api/health`, {
        headers: { "x-internal-auth": signInternal(secret, "GET", "/api/health", "") },
      });
    const withOld = await call(OLD);
    assert.equal(withOld.status, 200);
    assert.ok("outbox" in ((await withOld.json()) as object), "answered as a signed request");
    assert.equal((await call(NEW)).status, 200);
    assert.equal((await call(randomBytes(32).toString("hex"))).status, 403);
  });
});
