/**
 * Item 4 of issue 18: the admin area's reads on a large audit trail (10 million rows; 1 million with
 * --quick) spread over 90 days like a busy bank's. Each read is timed in this process against the seeded
 * database (median of 5 after one warm-up): audit pages 1 and 20 for each kind of filter, the charts and
 * insights over 24 h, 7 d and 30 d ending at the newest row (not on an hour boundary, so the rollup's partial
 * hours are part of it). Then a CSV export of 1 million rows through the real route of a production server,
 * with that server's memory sampled from /proc while it streams.
 */
import pg from "pg";
import * as q from "../lib/admin/queries";
import { createUser, signIn } from "../test/helpers/stack";
import { seedEnd, type AuditSeed } from "../test/helpers/audit-seed";
import { seededAuditDatabase } from "./audit-data";
import { log } from "./log";
import { groupRssKb } from "./proc-cpu";
import { startServer } from "./servers";
import { check, fmt, type Row } from "./table";

const TARGET_MS = 200;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Filters = q.AuditFilters;
const ALL: Filters = { types: [], identityId: null, from: null, to: null };

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  await run();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await run();
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[2]!;
}

function timedRow(metric: string, ms: number, detail: string): Row {
  return {
    item: "6",
    metric,
    ours: `${fmt(ms, 1)} ms`,
    baseline: detail,
    ratio: `${fmt(ms, 1)} ms`,
    target: `≤ ${TARGET_MS} ms`,
    verdict: check(ms, { max: TARGET_MS }),
  };
}

async function pageRows(pool: pg.Pool, seed: AuditSeed, end: Date): Promise<Row[]> {
  const month = new Date(end.getTime() - 30 * DAY);
  const filters: [string, Filters, number][] = [
    ["no filter", ALL, 20],
    ["one type, 30 d", { ...ALL, types: ["session_expired_idle"], from: month, to: end }, 20],
    ["three types", { ...ALL, types: ["session_expired_idle", "signed_out", "sessions_revoked_by_admin"] }, 20],
    ["one user", { ...ALL, identityId: "dddddddd-0000-4000-8000-000000000007" }, 4],
    ["one user + type", { ...ALL, identityId: "dddddddd-0000-4000-8000-000000000007", types: ["signed_out"] }, 1],
  ];
  const rows: Row[] = [];
  for (const [name, f, later] of filters) {
    let cursor: string | null = null;
    for (let i = 1; i < later; i++) cursor = (await q.auditPage(f, cursor, undefined, pool)).nextCursor;
    const first = await medianMs(() => q.auditPage(f, null, undefined, pool));
    const last = await medianMs(() => q.auditPage(f, cursor, undefined, pool));
    const pages = later === 1 ? "page 1" : `pages 1 / ${later}`;
    rows.push(timedRow(`audit ${pages} (${name})`, Math.max(first, last), `${fmt(first, 1)} / ${fmt(last, 1)} ms`));
  }
  log(`audit: pages timed (${seed.rows.toLocaleString("en")} rows)`);
  return rows;
}

async function chartRows(pool: pg.Pool, end: Date): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [label, span, bucket] of [
    ["24 h", DAY, "hour"],
    ["7 d", 7 * DAY, "day"],
    ["30 d", 30 * DAY, "day"],
  ] as const) {
    const range = { from: new Date(end.getTime() - span), to: end };
    const charts = await medianMs(() => q.expirationsOverTime(range, bucket, pool));
    const histogram = await medianMs(() => q.idleMinutesDistribution(range, {}, pool));
    const insights = await medianMs(() => q.frictionInsights(range, { now: end }, pool));
    rows.push(
      timedRow(`expirations by reason and area (${label}, per ${bucket})`, charts, "two queries"),
      timedRow(`idle-minutes histogram (${label})`, histogram, "one query"),
      timedRow(`friction insights (${label})`, insights, "four queries, in parallel"),
    );
  }
  return rows;
}

/** Downloads `count` rows as CSV through the admin route; the server's RSS is sampled every 50 ms. */
async function csvExport(opts: {
  dbUrl: string;
  seed: AuditSeed;
  count: number;
  port: number;
  env: NodeJS.ProcessEnv;
}) {
  const server = await startServer({
    name: "audit-csv",
    variant: "ours",
    port: opts.port,
    env: { ...opts.env, DATABASE_URL: opts.dbUrl, SWEEPER_ENABLED: "false" },
  });
  try {
    const cookie = await signIn(await createUser("admin"));
    const from = new Date(opts.seed.start);
    const to = new Date(from.getTime() + (opts.count + 0.5) * opts.seed.spacingSeconds * 1000);
    const url = `${server.url}/api/admin/audit.csv?from=${from.toISOString()}&to=${to.toISOString()}`;
    const warm = await fetch(`${server.url}/api/admin/audit.csv?to=${from.toISOString()}`, { headers: { cookie } });
    await warm.text();
    const beforeKb = groupRssKb(server.pgid);
    let peakKb = beforeKb;
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, groupRssKb(server.pgid))), 50);
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`CSV export answered ${response.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines += 1;
    }
    clearInterval(sampler);
    return { beforeKb, peakKb, bytes, rows: lines - 1, seconds: (performance.now() - started) / 1000 };
  } finally {
    await server.stop();
  }
}

export async function measureAudit(opts: {
  rows: number;
  baseUrl: string;
  port: number;
  env: NodeJS.ProcessEnv;
}): Promise<Row[]> {
  const seed: AuditSeed = {
    rows: opts.rows,
    start: "2024-01-01T00:00:00Z",
    spacingSeconds: 7_776_000 / opts.rows,
    users: 50_000,
  };
  const dbUrl = await seededAuditDatabase(opts.baseUrl, seed);
  const pool = new pg.Pool({ connectionString: dbUrl, max: 8 });
  // The steady state of a running app: the sweeper has folded the pending counts in (every pass), and the
  // tables have statistics. A no-op when a previous run already did it.
  await pool.query("SELECT audit_rollup_compact()");
  await pool.query("VACUUM ANALYZE audit_rollup, audit_rollup_pending");
  const end = seedEnd(seed);
  let rows: Row[];
  try {
    rows = [...(await pageRows(pool, seed, end)), ...(await chartRows(pool, end))];
  } finally {
    await pool.end();
  }
  const count = Math.min(1_000_000, opts.rows);
  const small = await csvExport({ dbUrl, seed, count: count / 10, port: opts.port, env: opts.env });
  const csv = await csvExport({ dbUrl, seed, count, port: opts.port, env: opts.env });
  const growthMb = (csv.peakKb - csv.beforeKb) / 1024;
  const smallGrowthMb = (small.peakKb - small.beforeKb) / 1024;
  const fileMb = csv.bytes / 1e6;
  // Constant memory: ten times the rows must not need more memory. A buffered export would grow with the file
  // (here by the 9/10 of it that the smaller export does not have).
  const extraMb = growthMb - smallGrowthMb;
  rows.push({
    item: "6",
    metric: `CSV export of ${fmt(count)} rows through /api/admin/audit.csv: the server's memory while it streams`,
    ours: `peak RSS ${fmt(csv.peakKb / 1024)} MB (+${fmt(growthMb)} MB)`,
    baseline: `${fmt(count / 10)} rows: +${fmt(smallGrowthMb)} MB; ${fmt(fileMb)} MB in ${fmt(csv.seconds, 1)} s`,
    ratio: `+${fmt(extraMb)} MB for 10× the rows`,
    target: "all rows; ≤ +0.1× the file",
    verdict: csv.rows === count && small.rows === count / 10 && extraMb <= 0.1 * fileMb ? "pass" : "FAIL",
  });
  return rows;
}
