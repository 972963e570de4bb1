/**
 * The admin area's SQL (lib/admin/queries.ts, lib/admin/insights.ts, lib/admin/sessions.ts) on a scratch
 * database: every aggregation against hand-counted generated rows (and empty ranges), keyset pagination
 * (every row exactly once, in order, ties and microseconds included), the streamed CSV, then 1,000,000 rows:
 * the plans use indexes (EXPLAIN) and the counts stay exact. Times are the bench's (bench/audit.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { seedAuditRows } from "../helpers/audit-seed";
import { createUser, scratchDatabase } from "../helpers/stack";

type Queries = typeof import("../../lib/admin/queries");
type Filters = import("../../lib/admin/queries").AuditFilters;

const ID = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, "0")}`;
const SID = (n: number) => `5e55105e-0000-4000-8000-${String(n).padStart(12, "0")}`;
const [A, B, C, D, H] = [ID(1), ID(2), ID(3), ID(4), ID(8)];
const NOW = new Date("2025-06-11T12:00:00Z"); // a Wednesday: the week started Monday 2025-06-09
const R = { from: new Date("2025-06-09T00:00:00Z"), to: new Date("2025-06-12T00:00:00Z") }; // Mon..Wed
const EMPTY = { from: new Date("2025-07-01T00:00:00Z"), to: new Date("2025-07-02T00:00:00Z") };
const NO_FILTER: Filters = { types: [], identityId: null, from: null, to: null };

/** n rows of one type: created_at = start + g * step (g = 0..n-1); identity/session/metadata are SQL of g. */
async function rows(
  pool: pg.Pool,
  type: string,
  n: number,
  start: string,
  step: string,
  identity: string,
  metadata: string,
  session = "NULL",
) {
  await pool.query(
    `INSERT INTO security_audit (event_type, identity_id, session_id, metadata, created_at)
     SELECT $1, ${identity}, ${session}, ${metadata}, $2::timestamptz + g * $3::interval
     FROM generate_series(0, $4::int - 1) g`,
    [type, start, step, n],
  );
}

const idle = (area: string, budget: number, minutes: string) =>
  `jsonb_build_object('area', '${area}', 'budget_seconds', ${budget}, 'idle_minutes', ${minutes}, ` +
  `'detected_by', 'gate', 'page', '/x')`;

/** RFC 4180, enough for the export's output. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
      i += 1;
    } else {
      cell += ch;
    }
  }
  assert.equal(cell + row.join(""), "", "the CSV ends with CRLF");
  return out;
}

describe("admin queries", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let q: Queries;

  before(async () => {
    db = await scratchDatabase("app_it_admin_queries");
    process.env.DATABASE_URL = db.url; // before any lib module opens the pool
    q = await import("../../lib/admin/queries");
    const p = db.pool;
    // Warnings for Billing sessions 100..106 (their expirations follow below, one per hour from 02:00):
    // 2 min before (100..102), exactly 5 min (106), 10 min (103), after the expiry (105), and one for another
    // session 1 min before 104's expiry. Recorded first, as in the app (the rollup counts a warning recorded
    // before the expiry).
    await p.query(`
      INSERT INTO security_audit (event_type, identity_id, session_id, metadata, created_at)
      SELECT 'warning_shown', CASE WHEN g < 3 THEN '${A}'::uuid ELSE '${D}'::uuid END,
             CASE WHEN g = 4 THEN '${SID(999)}'::uuid
                  ELSE ('5e55105e-0000-4000-8000-' || lpad((100 + g)::text, 12, '0'))::uuid END,
             '{"area":"Billing"}', timestamptz '2025-06-11T02:00:00Z' + g * interval '1 hour'
               - CASE g WHEN 3 THEN interval '10 minutes' WHEN 4 THEN interval '1 minute'
                        WHEN 5 THEN interval '-1 minute' WHEN 6 THEN interval '5 minutes' ELSE interval '2 minutes' END
      FROM generate_series(0, 6) g`);
    // Idle expirations in R: Mon 6 (normal pages), Wed 14 (Billing 10, Admin 3, Settings 1).
    await rows(
      p,
      "session_expired_idle",
      10,
      "2025-06-11T02:00:00Z",
      "1 hour",
      `CASE WHEN g < 3 THEN '${A}'::uuid ELSE '${D}'::uuid END`,
      idle("Billing", 300, "CASE WHEN g % 2 = 0 THEN 5.5 ELSE 12 END"),
      `('5e55105e-0000-4000-8000-' || lpad((100 + g)::text, 12, '0'))::uuid`,
    );
    await rows(
      p,
      "session_expired_idle",
      6,
      "2025-06-09T08:00:00Z",
      "1 hour",
      `CASE WHEN g = 0 THEN '${B}'::uuid ELSE ('bbbbbbbb-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid END`,
      idle("normal pages", 1800, "CASE WHEN g < 2 THEN 30.2 ELSE 45 END"),
    );
    await rows(
      p,
      "session_expired_idle",
      3,
      "2025-06-11T11:30:00Z",
      "5 minutes",
      `CASE WHEN g = 0 THEN '${B}'::uuid ELSE ('cccccccc-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid END`,
      idle("Admin", 35, "(ARRAY[0.58, 0.6, 2.0])[g + 1]"),
    );
    await rows(
      p,
      "session_expired_idle",
      1,
      "2025-06-11T01:00:00Z",
      "1 hour",
      `'${C}'::uuid`,
      idle("Settings", 900, "20"),
    );
    await rows(
      p,
      "session_expired_idle",
      1,
      "2025-06-08T20:00:00Z",
      "1 hour",
      `'${C}'::uuid`,
      idle("Settings", 900, "20"),
    ); // Sunday: outside R and this week
    // long before R
    await rows(p, "session_expired_idle", 7, "2025-05-01T00:00:00Z", "1 hour", "NULL", idle("Billing", 300, "5.5"));
    await rows(
      p,
      "session_expired_absolute",
      4,
      "2025-06-10T10:00:00Z",
      "1 hour",
      "NULL",
      `'{"area":"normal pages","idle_minutes":null,"budget_seconds":null}'::jsonb`,
    );
    await rows(
      p,
      "sessions_revoked_by_admin",
      3,
      "2025-06-11T09:15:00Z",
      "1 minute",
      `'${D}'::uuid`,
      `jsonb_build_object('admin_id', '${A}', 'target_identity', '${D}')`,
    );
    await rows(p, "signed_out", 5, "2025-06-09T15:00:00Z", "1 hour", `'${D}'::uuid`, `'{"page":"/dashboard"}'::jsonb`);
    await rows(
      p,
      "session_extended",
      20,
      "2025-06-11T03:00:00Z",
      "10 minutes",
      `'${D}'::uuid`,
      `'{"area":"Billing"}'::jsonb`,
    ); // noise: in no chart
    // 25 ties
    await rows(p, "step_up_completed", 25, "2025-06-10T00:00:00Z", "0 seconds", `'${D}'::uuid`, "'{}'::jsonb");
    await rows(
      p,
      "step_up_required",
      10,
      "2025-06-10T05:00:00.123456Z",
      "1 microsecond",
      `'${D}'::uuid`,
      "'{}'::jsonb",
    ); // 1 µs apart
  });

  after(async () => {
    const { db: pool } = await import("../../lib/db/pool");
    await pool().end();
    await db?.drop();
  });

  describe("charts and insights match the generated rows", () => {
    it("sessions ended per day, by reason (every bucket, zeros included)", async () => {
      const { byReason } = await q.expirationsOverTime(R, "day");
      assert.deepEqual(byReason, [
        { bucket: "2025-06-09T00:00:00Z", idle: 6, absolute: 0, admin: 0, manual: 5 },
        { bucket: "2025-06-10T00:00:00Z", idle: 0, absolute: 4, admin: 0, manual: 0 },
        { bucket: "2025-06-11T00:00:00Z", idle: 14, absolute: 0, admin: 3, manual: 0 },
      ]);
    });

    it("per hour, and by area (idle + absolute), largest area first", async () => {
      const { byReason, byArea } = await q.expirationsOverTime(
        { from: new Date("2025-06-11T00:00:00Z"), to: NOW },
        "hour",
      );
      assert.equal(byReason.length, 12);
      assert.deepEqual(
        byReason.map((b) => b.idle),
        [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4],
      );
      assert.equal(byReason.find((b) => b.bucket === "2025-06-11T09:00:00Z")?.admin, 3);
      assert.deepEqual(
        byArea.filter((a) => a.bucket === "2025-06-11T11:00:00Z").map((a) => [a.area, a.count]),
        [
          ["Billing", 1],
          ["Admin", 3],
        ],
      );
      assert.equal(
        byArea.reduce((s, a) => s + a.count, 0),
        14,
      );
      const days = await q.expirationsOverTime(R, "day");
      assert.deepEqual(
        days.byArea.map((a) => [a.area, a.bucket.slice(0, 10), a.count, a.areaTotal]),
        [
          ["Billing", "2025-06-11", 10, 10],
          ["normal pages", "2025-06-09", 6, 10],
          ["normal pages", "2025-06-10", 4, 10],
          ["Admin", "2025-06-11", 3, 3],
          ["Settings", "2025-06-11", 1, 1],
        ],
      );
    });

    it("idle minutes at expiry: 1-minute bins up to the highest, the last one open-ended", async () => {
      const bins = await q.idleMinutesDistribution(R);
      assert.equal(bins.length, 46);
      const nonZero = Object.fromEntries(bins.filter((b) => b.count > 0).map((b) => [b.fromMinutes, b.count]));
      assert.deepEqual(nonZero, { 0: 2, 2: 1, 5: 5, 12: 5, 20: 1, 30: 2, 45: 4 });
      assert.equal(
        bins.reduce((s, b) => s + b.count, 0),
        20,
      );
      const capped = await q.idleMinutesDistribution(R, { maxBins: 40 });
      assert.deepEqual(capped.at(-1), { fromMinutes: 40, toMinutes: null, count: 4 });
      const wide = await q.idleMinutesDistribution(R, { widthMinutes: 15 });
      assert.deepEqual(
        wide.map((b) => b.count),
        [13, 1, 2, 4],
      );
    });

    it("friction: expired within N minutes after a warning for the same session", async () => {
      const f = await q.frictionInsights(R, { now: NOW });
      assert.equal(f.idleExpirations, 20);
      assert.equal(f.afterWarning, 4, "100, 101, 102 (2 min) and 106 (exactly 5 min)");
      assert.equal(f.afterWarningShare, 4 / 20);
      assert.equal((await q.frictionInsights(R, { now: NOW, withinMinutes: 15 })).afterWarning, 5);
    });

    it("friction: users signed out for inactivity at least twice today / this week", async () => {
      const f = await q.frictionInsights(R, { now: NOW });
      assert.deepEqual(f.repeatToday, [
        { identityId: D, count: 7 },
        { identityId: A, count: 3 },
      ]);
      assert.deepEqual(f.repeatThisWeek, [
        { identityId: D, count: 7 },
        { identityId: A, count: 3 },
        { identityId: B, count: 2 },
      ]);
    });

    it("friction: expirations just past the budget (budget .. budget + 60 s), by area", async () => {
      const f = await q.frictionInsights(R, { now: NOW });
      assert.deepEqual(
        f.justPastBudget.map((a) => [a.area, a.total, a.justPast]),
        [
          ["Billing", 10, 5],
          ["normal pages", 6, 2],
          ["Admin", 3, 2], // 0.58 min = 34.8 s reads as just past 35 s (rounding slack), 0.6 min = 36 s
          ["Settings", 1, 0],
        ],
      );
    });

    it("an empty range: zero-filled buckets, no bins, no friction, never an error", async () => {
      const over = await q.expirationsOverTime(EMPTY, "hour");
      assert.equal(over.byReason.length, 24);
      assert.ok(over.byReason.every((b) => b.idle + b.absolute + b.admin + b.manual === 0));
      assert.deepEqual(over.byArea, []);
      assert.deepEqual(await q.idleMinutesDistribution(EMPTY), []);
      const f = await q.frictionInsights(EMPTY, { now: new Date("2025-07-01T12:00:00Z") });
      assert.deepEqual([f.idleExpirations, f.afterWarning, f.afterWarningShare, f.justPastBudget], [0, 0, null, []]);
      assert.deepEqual([f.repeatToday, f.repeatThisWeek], [[], []]);
    });
  });

  describe("keyset pagination", () => {
    const cases: { name: string; filters: Filters; where: string; values: unknown[] }[] = [
      { name: "no filter", filters: NO_FILTER, where: "true", values: [] },
      {
        name: "one type",
        filters: { ...NO_FILTER, types: ["step_up_completed"] },
        where: "event_type = 'step_up_completed'",
        values: [],
      },
      {
        name: "three types (merged range scans)",
        filters: { ...NO_FILTER, types: ["step_up_completed", "step_up_required", "session_expired_idle"] },
        where: "event_type IN ('step_up_completed', 'step_up_required', 'session_expired_idle')",
        values: [],
      },
      { name: "a user", filters: { ...NO_FILTER, identityId: D }, where: "identity_id = $1", values: [D] },
      {
        name: "a user and two types",
        filters: { ...NO_FILTER, identityId: D, types: ["step_up_completed", "signed_out"] },
        where: "identity_id = $1 AND event_type IN ('step_up_completed', 'signed_out')",
        values: [D],
      },
      {
        name: "a time range",
        filters: { ...NO_FILTER, from: new Date("2025-06-10T00:00:00Z"), to: new Date("2025-06-11T03:00:00Z") },
        where: "created_at >= '2025-06-10T00:00:00Z' AND created_at < '2025-06-11T03:00:00Z'",
        values: [],
      },
    ];
    for (const c of cases) {
      it(`${c.name}: every row exactly once, newest first, across pages of 7`, async () => {
        const { rows: expected } = await db.pool.query<{ id: string }>(
          // security_audit.id: the bigint (a bare `id` here would sort the text output column: '9' > '48').
          `SELECT id::text FROM security_audit WHERE ${c.where} ORDER BY created_at DESC, security_audit.id DESC`,
          c.values,
        );
        assert.ok(expected.length > 7, `${expected.length} rows: more than one page`);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<Queries["auditPage"]>> = await q.auditPage(c.filters, cursor, 7);
          assert.ok(page.rows.length <= 7);
          seen.push(...page.rows.map((r) => r.id));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 100);
        assert.deepEqual(
          seen,
          expected.map((r) => r.id),
        );
        assert.equal(new Set(seen).size, seen.length, "no row twice");
        assert.equal(pages, Math.ceil(expected.length / 7));
      });
    }

    it("a forged cursor is refused, not guessed at", async () => {
      await assert.rejects(q.auditPage(NO_FILTER, "bm90LWEtY3Vyc29y", 7), q.InvalidCursorError);
    });

    it("a page carries created_at to the microsecond", async () => {
      const page = await q.auditPage({ ...NO_FILTER, types: ["step_up_required"] }, null, 3);
      assert.deepEqual(
        page.rows.map((r) => r.createdAt),
        ["2025-06-10T05:00:00.123465Z", "2025-06-10T05:00:00.123464Z", "2025-06-10T05:00:00.123463Z"],
      );
    });
  });

  describe("CSV export", () => {
    before(async () => {
      await rows(
        db.pool,
        "billing_details_changed",
        1,
        "2025-06-11T06:00:00Z",
        "1 second",
        `'${H}'::uuid`,
        `jsonb_build_object('page', '=HYPERLINK("http://evil.example","x")', 'area', 'a,b', 'note', E'line1\\nline2')`,
      );
      await rows(
        db.pool,
        "billing_details_changed",
        1,
        "2025-06-11T06:00:01Z",
        "1 second",
        `'${H}'::uuid`,
        `jsonb_build_object('page', '+1', 'area', 'say "hi"')`,
      );
      await rows(
        db.pool,
        "billing_details_changed",
        1,
        "2025-06-11T06:00:02Z",
        "1 second",
        `'${H}'::uuid`,
        `jsonb_build_object('page', '@SUM(A1)', 'area', '-1')`,
      );
    });

    it("quotes commas, quotes and newlines, and neutralises formulas", async () => {
      const text = await new Response(q.streamAuditCsv({ ...NO_FILTER, identityId: H }, { pageSize: 2 })).text();
      const [header, ...body] = parseCsv(text);
      assert.deepEqual(header, [
        "id",
        "created_at",
        "event_type",
        "identity_id",
        "session_id",
        "area",
        "page",
        "metadata",
      ]);
      assert.equal(body.length, 3);
      assert.ok(body.every((r) => r.length === 8));
      const [third, second, first] = body as [string[], string[], string[]];
      assert.deepEqual([first[5], first[6]], ["a,b", `'=HYPERLINK("http://evil.example","x")`]);
      assert.deepEqual(JSON.parse(first[7] ?? ""), {
        page: '=HYPERLINK("http://evil.example","x")',
        area: "a,b",
        note: "line1\nline2",
      });
      assert.deepEqual([second[5], second[6]], ['say "hi"', "'+1"]);
      assert.deepEqual([third[5], third[6]], ["'-1", "'@SUM(A1)"]);
      assert.equal(first[1], "2025-06-11T06:00:00.000000Z");
    });

    it("streams page by page (one query per pull) and exports every filtered row once", async () => {
      let queries = 0;
      const counting = {
        query: ((...args: Parameters<pg.Pool["query"]>) => (
          (queries += 1),
          db.pool.query(...args)
        )) as pg.Pool["query"],
      };
      const stream = q.streamAuditCsv({ ...NO_FILTER, identityId: D }, { pageSize: 5, client: counting });
      const reader = stream.getReader();
      await reader.read(); // header
      await reader.read(); // first page
      assert.ok(queries <= 2, `read ahead at most one page (${queries} queries)`);
      let text = "";
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
      const { rows: all } = await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM security_audit WHERE identity_id = $1",
        [D],
      );
      const n = all[0]?.n ?? 0;
      assert.equal(queries, Math.ceil(n / 5));
      const ids = parseCsv(text).map((r) => r[0]);
      assert.equal(ids.length + 5, n, "first page read above + the rest");
    });
  });

  describe("users and sessions", () => {
    it("an email resolves through Kratos; an unknown one does not", async () => {
      const { identityIdFor } = await import("../../lib/admin/identities");
      const user = await createUser();
      assert.equal(await identityIdFor({ email: user.email }), user.id);
      assert.equal(await identityIdFor({ email: "nobody-here@example.com" }), null);
      assert.equal(
        await identityIdFor({ identityId: H }),
        H,
        "an id is taken as given (deleted users keep their trail)",
      );
    });

    it("ending a user's sessions marks their live rows (reason admin), not newer or others' sessions", async () => {
      const { markIdentitySessionsEnded } = await import("../../lib/admin/sessions");
      const insert = (sid: string, identity: string, lastActivity: string, ended: string | null) =>
        db.pool.query(
          `INSERT INTO session_activity
             (session_id, identity_id, last_activity_at, last_path, absolute_deadline, ended_at, end_reason)
           VALUES ($1, $2, $3::timestamptz, '/dashboard', now() + interval '1 hour', $4::timestamptz,
                   CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE 'manual' END)`,
          [sid, identity, lastActivity, ended],
        );
      const revokedAt = Date.parse("2025-06-11T12:00:00Z");
      await insert(SID(1), A, "2025-06-11T11:59:00Z", null); // live: ended now
      await insert(SID(2), A, "2025-06-11T11:00:00Z", "2025-06-11T11:01:00Z"); // already signed out: kept as is
      await insert(SID(3), A, "2025-06-11T12:00:05Z", null); // signed in again after the revocation: stays live
      await insert(SID(4), B, "2025-06-11T11:59:00Z", null); // someone else
      assert.equal(await markIdentitySessionsEnded(db.pool, A, revokedAt), 1);
      const { rows: state } = await db.pool.query<{ session_id: string; end_reason: string | null }>(
        "SELECT session_id, end_reason FROM session_activity ORDER BY session_id",
      );
      assert.deepEqual(
        state.map((r) => r.end_reason),
        ["admin", "manual", null, null],
      );
    });
  });

  describe("1,000,000 rows", () => {
    before(async () => {
      // Jan..Mar 2024 (before every row above); the bench (bench/audit.ts) times the same reads at 10 million.
      await seedAuditRows(db.pool, {
        rows: 1_000_000,
        start: "2024-01-01T00:00:00Z",
        spacingSeconds: 7.776,
        users: 5000,
      });
    });

    const WEEK = { from: new Date("2024-03-01T00:00:00Z"), to: new Date("2024-03-08T00:00:00Z") };
    const MONTH = { from: new Date("2024-02-01T00:00:00Z"), to: new Date("2024-03-02T00:00:00Z") };
    const USER = "dddddddd-0000-4000-8000-000000000007";

    type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
    const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];
    async function assertIndexed(name: string, text: string, values: unknown[]) {
      const { rows: plan } = await db.pool.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) ${text}`,
        values,
      );
      const nodes = nodesOf(plan[0]!["QUERY PLAN"][0]!.Plan);
      const seq = nodes.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "security_audit");
      assert.equal(seq.length, 0, `${name}: no Seq Scan on security_audit`);
      const used = nodes
        .map((n) => n["Index Name"])
        .filter((i): i is string => typeof i === "string" && /^(security_audit|audit_rollup)/.test(i));
      assert.ok(used.length > 0, `${name}: uses an index (${nodes.map((n) => n["Node Type"]).join(", ")})`);
      return [...new Set(used)].join(", ");
    }
    async function cursorAt(filters: Filters, pageNumber: number): Promise<string> {
      let cursor: string | null = null;
      for (let i = 1; i < pageNumber; i++) cursor = (await q.auditPage(filters, cursor)).nextCursor;
      assert.ok(cursor, `there is a page ${pageNumber}`);
      return cursor;
    }

    const pages: { name: string; filters: Filters }[] = [
      {
        name: "type=session_expired_idle, 30 days",
        filters: { types: ["session_expired_idle"], identityId: null, ...MONTH },
      },
      {
        name: "3 types",
        filters: { ...NO_FILTER, types: ["session_expired_idle", "signed_out", "sessions_revoked_by_admin"] },
      },
      { name: "one user", filters: { ...NO_FILTER, identityId: USER } },
      { name: "one user + type", filters: { ...NO_FILTER, identityId: USER, types: ["session_extended"] } },
      { name: "no filter", filters: NO_FILTER },
    ];
    for (const p of pages) {
      it(`audit page (${p.name}): index only, first and 20th page (bench/audit.ts times them)`, async () => {
        const first = q.auditPageQuery(p.filters, null, 51);
        await assertIndexed(p.name, first.text, first.values);
        if (p.filters.identityId) return; // 200 rows: there is no 20th page
        const cursor = await cursorAt(p.filters, 20);
        const { decodeCursor } = await import("../../lib/admin/filters");
        const later = q.auditPageQuery(p.filters, decodeCursor(cursor), 51);
        await assertIndexed(`${p.name}, page 20`, later.text, later.values);
      });
    }

    it("charts and insights: index scans only, and they count what is there (bench/audit.ts times them)", async () => {
      const { IDLE_MINUTES_SQL, AFTER_WARNING_SQL, AFTER_WARNING_ANY_SQL, REPEAT_IDLERS_SQL, JUST_PAST_BUDGET_SQL } =
        await import("../../lib/admin/insights");
      const { rangeParams } = await import("../../lib/admin/counts");
      // Not on hour boundaries: whole hours from the rollup, the partial ones from the rows.
      const odd = { from: new Date("2024-03-01T07:13:20.5Z"), to: new Date("2024-03-08T16:41:09Z") };
      const span = rangeParams(odd);
      const rollup = /audit_rollup_pkey/;
      assert.match(await assertIndexed("by reason", q.EXPIRATIONS_BY_REASON_SQL, [...span, "day"]), rollup);
      assert.match(await assertIndexed("by area", q.EXPIRATIONS_BY_AREA_SQL, [...span, "day"]), rollup);
      assert.match(await assertIndexed("idle minutes", IDLE_MINUTES_SQL, [...span, 1, 60]), rollup);
      assert.match(await assertIndexed("after a warning", AFTER_WARNING_SQL, span), rollup);
      const anyWindow = [...span.slice(0, 2), 10];
      assert.match(await assertIndexed("other window", AFTER_WARNING_ANY_SQL, anyWindow), /warning_session_idx/);
      const repeat = await assertIndexed("repeat idlers", REPEAT_IDLERS_SQL, ["2024-03-06T12:00:00Z", "week", 20]);
      assert.match(repeat, /security_audit_idle_identity_idx/);
      assert.match(await assertIndexed("just past the budget", JUST_PAST_BUDGET_SQL, span), rollup);

      const over = await q.expirationsOverTime(odd, "day");
      const direct = async (sql: string) =>
        (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, [odd.from, odd.to])).rows[0]!.n;
      const idleRows =
        "security_audit WHERE event_type = 'session_expired_idle' AND created_at >= $1 AND created_at < $2";
      assert.equal(
        over.byReason.reduce((s, b) => s + b.idle, 0),
        await direct(idleRows),
        "the chart counts what is there",
      );
      const f = await q.frictionInsights(odd, { now: odd.to });
      assert.equal(f.idleExpirations, await direct(idleRows));
      const warnedRows = `security_audit e WHERE e.event_type = 'session_expired_idle' AND e.created_at >= $1
        AND e.created_at < $2 AND EXISTS (SELECT 1 FROM security_audit w WHERE w.event_type = 'warning_shown'
        AND w.session_id = e.session_id AND w.id < e.id AND w.created_at BETWEEN e.created_at - interval '5 minutes'
        AND e.created_at)`;
      assert.equal(f.afterWarning, await direct(warnedRows));
    });

    it("CSV export of a filtered set (idle expirations, 7 days), streamed", async () => {
      const filters: Filters = { types: ["session_expired_idle"], identityId: null, ...WEEK };
      const text = await new Response(q.streamAuditCsv(filters)).text();
      const lines = text.split("\r\n").length - 2; // header, trailing ""
      const { rows: direct } = await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM security_audit " +
          "WHERE event_type = 'session_expired_idle' AND created_at >= $1 AND created_at < $2",
        [WEEK.from, WEEK.to],
      );
      assert.equal(lines, direct[0]?.n);
    });
  });
});
