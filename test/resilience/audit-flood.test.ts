/**
 * Audit flood (issue 13, item 5): a signed-in user floods the browser-fed audit events — "warning shown",
 * "warning answered" (POST /api/session/events, with free-text `area`) and "I'm still here" (POST
 * /api/session/activity, session_extended) — through two app instances sharing one database, for a minute,
 * while moving its idle clock (page loads) and replaying older signed activity records it collected (each
 * presents another idle deadline). The rows stored per session must stay within the bound of
 * lib/audit/warning-window.ts, every area must be one of the policy's labels, and the first warning must
 * still be recorded (the bound is not "write nothing").
 * Also: the three endpoints refuse requests that a browser marks as not same-origin, and a heartbeat
 * refused that way moves neither the server's activity record nor the browser's.
 *
 * Policy: a 15 s budget under a 20 s warning, so a warning is open at every moment of the flood.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { rowsPerWindowBound } from "../../lib/audit/warning-window";
import { signInternal } from "../../lib/session/internal-channel";
import { reportFigure } from "../helpers/figures";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { signInMany, type SignedInSession } from "../helpers/sessions";
import { scratchDatabase } from "../helpers/stack";

const SUITE = "audit-flood";
const SECRET = process.env.SESSION_SECRET ?? "";
const WARNING_S = 20;
const FLOOD_S = 60;
const LABELS = ["normal pages", "Billing"];
const POLICY = {
  idleDesktopSeconds: 15,
  idleMobileSeconds: 15,
  ceilings: [{ prefix: "/billing", seconds: 10, label: "Billing" }],
  adminCapSeconds: 15,
  warningSeconds: WARNING_S,
  revalidateSeconds: 5,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};
const SAME_ORIGIN = {
  "content-type": "application/json",
  "sec-fetch-site": "same-origin",
  "sec-fetch-mode": "cors",
  "sec-fetch-dest": "empty",
};
const FLOODED_TYPES = ["warning_shown", "warning_answered", "session_extended"];

let db: Awaited<ReturnType<typeof scratchDatabase>>;
let apps: AppInstance[] = [];

/** Rows of the flooded kinds per session, and the areas they name. */
async function floodedRows(sessions: SignedInSession[]) {
  const { rows } = await db.pool.query<{
    session_id: string;
    event_type: string;
    area: string | null;
    slot: string | null;
  }>(
    `SELECT session_id, event_type, metadata->>'area' AS area, metadata->>'warning_slot' AS slot
       FROM security_audit WHERE event_type = ANY($1) AND session_id = ANY($2::uuid[])`,
    [FLOODED_TYPES, sessions.map((s) => s.sessionId)],
  );
  return rows;
}

async function outboxPending(app: AppInstance): Promise<number> {
  const response = await fetch(`${app.url}/api/health`, {
    headers: { "x-internal-auth": signInternal(SECRET, "GET", "/api/health", "") },
  });
  return ((await response.json()) as { outbox: { pending: number } }).outbox.pending;
}

/** One browser's flood loop until `until`: every request kind, both instances, old records replayed. */
async function flood(session: SignedInSession, until: number, counts: { sent: number; accepted: number }) {
  const jar = new Jar(session.cookie);
  const records: { value: string; at: number }[] = [];
  const areas = ["<script>alert(1)</script>", "Billing", "normal pages", "x".repeat(40), "'; DROP TABLE x; --"];
  for (let n = 0; Date.now() < until; n++) {
    const app = apps[n % apps.length]!;
    const current = jar.get("idle_act");
    if (current && !records.some((r) => r.value === current)) records.push({ value: current, at: Date.now() });
    // Every third round presents an older record (another idle deadline), as a hostile client can; only
    // ones within the Billing ceiling, so the flood itself is never ended or sent to step-up.
    const replayable = records.filter((r) => Date.now() - r.at < 8_000);
    if (n % 3 === 2 && replayable.length > 1) jar.set("idle_act", replayable[n % replayable.length]!.value);
    const requests = [
      () => hit(app.url, n % 5 === 0 ? "/billing" : "/dashboard", jar),
      ...(["warning_shown", "warning_answered"] as const).map(
        (type) => () =>
          hit(app.url, "/api/session/events", jar, {
            method: "POST",
            headers: SAME_ORIGIN,
            body: JSON.stringify({
              type,
              path: n % 2 ? "/billing" : `/x${n}`,
              area: areas[n % areas.length],
              secondsLeft: n % 20,
            }),
          }),
      ),
      () =>
        hit(app.url, "/api/session/activity", jar, {
          method: "POST",
          headers: SAME_ORIGIN,
          body: JSON.stringify({ reason: "still-here", paths: n % 2 ? ["/billing"] : ["/dashboard"] }),
        }),
    ];
    for (const send of requests) {
      const r = await send();
      counts.sent += 1;
      if (r.status >= 200 && r.status < 300) counts.accepted += 1;
    }
  }
}

describe("audit flood: bounded rows per session, across instances", () => {
  before(async () => {
    assert.ok(SECRET.length >= 32, "SESSION_SECRET must be set (source .stack/<name>/env)");
    db = await scratchDatabase(`app_rs_flood_${process.env.APP_PORT ?? "test"}`);
    const env = { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" };
    apps = await Promise.all([
      startApp({ port: extraAppPort(8), policy: POLICY, env }),
      startApp({ port: extraAppPort(9), policy: POLICY, env }),
    ]);
  });
  after(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await db?.drop();
  });

  const floodBound = rowsPerWindowBound(WARNING_S, FLOOD_S);
  it(`a minute's flood from 2 sessions through 2 instances stays within ${floodBound} rows per session`, async () => {
    const sessions = await signInMany(2);
    const counts = { sent: 0, accepted: 0 };
    const started = Date.now();
    await Promise.all(sessions.map((s) => flood(s, started + FLOOD_S * 1000, counts)));
    const seconds = (Date.now() - started) / 1000;
    for (const app of apps) await eventually(async () => ((await outboxPending(app)) === 0 ? true : undefined), 15_000);

    const rows = await floodedRows(sessions);
    const bound = rowsPerWindowBound(WARNING_S, Math.ceil(seconds));
    const perSession = sessions.map((s) => rows.filter((r) => r.session_id === s.sessionId).length);
    const badAreas = rows.filter((r) => !LABELS.includes(r.area ?? "")).map((r) => r.area);
    reportFigure(
      SUITE,
      "requests sent / answered 2xx (2 sessions)",
      `${counts.sent} / ${counts.accepted} in ${seconds.toFixed(1)} s`,
    );
    reportFigure(
      SUITE,
      "audit rows stored per session",
      `${perSession.join(", ")} (bound ${bound} for ${Math.ceil(seconds)} s, W = ${WARNING_S} s)`,
    );
    reportFigure(
      SUITE,
      "bound per session-minute (W = 60 s / 20 s)",
      `${rowsPerWindowBound(60)} / ${rowsPerWindowBound(20)}`,
    );
    reportFigure(SUITE, "rows with an area outside the policy's labels", badAreas.length);

    assert.ok(counts.accepted > 300, `the flood got through to the handlers (${counts.accepted} accepted)`);
    for (const [i, n] of perSession.entries()) assert.ok(n <= bound, `session ${i}: ${n} rows > bound ${bound}`);
    assert.deepEqual(badAreas, [], "every area is a policy label");
    for (const s of sessions) {
      for (const type of FLOODED_TYPES) {
        assert.ok(
          rows.some((r) => r.session_id === s.sessionId && r.event_type === type),
          `the first ${type} of ${s.sessionId} is recorded`,
        );
      }
    }
    const keys = rows.map((r) => `${r.session_id} ${r.event_type} ${r.slot}`);
    assert.equal(new Set(keys).size, keys.length, "one row per session, kind and warning");
  });

  it("endpoints refuse what the browser marks as not same-origin (403); such a heartbeat is not activity", async () => {
    const [session] = await signInMany(1);
    const jar = new Jar(session!.cookie);
    const app = apps[0]!;
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    await sleep(1_500); // the page's activity write (activityWriteSeconds 1) lands
    const activity = async () =>
      (
        await db.pool.query<{ la: string }>(
          `SELECT (extract(epoch FROM last_activity_at) * 1000)::bigint AS la
             FROM session_activity WHERE session_id = $1`,
          [session!.sessionId],
        )
      ).rows[0]?.la;
    const before = await activity();
    assert.ok(before, "the page load was recorded");
    const record = jar.get("idle_act");

    const refused: string[] = [];
    for (const site of ["cross-site", "same-site", "none"]) {
      const headers = { ...SAME_ORIGIN, "sec-fetch-site": site };
      const attempts = [
        hit(app.url, "/api/session/activity", jar, {
          method: "POST",
          headers,
          body: JSON.stringify({ reason: "heartbeat" }),
        }),
        hit(app.url, "/api/session/activity", jar, {
          method: "POST",
          headers,
          body: JSON.stringify({ reason: "still-here" }),
        }),
        hit(app.url, "/api/session/events", jar, {
          method: "POST",
          headers,
          body: JSON.stringify({ type: "warning_shown", path: "/dashboard", secondsLeft: 5 }),
        }),
      ];
      for (const r of await Promise.all(attempts)) {
        const body = JSON.parse(r.body) as { error?: string; message?: string };
        if (r.status !== 403 || body.error !== "cross_origin_refused" || !body.message)
          refused.push(`${site}: ${r.status} ${r.body.slice(0, 100)}`);
        assert.equal(r.headers.getSetCookie().length, 0, "no cookie re-issued");
      }
    }
    assert.deepEqual(refused, [], "every request refused with a JSON reason");
    await sleep(1_500);
    assert.equal(await activity(), before, "the server's activity record did not move");
    assert.equal(jar.get("idle_act"), record, "the browser's record did not move");
    assert.equal((await floodedRows([session!])).length, 0, "no audit row");
    // Control: the same heartbeat from the app's own page is accepted and is activity.
    const own = await hit(app.url, "/api/session/activity", jar, {
      method: "POST",
      headers: SAME_ORIGIN,
      body: JSON.stringify({ reason: "heartbeat" }),
    });
    assert.equal(own.status, 200);
    reportFigure(SUITE, "not-same-origin requests refused", `${9 - refused.length} of 9`);
  });
});
