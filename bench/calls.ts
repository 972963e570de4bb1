/**
 * Item 3: Kratos whoami calls and database writes per session per minute under steady browsing
 * (100 sessions, one request per second each, 2 minutes), counted, not estimated:
 *  - whoami: a counting pass-through in front of the real Kratos public API (the app's
 *    KRATOS_PUBLIC_INTERNAL_URL points at it), counting /sessions/whoami;
 *  - writes: PostgreSQL's own counters (pg_stat_user_tables: rows inserted + updated + deleted) on a
 *    database only this app instance uses, read before the first request and again once every backend
 *    has flushed its counters (idle backends flush within 10 s in PostgreSQL 15).
 * Steady state: the sessions start spread over PHASE_SPREAD_MS and each browses at least 20 s before the
 * counters are read (its first whoami and first insert happen there); then the window of `seconds` starts,
 * and every session browses until it ends. Rates are per minute of the
 * window as it really lasted: when the machine cannot keep up with one request per second per session,
 * the sessions browse slower and the window is longer, and the table says which rate was achieved.
 */
import pg from "pg";
import { Jar, hit, sleep } from "../test/helpers/http";
import { KRATOS_PUBLIC_URL, scratchDatabase } from "../test/helpers/stack";
import { log } from "./log";
import { startServer } from "./servers";
import { whoamiProxy } from "./whoami-proxy";
import type { BenchSession } from "./sessions";

export interface CallFigures {
  sessions: number;
  minutes: number;
  requests: number;
  whoamiPerSessionMinute: number;
  writesPerSessionMinute: number;
  writesByTable: Record<string, number>;
  /** whoami calls that came less than half an interval after the session's previous one */
  repeats: number;
  byCaller: { gate: number; node: number };
  achievedRatePerSession: number;
}

/**
 * Sessions start spread over PHASE_SPREAD_MS, the default preset's activity write interval, like users who
 * did not all sign in in the same second. Started within one second, every session wrote (and checked) in
 * step, so a 120 s window counted 4 writes for each: 2.00 per minute exactly, over "≤ 2" whenever the window
 * came out a millisecond short, for a session that writes once per 30.5 s (1.97 per minute).
 */
const PHASE_SPREAD_MS = 30_000;
/** Every session browses at least 20 s before the window opens (the last one starts PHASE_SPREAD_MS late). */
const WARMUP_SECONDS = 20 + PHASE_SPREAD_MS / 1000;
const REVALIDATE_MS = 15_000; // the default preset's revalidateSeconds

/** A browsing mix: page navigations and the status poll (as in test/integration/kratos-calls.test.ts). */
const PAGES = ["/dashboard", "/billing", "/api/session", "/dashboard"];

async function writeCounters(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_stat_force_next_flush()");
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query<{ relname: string; ins: string; upd: string; del: string }>(
      `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del
         FROM pg_stat_user_tables WHERE relname <> 'schema_migrations'`,
    );
    return Object.fromEntries(
      rows.flatMap((r) => [
        [`${r.relname} inserted`, Number(r.ins)],
        [`${r.relname} updated`, Number(r.upd)],
        [`${r.relname} deleted`, Number(r.del)],
      ]),
    );
  } finally {
    await client.end();
  }
}

export async function measureCalls(opts: {
  port: number;
  env: NodeJS.ProcessEnv;
  sessions: BenchSession[];
  seconds: number;
}): Promise<CallFigures> {
  const db = await scratchDatabase("app_bench_calls");
  const proxy = await whoamiProxy(KRATOS_PUBLIC_URL);
  const server = await startServer({
    name: "calls",
    variant: "ours",
    port: opts.port,
    env: { ...opts.env, DATABASE_URL: db.url, KRATOS_PUBLIC_INTERNAL_URL: proxy.url },
  });
  try {
    const jars = opts.sessions.map((s) => new Jar(s.kratosCookie));
    log(`calls: ${jars.length} sessions, 1 request/s each, ${WARMUP_SECONDS} s warm-up + ${opts.seconds} s counted`);
    const started = Date.now();
    let requests = 0;
    let failures = 0;
    const failed = new Map<string, number>();
    // Window start: counters read while every session keeps browsing (the first inserts are > 10 s old,
    // so their counts have been flushed by then).
    const window = (async () => {
      await sleep(WARMUP_SECONDS * 1000);
      proxy.reset();
      const at = Date.now();
      return { at, requestsBefore: requests, counters: await writeCounters(db.url) };
    })();
    await Promise.all(
      jars.map(async (jar, i) => {
        // Each session on its own 1 s schedule from its own start; all stop together when the window closes.
        const offset = Math.round((i * PHASE_SPREAD_MS) / jars.length);
        const end = started + (WARMUP_SECONDS + opts.seconds) * 1000;
        for (let k = 0; ; k++) {
          const due = started + offset + k * 1000;
          if (due >= end) break;
          await sleep(Math.max(0, due - Date.now()));
          const page = PAGES[(k + i) % PAGES.length]!;
          const response = await hit(server.url, page, jar);
          requests += 1;
          if (response.status !== 200) {
            failures += 1;
            const to = response.location ? ` -> ${response.location.slice(0, 80)}` : "";
            const what = `${page} ${response.status}${to}`;
            failed.set(what, (failed.get(what) ?? 0) + 1);
          }
        }
      }),
    );
    const start = await window;
    const before = start.counters;
    const minutes = (Date.now() - start.at) / 60_000;
    const windowRequests = requests - start.requestsBefore;
    if (failures > 0) {
      const which = [...failed].map(([what, n]) => `${n} × ${what}`).join("; ");
      throw new Error(
        `calls: ${failures} of ${requests} requests did not answer 200: ${which} (see .stack/bench/logs/calls.log)`,
      );
    }
    const perSession = [...proxy.calls().values()];
    const whoami = perSession.reduce((n, times) => n + times.length, 0);
    const gaps = perSession.flatMap((times) => times.slice(1).map((t, i) => t - times[i]!));
    // A check repeated within half the interval is one the previous check should have made unnecessary.
    const repeats = gaps.filter((g) => g < REVALIDATE_MS / 2).length;
    const counts = perSession.map((t) => t.length);
    log(
      `calls: whoami per session ${Math.min(...counts)}-${Math.max(...counts)}, ` +
        `spacing ${Math.min(...gaps)}-${Math.max(...gaps)} ms, ${repeats} repeated within ${REVALIDATE_MS / 2000} s`,
    );
    log("calls: waiting 12 s for every database backend to flush its counters");
    await sleep(12_000);
    const after = await writeCounters(db.url);
    const writesByTable = Object.fromEntries(
      Object.keys(after)
        .map((t) => [t, (after[t] ?? 0) - (before[t] ?? 0)])
        .filter(([, n]) => Number(n) > 0),
    );
    const writes = Object.values(writesByTable).reduce<number>((a, b) => a + Number(b), 0);
    const n = jars.length;
    return {
      sessions: n,
      minutes,
      requests: windowRequests,
      whoamiPerSessionMinute: whoami / n / minutes,
      writesPerSessionMinute: writes / n / minutes,
      writesByTable: writesByTable as Record<string, number>,
      repeats,
      byCaller: proxy.byCaller(),
      achievedRatePerSession: windowRequests / n / (minutes * 60),
    };
  } finally {
    await server.stop();
    await proxy.close();
    await db.drop();
  }
}
