/**
 * Two app instances (two ports) sharing one PostgreSQL database, SESSION_SECRET and Kratos, each running
 * its own sweeper, as behind a load balancer:
 * - a session kept active on A is honoured on B past the budget, with the browser's cookies (the signed
 *   record verifies on B) and without the activity cookie (B finds A's activity in the database);
 * - 30 sessions abandoned at once are raced for by both sweepers: each is revoked in Kratos exactly once
 *   (revocations counted through a pass-through in front of the admin API) with exactly one audit row.
 * Cookies are per host, not per port, so a browser sends the same cookies to both instances.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { countingProxy, type CountingProxy } from "../helpers/counting-proxy";
import { reportFigure } from "../helpers/figures";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { signInMany } from "../helpers/sessions";
import { KRATOS_ADMIN_URL, auditRows, scratchDatabase, whoamiStatus } from "../helpers/stack";

const IDLE_S = 8;
const POLICY = {
  idleDesktopSeconds: IDLE_S,
  warningSeconds: 20,
  revalidateSeconds: 1,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};
const ABANDONED = 30;

describe("two app instances", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let admin: CountingProxy;
  let a: AppInstance;
  let b: AppInstance;

  before(async () => {
    db = await scratchDatabase("app_res_instances");
    admin = await countingProxy(KRATOS_ADMIN_URL);
    const env = { DATABASE_URL: db.url, KRATOS_ADMIN_URL: admin.url, SWEEPER_ENABLED: "true" };
    [a, b] = await Promise.all([
      startApp({ port: extraAppPort(8), policy: POLICY, env }),
      startApp({ port: extraAppPort(9), policy: POLICY, env }),
    ]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await admin?.close();
    await db?.drop();
  });

  // The race runs first, so the sweepers' own counts (their logs) cover exactly its sessions.
  it(`${ABANDONED} sessions abandoned at once: both sweepers race, each revoked once with one audit row`, async () => {
    const sessions = await signInMany(ABANDONED);
    // One request each, alternating instances, then nothing: only the sweepers can end them.
    await Promise.all(
      sessions.map(async (s, i) =>
        assert.equal((await hit(i % 2 ? b.url : a.url, "/dashboard", new Jar(s.cookie))).status, 200),
      ),
    );
    const abandonedAt = Date.now();
    const ids = sessions.map((s) => s.sessionId);
    await eventually(
      async () => {
        const { rows } = await db.pool.query<{ n: string }>(
          "SELECT count(*) AS n FROM session_activity WHERE ended_at IS NOT NULL AND session_id = ANY($1::uuid[])",
          [ids],
        );
        return Number(rows[0]?.n) === ABANDONED ? true : undefined;
      },
      (IDLE_S + 15) * 1000,
      250,
    );
    const allEndedAfter = (Date.now() - abandonedAt) / 1000;
    await sleep(3_000); // three more passes on each instance: a late second revocation would show now

    const revocations = ids.map((id) => admin.count(`/admin/sessions/${id}`));
    const audits = await Promise.all(ids.map((id) => auditRows(db.pool, id)));
    let stillValid = 0;
    for (const s of sessions) if ((await whoamiStatus(s.cookie)) !== 401) stillValid += 1;
    const endedBy = (app: AppInstance) =>
      [...app.logs().matchAll(/\[sweeper\] ended (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);

    reportFigure(
      "instances",
      "abandoned sessions ended (2 sweepers)",
      `${ABANDONED - stillValid} of ${ABANDONED}, all within ${allEndedAfter.toFixed(1)} s (budget ${IDLE_S} s)`,
    );
    reportFigure("instances", "ended by sweeper A / B", `${endedBy(a)} / ${endedBy(b)}`);
    reportFigure(
      "instances",
      "Kratos revocations per session min / max",
      `${Math.min(...revocations)} / ${Math.max(...revocations)}`,
    );
    reportFigure(
      "instances",
      "audit rows per session min / max",
      `${Math.min(...audits.map((r) => r.length))} / ${Math.max(...audits.map((r) => r.length))}`,
    );

    assert.equal(stillValid, 0, "Kratos no longer accepts any of them");
    assert.deepEqual(
      revocations,
      ids.map(() => 1),
      "each session revoked in Kratos exactly once",
    );
    for (const rows of audits) {
      assert.equal(rows.length, 1, "exactly one audit row per expiry");
      assert.equal(rows[0]?.event_type, "session_expired_idle");
      assert.equal(rows[0]?.metadata.detected_by, "sweeper");
    }
    assert.equal(endedBy(a) + endedBy(b), ABANDONED, "the two sweepers' own counts add up");
  });

  it("a session active on A is honoured on B past the budget, with or without its activity cookie", async () => {
    const [withRecord, withoutRecord] = await signInMany(2);
    const jars = [new Jar(withRecord!.cookie), new Jar(withoutRecord!.cookie)];
    const started = Date.now();
    // Active on A only, for one and a half budgets: B's sweeper sees that activity in the shared table.
    while (Date.now() - started < IDLE_S * 1500) {
      for (const jar of jars) assert.equal((await hit(a.url, "/dashboard", jar)).status, 200, "active on A");
      await sleep(1_500);
    }
    const onB = await hit(b.url, "/dashboard", jars[0]!);
    const bare = new Jar(withoutRecord!.cookie); // only Kratos' cookie: B must ask the database, not count from sign-in
    const onBWithoutRecord = await hit(b.url, "/dashboard", bare);
    const honoured = [onB, onBWithoutRecord].filter((r) => r.status === 200).length;
    const stillSignedIn =
      (await whoamiStatus(withRecord!.cookie)) === 200 && (await whoamiStatus(withoutRecord!.cookie)) === 200;

    reportFigure(
      "instances",
      "sessions active on A honoured on B",
      `${honoured} of 2 (after ${IDLE_S * 1.5} s, budget ${IDLE_S} s)`,
    );
    assert.equal(onB.status, 200, `B honours A's signed record (${onB.status} ${onB.location})`);
    assert.equal(
      onBWithoutRecord.status,
      200,
      `B finds A's activity in the database (${onBWithoutRecord.status} ${onBWithoutRecord.location})`,
    );
    assert.ok(stillSignedIn, "neither sweeper ended a session in use");
  });
});
