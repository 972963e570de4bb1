/**
 * Item 3: Kratos whoami calls and database writes per session per minute under steady browsing
 * (100 sessions, one request per second each, 2 minutes), counted, not estimated:
 *  - whoami: a counting pass-through in front of the real Kratos public API (the app's
 *    KRATOS_PUBLIC_INTERNAL_URL points at it), counting /sessions/whoami;
 *  - writes: PostgreSQL's own counters (pg_stat_user_tables: rows inserted + updated + deleted) on a
 *    database only this app instance uses, read before the first request and again once every backend
 *    has flushed its counters (idle backends flush within 10 s in PostgreSQL 15).
 * The window starts at each session's first request, so the first whoami and the first insert count too.
 */
import pg from "pg";
import { countingProxy } from "../../test/helpers/counting-proxy";
import { Jar, hit, sleep } from "../../test/helpers/http";
import { KRATOS_PUBLIC_URL, scratchDatabase } from "../../test/helpers/stack";
import { log } from "./log";
import { startServer } from "./servers";
import type { BenchSession } from "./sessions";

export interface CallFigures {
  sessions: number;
  minutes: number;
  requests: number;
  whoamiPerSessionMinute: number;
  writesPerSessionMinute: number;
  writesByTable: Record<string, number>;
  achievedRatePerSession: number;
}

/** A browsing mix: page navigations and the status poll (as in test/integration/kratos-calls.test.ts). */
const PAGES = ["/dashboard", "/billing", "/api/session", "/dashboard"];

async function writeCounters(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_stat_force_next_flush()");
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query<{ relname: string; n: string }>(
      "SELECT relname, (n_tup_ins + n_tup_upd + n_tup_del)::bigint AS n FROM pg_stat_user_tables WHERE relname <> 'schema_migrations'",
    );
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.n)]));
  } finally {
    await client.end();
  }
}

export async function measureCalls(opts: { port: number; env: NodeJS.ProcessEnv; sessions: BenchSession[]; seconds: number }): Promise<CallFigures> {
  const db = await scratchDatabase("app_bench_calls");
  const proxy = await countingProxy(KRATOS_PUBLIC_URL);
  const server = await startServer({
    name: "calls",
    variant: "ours",
    port: opts.port,
    env: { ...opts.env, DATABASE_URL: db.url, KRATOS_PUBLIC_INTERNAL_URL: proxy.url },
  });
  try {
    // Counters settle: nothing has written yet, but read them the same way as at the end.
    await sleep(1000);
    const before = await writeCounters(db.url);
    proxy.reset();
    const jars = opts.sessions.map((s) => new Jar(s.kratosCookie));
    log(`calls: ${jars.length} sessions, 1 request/s each, ${opts.seconds} s`);
    const started = Date.now();
    let requests = 0;
    let failures = 0;
    await Promise.all(
      jars.map(async (jar, i) => {
        // Sessions spread over the second, each on its own 1 s schedule (never a burst of 100 at once).
        const offset = Math.round((i * 1000) / jars.length);
        for (let k = 0; k < opts.seconds; k++) {
          const due = started + offset + k * 1000;
          await sleep(Math.max(0, due - Date.now()));
          const response = await hit(server.url, PAGES[(k + i) % PAGES.length]!, jar);
          requests += 1;
          if (response.status !== 200) failures += 1;
        }
      }),
    );
    // Each session made `seconds` requests one second apart: that is `seconds` of browsing per session.
    const minutes = opts.seconds / 60;
    const elapsedMinutes = (Date.now() - started) / 60_000;
    if (failures > 0) throw new Error(`calls: ${failures} of ${requests} requests did not answer 200 (see .stack/bench/logs/calls.log)`);
    const whoami = proxy.count("/sessions/whoami");
    log("calls: waiting 12 s for every database backend to flush its counters");
    await sleep(12_000);
    const after = await writeCounters(db.url);
    const writesByTable = Object.fromEntries(Object.keys(after).map((t) => [t, (after[t] ?? 0) - (before[t] ?? 0)]).filter(([, n]) => Number(n) > 0));
    const writes = Object.values(writesByTable).reduce<number>((a, b) => a + Number(b), 0);
    const n = jars.length;
    return {
      sessions: n,
      minutes,
      requests,
      whoamiPerSessionMinute: whoami / n / minutes,
      writesPerSessionMinute: writes / n / minutes,
      writesByTable: writesByTable as Record<string, number>,
      achievedRatePerSession: requests / n / (elapsedMinutes * 60),
    };
  } finally {
    await server.stop();
    await proxy.close();
    await db.drop();
  }
}
