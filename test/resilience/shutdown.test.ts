/**
 * Graceful shutdown (lib/activity/shutdown.ts): an instance holding audit writes in its outbox (PostgreSQL
 * cut through a TCP pass-through) gets SIGTERM. It must stop taking connections at once, keep the process
 * alive until PostgreSQL is back and the outbox has drained, store every queued event, and exit 0.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { reportFigure } from "../helpers/figures";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { signInMany } from "../helpers/sessions";
import { scratchDatabase } from "../helpers/stack";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { signInternal } from "../../lib/session/internal-channel";

const SESSIONS = 4;
const IDLE_S = 6;
const HELD_MS = 3_000; // PostgreSQL stays cut this long after SIGTERM: the exit must wait for it
const POLICY = {
  idleDesktopSeconds: IDLE_S,
  warningSeconds: 20,
  revalidateSeconds: 1,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};

async function pending(app: AppInstance): Promise<{ pending: number; produced: number; completed: number }> {
  const signed = { "x-internal-auth": signInternal(process.env.SESSION_SECRET ?? "", "GET", "/api/health", "") };
  return (
    (await (await fetch(`${app.url}/api/health`, { headers: signed })).json()) as {
      outbox: { pending: number; produced: number; completed: number };
    }
  ).outbox;
}

async function refused(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return false;
  } catch {
    return true;
  }
}

describe("graceful shutdown", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let proxy: TcpProxy;
  let app: AppInstance;

  before(async () => {
    db = await scratchDatabase(`app_shutdown_${process.env.APP_PORT ?? "test"}`);
    proxy = await tcpProxy(Number(new URL(db.url).port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const env = { DATABASE_URL: viaProxy.toString(), SWEEPER_ENABLED: "false", SHUTDOWN_DRAIN_SECONDS: "30" };
    app = await startApp({ port: extraAppPort(7), policy: POLICY, env });
  });
  after(async () => {
    await app?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it("on SIGTERM stops taking requests, drains the outbox into PostgreSQL, then exits 0", async () => {
    // Each session is used right after its sign-in: the idle clock starts at authentication.
    const sessions = [];
    const jars: Jar[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const [session] = await signInMany(1);
      const jar = new Jar(session!.cookie);
      assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
      sessions.push(session!);
      jars.push(jar);
    }
    await eventually(async () => ((await pending(app)).pending === 0 ? true : undefined), 10_000);

    await proxy.stop();
    await sleep((IDLE_S + 1) * 1000);
    const ends = await Promise.all(jars.map((jar) => hit(app.url, "/dashboard", jar)));
    const expired = ends.filter(
      (r) => r.status === 303 && new URL(r.location ?? "/", app.url).searchParams.get("reason") === "idle",
    ).length;
    const queued = await pending(app);

    let exitedAt: number | undefined;
    void app.exited.then(() => (exitedAt = Date.now()));
    const signalled = Date.now();
    app.signal("SIGTERM");
    await sleep(1_000);
    const closed = await refused(`${app.url}/api/health`);
    await sleep(HELD_MS - 1_000);
    const aliveWhileCut = exitedAt === undefined;
    await proxy.start();
    const code = await Promise.race([app.exited, sleep(30_000).then(() => "timeout" as const)]);
    const drainSeconds = ((exitedAt ?? Date.now()) - signalled) / 1000;

    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM security_audit
        WHERE event_type = 'session_expired_idle' AND session_id = ANY($1::uuid[])`,
      [sessions.map((s) => s.sessionId)],
    );
    const stored = Number(rows[0]?.n);
    reportFigure(
      "shutdown",
      "SIGTERM with PostgreSQL down: jobs queued / events stored",
      `${queued.pending} / ${stored} (${SESSIONS} idle expiries)`,
    );
    reportFigure(
      "shutdown",
      "SIGTERM to exit (PostgreSQL back after 3 s)",
      `${drainSeconds.toFixed(1)} s, exit code ${String(code)}`,
    );

    assert.equal(expired, SESSIONS, "the gate ended every idle session while PostgreSQL was down");
    assert.ok(queued.pending >= SESSIONS, `the audit writes were waiting in the outbox (${JSON.stringify(queued)})`);
    assert.equal(closed, true, "no new connection is accepted after SIGTERM");
    assert.equal(aliveWhileCut, true, "the process waits for the outbox while PostgreSQL is down");
    assert.equal(code, 0, `the process exits 0 once drained; log:\n${app.logs().slice(-2000)}`);
    assert.equal(stored, SESSIONS, "every queued audit event reached PostgreSQL (0 lost)");
    assert.match(app.logs(), /\[shutdown\] outbox drained/);
  });
});
