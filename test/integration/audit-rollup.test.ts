/**
 * The audit trail's hourly rollup (db/migrations/007, lib/admin/counts.ts, lib/audit/rollup.ts) on a scratch
 * database: for random ranges (on and off hour boundaries, inside one hour, empty) the counts read through
 * the rollup equal the counts of the rows themselves, before, during and after compaction; a transaction
 * still open while a compaction runs is neither lost nor counted twice; a refused duplicate warning adds
 * nothing; two compactions at once move each pending row once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { scratchDatabase } from "../helpers/stack";

type Counts = typeof import("../../lib/admin/counts");
type Rollup = typeof import("../../lib/audit/rollup");

const START = Date.parse("2025-03-01T00:00:00Z");
const HOUR = 3_600_000;
const DIMS = "event_type, area, idle_minute, just_past, after_warning";

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ["session_expired_idle", "warning_shown", "signed_out", "session_expired_absolute", "session_extended"];
const AREAS = ["normal pages", "Billing", "Admin"];

/** `n` rows spread over 3 days at random instants (to the microsecond), sessions shared by a few rows each. */
async function insertRandom(client: Pick<pg.Pool, "query">, n: number, rnd: () => number): Promise<void> {
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[Math.floor(rnd() * TYPES.length)]!;
    const session = `5e55105e-0000-4000-8000-${String(Math.floor(rnd() * 40)).padStart(12, "0")}`;
    const at = new Date(START + Math.floor(rnd() * 72 * HOUR))
      .toISOString()
      .replace("Z", `${Math.floor(rnd() * 999)}Z`);
    const meta: Record<string, unknown> = { area: AREAS[Math.floor(rnd() * AREAS.length)] };
    if (type === "session_expired_idle") {
      meta.budget_seconds = [300, 600, 1800][Math.floor(rnd() * 3)];
      meta.idle_minutes = rnd() < 0.1 ? null : Math.round(rnd() * 9000) / 100;
    }
    rows.push([type, session, JSON.stringify(meta), at]);
  }
  const values = rows.map(
    (_, i) => `($${i * 4 + 1}, $${i * 4 + 2}::uuid, $${i * 4 + 3}::jsonb, $${i * 4 + 4}::timestamptz)`,
  );
  await client.query(
    `INSERT INTO security_audit (event_type, session_id, metadata, created_at) VALUES ${values.join(", ")}`,
    rows.flat(),
  );
}

describe("audit rollup", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let counts: Counts;
  let rollup: Rollup;
  const rnd = random(42);

  before(async () => {
    db = await scratchDatabase("app_it_audit_rollup");
    counts = await import("../../lib/admin/counts");
    rollup = await import("../../lib/audit/rollup");
  });
  after(() => db?.drop());

  /** One range read through the rollup and straight from the rows, as sorted `dims=count` lines. */
  async function bothWays(from: Date, to: Date): Promise<[string[], string[]]> {
    const params = counts.rangeParams({ from, to });
    const lines = (rs: { k: string; n: string }[]) => rs.map((r) => `${r.k}=${r.n}`).sort();
    const through = await db.pool.query<{ k: string; n: string }>(
      `SELECT concat_ws('|', ${DIMS}) AS k, sum(count)::text AS n FROM ${counts.AUDIT_COUNTS} GROUP BY ${DIMS}`,
      params,
    );
    const rows = await db.pool.query<{ k: string; n: string }>(
      `SELECT concat_ws('|', ${DIMS}) AS k, count(*)::text AS n FROM audit_rollup_facts
       WHERE created_at >= $1 AND created_at < $2 GROUP BY ${DIMS}`,
      [from, to],
    );
    return [lines(through.rows), lines(rows.rows)];
  }

  async function assertExact(label: string): Promise<void> {
    const ranges: [Date, Date][] = [
      [new Date(START - HOUR), new Date(START + 80 * HOUR)], // everything
      [new Date(START + 5 * HOUR), new Date(START + 29 * HOUR)], // whole hours only
      [new Date(START + 5 * HOUR + 1), new Date(START + 5 * HOUR + 1_800_000)], // inside one hour
      [new Date(START + 90 * HOUR), new Date(START + 95 * HOUR)], // empty
    ];
    for (let i = 0; i < 40; i++) {
      const a = START + Math.floor(rnd() * 72 * HOUR);
      ranges.push([new Date(a), new Date(a + 1 + Math.floor(rnd() * 30 * HOUR))]);
    }
    for (const [from, to] of ranges) {
      const [through, rows] = await bothWays(from, to);
      assert.deepEqual(through, rows, `${label}: ${from.toISOString()} .. ${to.toISOString()}`);
    }
  }

  it("random ranges count the same through the rollup as from the rows, before and after compaction", async () => {
    await insertRandom(db.pool, 400, rnd);
    for (let i = 0; i < 30; i++) await insertRandom(db.pool, 1, rnd); // one statement per row, like the app
    await assertExact("all pending");
    assert.ok((await rollup.compactAuditRollup(db.pool)) > 0, "the compaction moved pending rows");
    await insertRandom(db.pool, 200, rnd);
    await assertExact("half compacted");
    await rollup.compactAuditRollup(db.pool);
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_rollup_pending");
    assert.equal(rows[0]!.n, 0);
    await assertExact("all compacted");
  });

  it("a transaction still open during a compaction is counted once, after it commits", async () => {
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      await insertRandom(writer, 50, rnd);
      await rollup.compactAuditRollup(db.pool); // cannot see the open transaction's pending rows
      await assertExact("open transaction invisible");
      await writer.query("COMMIT");
      await assertExact("committed, still pending");
      await rollup.compactAuditRollup(db.pool);
      await assertExact("committed and compacted");
    } finally {
      await writer.end();
    }
  });

  it("a refused duplicate warning adds nothing; a rolled-back insert adds nothing", async () => {
    const insert = `INSERT INTO security_audit (event_type, session_id, metadata, created_at)
      VALUES ('warning_shown', '5e55105e-0000-4000-8000-000000000777', '{"warning_slot": "7", "area": "Billing"}',
              $1::timestamptz) ON CONFLICT DO NOTHING`;
    const at = new Date(START + 10 * HOUR + 123).toISOString();
    await db.pool.query(insert, [at]);
    await db.pool.query(insert, [at]);
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await insertRandom(client, 20, rnd);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    const [through] = await bothWays(new Date(START + 10 * HOUR), new Date(START + 11 * HOUR));
    const warnings = through.filter((l) => l.startsWith("warning_shown|Billing"));
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM security_audit
       WHERE event_type = 'warning_shown' AND metadata->>'area' = 'Billing'
       AND created_at >= $1 AND created_at < $2`,
      [new Date(START + 10 * HOUR), new Date(START + 11 * HOUR)],
    );
    assert.equal(
      warnings.reduce((s, l) => s + Number(l.split("=")[1]), 0),
      rows[0]!.n,
    );
    await assertExact("after the refused and rolled-back writes");
  });

  it("two compactions at once: one moves the rows, the other returns 0 at once; nothing is counted twice", async () => {
    await insertRandom(db.pool, 100, rnd);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      const first = Number((await other.query("SELECT audit_rollup_compact() AS n")).rows[0].n);
      assert.ok(first > 0);
      assert.equal(await rollup.compactAuditRollup(db.pool), 0, "the second caller does not wait and moves nothing");
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    await assertExact("after concurrent compactions");
  });
});
