/**
 * Item 4, run in its own process (DATABASE_URL = the sweep database; `--conditions=react-server` so the
 * real server-only modules load): the product's sweepOnce() on 1,000,000 session_activity rows, 10,000 of
 * them expired. Prints one JSON line with the figures on stdout.
 *
 * The expired rows carry random session ids Kratos never issued (10,000 real logins would take minutes):
 * Kratos answers DELETE /admin/sessions/{unknown id} with 404, which revokeSession() treats as done
 * (idempotent), so the sweeper ends and audits them exactly as it would real ones. The Kratos round trip
 * is real either way.
 *
 * The claim query is not copied here: the worker records the SQL text and parameters the sweeper really
 * sends (a wrapper around pg.Client#query, bench-only) and EXPLAINs exactly that.
 */
import pg from "pg";
import { sweepOnce } from "../lib/activity/sweeper";
import { median } from "../test/helpers/stats";

const TOTAL = Number(process.env.BENCH_SWEEP_ROWS ?? 1_000_000);
const EXPIRED = Number(process.env.BENCH_SWEEP_EXPIRED ?? 10_000);
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set (run through npm run bench)");

let claim: { text: string; values: unknown[] } | undefined;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values] = args;
  if (!claim && typeof text === "string" && text.includes("FOR UPDATE SKIP LOCKED"))
    claim = { text, values: (values as unknown[]) ?? [] };
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

async function load(client: pg.Client): Promise<void> {
  // Live sessions, none due: idle deadlines 1-30 min ahead, absolute deadlines 1-4 h ahead.
  await client.query(
    `INSERT INTO session_activity
       (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline, absolute_deadline)
     SELECT gen_random_uuid(), gen_random_uuid(), now() - interval '1 minute', '/dashboard', 1800,
            now() + (1 + i % 30) * interval '1 minute', now() + (1 + i % 4) * interval '1 hour'
       FROM generate_series(1, $1::int) AS i`,
    [TOTAL - EXPIRED],
  );
  // Abandoned sessions: idle past their 30 min budget by 10-60 min (well past the sweeper's slack).
  await client.query(
    `INSERT INTO session_activity
       (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline, absolute_deadline)
     SELECT gen_random_uuid(), gen_random_uuid(), now() - (40 + i % 50) * interval '1 minute', '/billing', 1800,
            now() - (10 + i % 50) * interval '1 minute', now() + interval '2 hours'
       FROM generate_series(1, $1::int) AS i`,
    [EXPIRED],
  );
  await client.query("VACUUM ANALYZE session_activity");
}

function planNodes(plan: Record<string, unknown>): string[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  const target = plan["Index Name"] || plan["Relation Name"];
  const self = `${plan["Node Type"]}${target ? ` on ${target}` : ""}`;
  return [self, ...children.flatMap(planNodes)];
}

async function explain(client: pg.Client): Promise<string[]> {
  if (!claim) throw new Error("the sweeper's claim query was not seen");
  await client.query("BEGIN");
  try {
    const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: Record<string, unknown> }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${claim.text}`,
      claim.values,
    );
    return planNodes(rows[0]!["QUERY PLAN"][0].Plan);
  } finally {
    await client.query("ROLLBACK");
  }
}

async function main() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = performance.now();
  await load(client);
  const loadSeconds = (performance.now() - t0) / 1000;

  // Find and revoke every expired session: passes of up to 1000 rows (the sweeper's own limit) until none is due.
  const t1 = performance.now();
  let passes = 0;
  let ended = 0;
  let failed = 0;
  for (;;) {
    const r = await sweepOnce();
    passes += 1;
    ended += r.ended;
    failed += r.failed;
    if (r.due === 0 || passes > 100) break;
  }
  const revokeMs = performance.now() - t1;
  const plan = await explain(client);

  // One pass when nothing is due, repeated: the steady-state cost every sweepIntervalSeconds.
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const r = await sweepOnce();
    idle.push(performance.now() - t);
    if (r.due !== 0) throw new Error(`a pass found ${r.due} due rows after the sweep finished`);
  }
  const { rows } = await client.query<{ live: string; ended: string }>(
    `SELECT count(*) FILTER (WHERE ended_at IS NULL) AS live, count(*) FILTER (WHERE ended_at IS NOT NULL) AS ended
       FROM session_activity`,
  );
  await client.end();
  console.log(
    JSON.stringify({
      rows: TOTAL,
      expired: EXPIRED,
      loadSeconds,
      passes,
      ended,
      failed,
      revokeMs,
      idlePassMs: median(idle),
      plan,
      live: Number(rows[0]!.live),
      endedRows: Number(rows[0]!.ended),
    }),
  );
  process.exit(0); // the app pool would keep the process alive
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
