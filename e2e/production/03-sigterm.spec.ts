/**
 * SIGTERM to one app instance under load, behind Caddy:
 * - requests keep being answered by the other instance (Caddy retries a refused or broken GET on the next
 *   upstream within lb_try_duration, and health checks take the stopped one out of the rotation): failures
 *   are counted, and at most the requests in flight on the stopped instance may fail;
 * - no outbox event is lost: instance 1 runs with its PostgreSQL behind a pass-through this test cuts, so
 *   activity writes wait in its outbox; the database comes back as the SIGTERM is sent, and every waiting
 *   write must reach the table before the process exits (the graceful drain). An instance that exits on
 *   SIGTERM without draining loses them, and this test fails.
 */
import { expect, test } from "@playwright/test";
import { reportFigure } from "../../test/helpers/figures";
import { Jar, eventually, hit, sleep } from "../../test/helpers/http";
import { signInMany, type SignedInSession } from "../../test/helpers/sessions";
import { tcpProxy, type TcpProxy } from "../../test/helpers/tcp-proxy";
import { APP_PORTS, ORIGIN, POLICY, alive, outboxOf, pidOf, pool, stackShell, upstreamOf } from "./stack";

const WAITING = 6; // sessions whose activity writes wait in instance 1's outbox
const LOAD = 6; // concurrent browsers loading pages through Caddy

async function heartbeat(base: string, jar: Jar) {
  return hit(base, "/api/session/activity", jar, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"reason":"heartbeat"}',
  });
}

/** Browsers loading /dashboard through Caddy until stop(); every answer but 200 is a failure. */
function loadThroughCaddy(jars: Jar[]) {
  const stats = { sent: 0, failed: 0, afterTerm: new Map<string, number>(), failures: [] as string[] };
  let running = true;
  let termAt = Number.POSITIVE_INFINITY;
  const loops = jars.map(async (jar) => {
    while (running) {
      const at = Date.now();
      stats.sent += 1;
      try {
        const r = await hit(ORIGIN, "/dashboard", jar);
        if (r.status !== 200) throw new Error(`HTTP ${r.status} from ${r.headers.get("x-upstream")}`);
        const up = r.headers.get("x-upstream") ?? "?";
        if (at > termAt) stats.afterTerm.set(up, (stats.afterTerm.get(up) ?? 0) + 1);
      } catch (error) {
        stats.failed += 1;
        stats.failures.push((error as Error).message);
      }
    }
  });
  return {
    stats,
    terminated: () => (termAt = Date.now()),
    stop: async () => ((running = false), await Promise.all(loops)),
  };
}

test("SIGTERM to one instance under load: the other keeps answering, no outbox event lost", async () => {
  const port1 = APP_PORTS[0]!;
  const direct = `http://127.0.0.1:${port1}`;
  const db = pool();
  let proxy: TcpProxy | undefined;
  try {
    // Instance 1 again, its PostgreSQL behind a pass-through this test can cut.
    const pgUrl = new URL(process.env.DATABASE_URL!);
    proxy = await tcpProxy(Number(pgUrl.port || 5432));
    pgUrl.port = String(proxy.port);
    await stackShell('stop_pidfile "$STATE_DIR/app-1.pid"; prod_start_app 1; prod_wait_app 1', {
      DATABASE_URL: pgUrl.toString(),
    });

    const sessions = await signInMany(WAITING + LOAD);
    const jars = new Map(sessions.map((s) => [s.sessionId, new Jar(s.cookie)]));
    const jarOf = (s: SignedInSession) => jars.get(s.sessionId)!;
    for (const s of sessions) expect((await hit(direct, "/dashboard", jarOf(s))).status).toBe(200);
    await eventually(async () => ((await outboxOf(port1)).pending === 0 ? true : undefined), 15_000);
    await sleep(POLICY.activityWriteSeconds * 1000 + 500); // the next heartbeat of each is written, not throttled

    proxy.stop();
    const waiting = sessions.slice(0, WAITING);
    const beatAt = new Map<string, number>();
    for (const s of waiting) {
      const at = Date.now();
      expect((await heartbeat(direct, jarOf(s))).status, "a heartbeat is answered with the database down").toBe(200);
      beatAt.set(s.sessionId, at);
    }
    const load = loadThroughCaddy(sessions.slice(WAITING).map(jarOf));
    await sleep(2_000);
    const queued = await outboxOf(port1);
    expect(queued.pending, "writes wait in instance 1's outbox").toBeGreaterThanOrEqual(WAITING);

    const pid = pidOf("app-1");
    await proxy.start();
    process.kill(pid, "SIGTERM");
    load.terminated();
    const termAt = Date.now();
    await eventually(async () => (alive(pid) ? undefined : true), 60_000, 100);
    const exitSeconds = (Date.now() - termAt) / 1000;
    await sleep(3_000);
    await load.stop();

    const { rows } = await db.query<{ session_id: string; la: string }>(
      `SELECT session_id, (extract(epoch FROM last_activity_at) * 1000)::bigint AS la
         FROM session_activity WHERE session_id = ANY($1::uuid[])`,
      [waiting.map((s) => s.sessionId)],
    );
    const stored = waiting.filter(
      (s) => Number(rows.find((r) => r.session_id === s.sessionId)?.la) >= beatAt.get(s.sessionId)! - 1000,
    ).length;
    const { stats } = load;
    const afterTerm = [...stats.afterTerm].map(([u, n]) => `${u}: ${n}`).join(", ");

    reportFigure(
      "production",
      "SIGTERM: requests sent / failed",
      `${stats.sent} / ${stats.failed} (${LOAD} browsers; after SIGTERM ${afterTerm})`,
    );
    reportFigure(
      "production",
      "SIGTERM: outbox events queued / written",
      `${queued.pending} / ${stored} of ${WAITING} sessions (exit ${exitSeconds.toFixed(1)} s)`,
    );
    expect(
      stats.failed,
      `at most the requests in flight on the stopped instance fail: ${stats.failures.join("; ")}`,
    ).toBeLessThanOrEqual(LOAD);
    expect(stats.afterTerm.get(upstreamOf(2)) ?? 0, "the other instance answered").toBeGreaterThan(0);
    expect(stored, "every activity write waiting in the outbox at SIGTERM reached the table").toBe(WAITING);
  } finally {
    // Instance 1 back on the real database for the specs that follow.
    await stackShell('stop_pidfile "$STATE_DIR/app-1.pid"; prod_start_app 1; prod_wait_app 1');
    await proxy?.close();
    await db.end();
  }
});
