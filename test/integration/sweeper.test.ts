/**
 * The sweeper revokes sessions whose browser never came back, and several sweepers at once end each
 * session once with one audit row.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, eventually, hit } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { auditRows, createUser, scratchDatabase, sessionIdOf, signIn, whoamiStatus } from "../helpers/stack";

const POLICY = {
  idleDesktopSeconds: 5,
  idleMobileSeconds: 10,
  ceilings: [{ prefix: "/billing", seconds: 3, label: "Billing" }],
  warningSeconds: 20,
  revalidateSeconds: 1,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};

describe("sweeper", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let app: AppInstance;

  before(async () => {
    db = await scratchDatabase("app_it_sweeper");
    // The sweeper (in-process, started by instrumentation.ts) runs in this app; the test imports it too.
    process.env.DATABASE_URL = db.url;
    app = await startApp({ port: extraAppPort(3), policy: POLICY, env: { DATABASE_URL: db.url } });
  });
  after(async () => {
    await app?.stop();
    const { db: pool } = await import("../../lib/db/pool");
    await pool().end();
    await db?.drop();
  });

  it("revokes an abandoned session in Kratos (closed laptop) with one audit row", async () => {
    const kratosCookie = await signIn(await createUser());
    const sessionId = await sessionIdOf(kratosCookie);
    const jar = new Jar(kratosCookie);
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const walkedAway = Date.now();
    // No request ever again. Budget 5 s + write slack 1 s + sweep interval 1 s.
    await eventually(async () => ((await whoamiStatus(kratosCookie)) === 401 ? true : undefined), 20_000, 200);
    const delay = (Date.now() - walkedAway) / 1000;
    console.log(
      `# sweeper revocation delay after walking away: ${delay.toFixed(1)} s (budget 5 s + slack 1 s + interval 1 s)`,
    );
    assert.ok(delay >= 5, `not before the budget (${delay}s)`);
    const rows = await eventually(async () => {
      const r = await auditRows(db.pool, sessionId);
      return r.length ? r : undefined;
    }, 5_000);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.event_type, "session_expired_idle");
    assert.equal(rows[0]?.metadata.detected_by, "sweeper");
  });

  it("two sweepers at once: each expiry revoked once, one audit row each", async () => {
    // Stop the app's own sweeper from competing: its rows come from this test only, and it would
    // count as a third sweeper (still correct, but the revoke counts below are this process's).
    await app.stop();
    const { sweepOnce } = await import("../../lib/activity/sweeper");
    const sessions: { id: string; identity: string; cookie: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await createUser();
      const cookie = await signIn(user);
      sessions.push({ id: await sessionIdOf(cookie), identity: user.id, cookie });
    }
    for (const s of sessions) {
      await db.pool.query(
        `INSERT INTO session_activity
           (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline, absolute_deadline)
         VALUES ($1, $2, now() - interval '100 seconds', '/dashboard', 5,
           now() - interval '95 seconds', now() + interval '1 hour')`,
        [s.id, s.identity],
      );
    }
    const calls = new Map<string, number>();
    const { revokeSession } = await import("../../lib/kratos/admin");
    const counting = async (id: string) => {
      calls.set(id, (calls.get(id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 20)); // widen the race window
      await revokeSession(id);
    };
    const [a, b] = await Promise.all([
      sweepOnce({ revoke: counting, limit: 100 }),
      sweepOnce({ revoke: counting, limit: 100 }),
    ]);
    const again = await sweepOnce({ revoke: counting });
    assert.equal(a.ended + b.ended, sessions.length, `ended ${a.ended} + ${b.ended}`);
    assert.equal(again.due, 0, "nothing left to sweep");
    for (const s of sessions) {
      assert.equal(calls.get(s.id), 1, `revoked once: ${s.id}`);
      assert.equal(await whoamiStatus(s.cookie), 401);
      const rows = await auditRows(db.pool, s.id);
      assert.equal(rows.length, 1, `one audit row for ${s.id}`);
    }
  });

  it("a session Kratos cannot revoke right now stays live and is retried", async () => {
    const { sweepOnce } = await import("../../lib/activity/sweeper");
    const user = await createUser();
    const cookie = await signIn(user);
    const id = await sessionIdOf(cookie);
    await db.pool.query(
      `INSERT INTO session_activity
         (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline, absolute_deadline)
       VALUES ($1, $2, now() - interval '100 seconds', '/dashboard', 5,
         now() - interval '95 seconds', now() + interval '1 hour')`,
      [id, user.id],
    );
    const failing = await sweepOnce({ revoke: async () => Promise.reject(new Error("Kratos is down")) });
    assert.equal(failing.failed, 1);
    assert.equal(failing.ended, 0);
    assert.equal((await auditRows(db.pool, id)).length, 0, "no audit row for a revocation that did not happen");
    const retried = await sweepOnce();
    assert.equal(retried.ended, 1);
    assert.equal(await whoamiStatus(cookie), 401);
  });
});
