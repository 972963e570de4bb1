/**
 * PostgreSQL down: the gate keeps enforcing (its state travels in the signed record, Kratos is asked as
 * usual); audit and activity writes wait in the outbox and are written once it is back: 0 lost.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { auditRows, createUser, scratchDatabase, sessionIdOf, signIn, whoamiStatus } from "../helpers/stack";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

interface Health {
  outbox: { pending: number; produced: number; completed: number };
}

describe("PostgreSQL outage", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let proxy: TcpProxy;
  let app: AppInstance;

  before(async () => {
    db = await scratchDatabase("app_it_pgdown");
    proxy = await tcpProxy(Number(new URL(db.url).port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    app = await startApp({
      port: extraAppPort(5),
      policy: { idleDesktopSeconds: 5, warningSeconds: 20, revalidateSeconds: 1, activityWriteSeconds: 1, sweepIntervalSeconds: 1 },
      env: { DATABASE_URL: viaProxy.toString() },
    });
  });
  after(async () => {
    await app?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it("keeps enforcing while PostgreSQL is down and loses no audit or activity write", async () => {
    const cookie = await signIn(await createUser());
    const sessionId = await sessionIdOf(cookie);
    const jar = new Jar(cookie);
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);

    await proxy.stop();
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      assert.equal((await hit(app.url, "/dashboard", jar)).status, 200, "still served while the database is down");
    }
    await sleep(6_000); // idle past the 5 s budget
    const ended = await hit(app.url, "/dashboard", jar);
    assert.equal(new URL(ended.location ?? "", app.url).searchParams.get("reason"), "idle", "expiry enforced without the database");
    assert.equal(await whoamiStatus(cookie), 401, "revoked in Kratos without the database");
    const during = JSON.parse((await hit(app.url, "/api/health", new Jar())).body) as Health;
    assert.ok(during.outbox.pending > 0, `writes are waiting (${JSON.stringify(during.outbox)})`);

    await proxy.start();
    const flushed = await eventually(async () => {
      const h = JSON.parse((await hit(app.url, "/api/health", new Jar())).body) as Health;
      return h.outbox.pending === 0 ? h : undefined;
    }, 20_000, 500);
    console.log(`# events produced ${flushed.outbox.produced}, stored ${flushed.outbox.completed}, pending ${flushed.outbox.pending}`);
    assert.equal(flushed.outbox.completed, flushed.outbox.produced, "0 lost");
    const rows = await auditRows(db.pool, sessionId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.event_type, "session_expired_idle");
    const { rows: activity } = await db.pool.query("SELECT ended_at IS NOT NULL AS ended, end_reason FROM session_activity WHERE session_id = $1", [sessionId]);
    assert.deepEqual(activity[0], { ended: true, end_reason: "idle" });
  });
});
