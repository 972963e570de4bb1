/**
 * Tampered state (issue #7): a fuzzer makes >= 10 000 variants of a real signed activity record (bit flips,
 * truncation, extensions, re-encodings, forged claims under wrong keys, algorithm/version confusion,
 * splices, swapped sessions, replayed older records, empty/huge values, unicode) and none may be accepted;
 * deleting the record never resets the idle clock.
 *
 * "Accepted" is judged by what the record would buy, not only by its signature: every variant goes through
 * the real evaluate() (lib/session/evaluate.ts, the gate's and verifySession()'s shared verdict) with the
 * real secret, the real Kratos cookie and the real Kratos session, at two moments where the honest newest
 * record says step-up and expire. A variant is accepted if a forgery verifies, or if it yields a more
 * lenient verdict, a later last activity, a looser governing page, or another session/role/deadline.
 * A sample then goes through the real gate over HTTP.
 *
 * Own app instance (APP_PORT + 1, sweeper off, own database): Billing 2 s, every other page 120 s, so one
 * session can sit "past Billing's budget, within the normal one" for the whole HTTP sample (a step-up keeps
 * the session, so every variant meets the same state).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readPolicy } from "../../lib/config/env.js";
import { whoami } from "../../lib/kratos/session";
import type { WhoamiResult } from "../../lib/kratos/types";
import { budgetFor } from "../../lib/policy/idle-rule";
import {
  ACTIVITY_COOKIE,
  decodeRecord,
  encodeRecord,
  REISSUE_STEP_MS,
  type ActivityRecord,
} from "../../lib/session/activity-record";
import { evaluate, type Evaluation, type ServerActivity } from "../../lib/session/evaluate";
import { mapLimit } from "../helpers/concurrency";
import { reportFigure } from "../helpers/figures";
import { eventually, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { asCookieOctets, forgedRecord, recordVariants, type Variant } from "../helpers/record-variants";
import { createUser, scratchDatabase, sessionIdOf, signIn, whoamiStatus } from "../helpers/stack";

const SUITE = "tamper";
const POLICY = {
  idleDesktopSeconds: 120,
  idleMobileSeconds: 240,
  ceilings: [
    { prefix: "/billing", seconds: 2, label: "Billing" },
    { prefix: "/admin", seconds: 3, label: "Admin" },
  ],
  adminCapSeconds: 60,
  warningSeconds: 20,
  stepUpWindowSeconds: 10,
  revalidateSeconds: 1,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};
const policy = readPolicy({ IDLE_POLICY: JSON.stringify(POLICY) });
const SECRET = process.env.SESSION_SECRET ?? "";
const KRATOS_COOKIE = "ory_kratos_session";
/** Past Billing's 2 s budget with margin, far within the normal 120 s. */
const IDLE_PAST_BILLING_MS = 2_600;
const HTTP_SAMPLE = 320;

interface Session {
  /** "ory_kratos_session=<value>" */
  cookie: string;
  /** the cookie's value, as the gate parses it */
  value: string;
  sid: string;
}

let app: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;

async function newSession(): Promise<Session> {
  const cookie = await signIn(await createUser());
  return { cookie, value: cookie.slice(cookie.indexOf("=") + 1), sid: await sessionIdOf(cookie) };
}

/** GET `path` with the Kratos cookie and (optionally) a record; no redirects followed. */
async function get(
  path: string,
  session: Session,
  record?: string,
): Promise<{ status: number; location: URL | null; record: string | undefined }> {
  const cookie = record === undefined ? session.cookie : `${session.cookie}; ${ACTIVITY_COOKIE}=${record}`;
  const response = await fetch(new URL(path, app.url), { headers: { cookie }, redirect: "manual" });
  await response.body?.cancel();
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${ACTIVITY_COOKIE}=`));
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location ? new URL(location, app.url) : null,
    record: set?.slice(ACTIVITY_COOKIE.length + 1).split(";")[0],
  };
}

async function decoded(value: string | undefined): Promise<ActivityRecord> {
  const result = await decodeRecord(value, SECRET);
  assert.equal(result.status, "valid", `the gate's own record must verify: ${JSON.stringify(result)}`);
  return (result as { record: ActivityRecord }).record;
}

/** Waits for the throttled server-side activity write of each session (it lands after the response). */
async function serverRowsFor(sids: string[]): Promise<void> {
  await eventually(async () => {
    const { rows } = await db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM session_activity WHERE session_id = ANY($1::uuid[])",
      [sids],
    );
    return Number(rows[0]?.n) === sids.length ? true : undefined;
  }, 5_000);
}

const budgetOf = (path: string) =>
  budgetFor(path, { role: "user", preference: undefined, device: "desktop" }, policy).seconds ??
  Number.POSITIVE_INFINITY;
const RANK: Record<string, number> = { ended: 0, expire: 0, "step-up": 1, allow: 2 };

/** Why `v` is more lenient than the honest `truth` (null: it is not). */
function moreLenient(v: Evaluation, truth: Evaluation, sid: string, honestLa: number): string | null {
  const rank = RANK[v.outcome];
  if (rank === undefined) return `unexpected outcome ${v.outcome}`;
  if (rank > (RANK[truth.outcome] ?? 0)) return `outcome ${v.outcome} where the genuine record gives ${truth.outcome}`;
  if (!("record" in v) || !("record" in truth)) return null;
  if (v.session.sessionId !== sid) return "judged as another session";
  if (v.session.role !== truth.session.role || v.session.preference !== truth.session.preference)
    return "another role or idle preference";
  const later = (k: "expiresAt" | "authenticatedAt" | "issuedAt") => v.session[k] > truth.session[k];
  if (later("expiresAt") || later("authenticatedAt") || later("issuedAt")) return "a later deadline";
  if (v.record.lastActivityAt > honestLa) return `a later last activity (${v.record.lastActivityAt} > ${honestLa})`;
  if (budgetOf(v.record.lastPath) > budgetOf(truth.record.lastPath))
    return `a looser governing page (${v.record.lastPath})`;
  return null;
}

/**
 * `size` picks spread over every kind (at least 3 of each, the rest by share), evenly within a kind;
 * travel-safe values only.
 */
function sample(variants: Variant[], size: number): Variant[] {
  const byKind = new Map<string, Variant[]>();
  for (const v of variants)
    if (asCookieOctets(v.value) !== null) byKind.set(v.kind, [...(byKind.get(v.kind) ?? []), v]);
  const lists = [...byKind.values()];
  const quota = lists.map((list) => Math.min(list.length, 3));
  const spare = lists.map((list, i) => list.length - quota[i]!);
  const left = size - quota.reduce((n, q) => n + q, 0);
  const spareTotal = spare.reduce((n, s) => n + s, 0);
  const out: Variant[] = [];
  lists.forEach((list, i) => {
    const q = quota[i]! + Math.floor((left * spare[i]!) / spareTotal);
    for (let k = 0; k < q; k++) out.push(list[Math.floor((k * list.length) / q)]!);
  });
  return out;
}

describe("tampered activity records (fuzzer, real secret and Kratos session)", () => {
  // A: the fuzzed session (newest record = baseline, older records = replays); B, C: other sessions (swaps).
  let a: Session;
  let genuine: string;
  let older: string[];
  let others: string[];
  let variants: Variant[];
  let lastActivity = 0;

  before(async () => {
    assert.ok(SECRET.length >= 32, "SESSION_SECRET must be set (source .stack/<name>/env)");
    // Named per stack: two test stacks share one PostgreSQL server.
    db = await scratchDatabase(`app_rs_tamper_${process.env.APP_PORT ?? "test"}`);
    app = await startApp({
      port: extraAppPort(1),
      policy: POLICY,
      env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" },
    });
    const [sa, sb, sc] = await Promise.all([newSession(), newSession(), newSession()]);
    a = sa!;
    const records: string[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await get("/dashboard", a, records.at(-1));
      assert.equal(page.status, 200);
      records.push(page.record ?? assert.fail("the gate issued no record"));
      await sleep(REISSUE_STEP_MS + 100); // the gate re-issues a record only once last activity moved this much
    }
    lastActivity = Date.now();
    genuine = records.at(-1)!;
    older = records.slice(0, -1);
    others = [];
    for (const s of [sb!, sc!]) {
      const page = await get("/dashboard", s);
      others.push(page.record ?? assert.fail("the gate issued no record"));
    }
    const newest = await decoded(genuine);
    variants = recordVariants({ genuine, older, others, secret: SECRET, now: newest.lastActivityAt + 5_000 });
  });
  after(async () => {
    await app?.stop();
    await db?.drop();
  });

  it(">= 10 000 variants through the real decode and evaluate: 0 accepted", async () => {
    const started = Date.now();
    const newest = await decoded(genuine);
    const genuineValues = new Set([genuine, ...older, ...others]);
    // The real Kratos answer and the real server-side record, asked once (they do not change meanwhile).
    const whoamiOnce = new Map<string, Promise<WhoamiResult>>();
    const serverOnce = new Map<string, Promise<ServerActivity>>();
    const deps = {
      whoami: (header: string) => whoamiOnce.get(header) ?? whoamiOnce.set(header, whoami(header)).get(header)!,
      serverActivity: (sid: string) =>
        serverOnce.get(sid) ??
        serverOnce
          .set(
            sid,
            db.pool
              .query<{ la: string; lp: string }>(
                `SELECT (extract(epoch FROM last_activity_at) * 1000)::bigint AS la, last_path AS lp
                   FROM session_activity WHERE session_id = $1 AND ended_at IS NULL`,
                [sid],
              )
              .then(({ rows }) => (rows[0] ? { lastActivityAt: Number(rows[0].la), lastPath: rows[0].lp } : null)),
          )
          .get(sid)!,
    };
    const judge = (now: number, record: string) =>
      evaluate(
        {
          now,
          path: "/billing",
          kind: "page",
          where: "gate",
          device: "desktop",
          kratosCookieName: KRATOS_COOKIE,
          kratosCookie: a.value,
          recordCookie: record,
          policy,
          secret: SECRET,
        },
        deps,
      );
    // Two moments: past Billing's budget (honest answer: step-up), and past every budget (expire).
    const moments = [newest.lastActivityAt + 5_000, newest.lastActivityAt + 200_000];
    const truths = await Promise.all(moments.map((now) => judge(now, genuine)));
    assert.deepEqual(
      truths.map((t) => t.outcome),
      ["step-up", "expire"],
      "the honest baseline",
    );
    // The server's own record may be a few ms later than the cookie (the page's own check stamps it):
    // honest too, so the bound is the later of the two.
    const server = await deps.serverActivity(a.sid);
    const honestLa = Math.max(newest.lastActivityAt, server && server !== "unavailable" ? server.lastActivityAt : 0);

    // Control: the oracle does catch a record that buys more (re-signed with the REAL key, "active now").
    const control = await encodeRecord({ ...newest, lastActivityAt: moments[0]!, checkedAt: moments[0]! - 1 }, SECRET);
    assert.notEqual(
      moreLenient(await judge(moments[0]!, control), truths[0]!, a.sid, honestLa),
      null,
      "the oracle flags a record that buys more",
    );

    const accepted: { variant: Variant; why: string }[] = [];
    const perKind = new Map<string, number>();
    for (const variant of variants) {
      perKind.set(variant.kind, (perKind.get(variant.kind) ?? 0) + 1);
      const read = await decodeRecord(variant.value, SECRET);
      if (read.status === "valid" && !genuineValues.has(variant.value)) {
        accepted.push({ variant, why: "a changed record verified" });
        continue;
      }
      for (let m = 0; m < moments.length; m++) {
        const why = moreLenient(await judge(moments[m]!, variant.value), truths[m]!, a.sid, honestLa);
        if (why) {
          accepted.push({ variant, why });
          break;
        }
      }
    }
    const ms = Date.now() - started;
    reportFigure(SUITE, "record variants tried (decode + evaluate)", variants.length);
    reportFigure(SUITE, "record variants accepted", accepted.length);
    reportFigure(SUITE, "variant kinds", perKind.size);
    reportFigure(SUITE, "pure-level time", `${ms} ms`);
    assert.ok(variants.length >= 10_000, `only ${variants.length} distinct variants`);
    assert.ok(
      perKind.get("swapped session (another session's genuine record)")! >= 2 &&
        perKind.get("replay (an older record of the same session)")! >= 3,
    );
    assert.deepEqual(
      accepted.slice(0, 10).map((x) => `${x.variant.kind}: ${x.why}: ${x.variant.value.slice(0, 80)}`),
      [],
      `${accepted.length} variants accepted`,
    );
  });

  it("a sample of >= 300 variants via the real gate: each answered with a step-up, none carried forward", async () => {
    const picked = sample(variants, HTTP_SAMPLE);
    for (const kind of [
      "swapped session (another session's genuine record)",
      "replay (an older record of the same session)",
    ]) {
      assert.ok(
        picked.some((v) => v.kind === kind),
        `the sample includes ${kind}`,
      );
    }
    const newest = await decoded(genuine);
    await sleep(Math.max(0, lastActivity + IDLE_PAST_BILLING_MS - Date.now()));
    const started = Date.now();
    const failures: string[] = [];
    await mapLimit(picked, 6, async (variant) => {
      const answer = await get("/billing", a, asCookieOctets(variant.value)!);
      const label = `${variant.kind} (${variant.value.slice(0, 40)}…)`;
      // Honest state: idle past Billing's budget, within the normal one: Kratos refresh login, session kept.
      if (
        answer.status !== 303 ||
        answer.location?.pathname !== "/login" ||
        answer.location.searchParams.get("refresh") !== "true"
      ) {
        failures.push(`${label}: ${answer.status} ${answer.location}`);
        return;
      }
      const back = await decoded(answer.record);
      if (
        back.sessionId !== a.sid ||
        back.lastActivityAt > lastActivity ||
        budgetOf(back.lastPath) > budgetOf(newest.lastPath) ||
        back.role !== "user" ||
        back.preference !== undefined
      ) {
        const { sessionId: sid, lastActivityAt: la, lastPath: lp, role, preference: pref } = back;
        failures.push(`${label}: the record set back carries ${JSON.stringify({ sid, la, lp, role, pref })}`);
      }
    });
    const ms = Date.now() - started;
    reportFigure(SUITE, "variants sent through the gate (HTTP)", picked.length);
    reportFigure(SUITE, "variants accepted by the gate", failures.length);
    reportFigure(SUITE, "gate time per tampered request", `${(ms / picked.length).toFixed(1)} ms`);
    assert.ok(picked.length >= 300, `only ${picked.length} variants sampled`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${picked.length} variants were not refused`);
    assert.equal(await whoamiStatus(a.cookie), 200, "a step-up keeps the session");
    assert.match(app.logs(), /ignored an activity record \(signature\)/, "the gate logs what it ignored");
    // Control: the same request with a record the server itself signed ("active now") is let through, so a
    // variant the gate believed would have shown here as a 200.
    const now = Date.now();
    const control = await get(
      "/billing",
      a,
      await encodeRecord({ ...newest, lastActivityAt: now, checkedAt: now }, SECRET),
    );
    // Billing's budget is 2 s: an answer slower than that (a starved machine) rightly finds the record idle.
    const took = Date.now() - now;
    assert.equal(
      control.status,
      200,
      "a genuinely signed 'active now' passes: the check above can fail " +
        `(answered ${control.location ?? ""} after ${took} ms)`,
    );
  });

  it("a tampered record claiming recent activity on a session idle past its budget: still ended", async () => {
    // Each session's last activity is on Billing (2 s); the server knows it. After 2.6 s idle, a record
    // claiming "active just now" (forged four ways, or another live session's genuine record) is sent.
    const sessions = await Promise.all([0, 1, 2, 3, 4].map(() => newSession()));
    const live = await newSession();
    const records = await Promise.all(
      sessions.map(async (s) => (await get("/billing", s)).record ?? assert.fail("no record")),
    );
    const liveRecord = (await get("/dashboard", live)).record ?? assert.fail("no record");
    const idleSince = Date.now();
    await serverRowsFor(sessions.map((s) => s.sid));
    await sleep(Math.max(0, idleSince + IDLE_PAST_BILLING_MS - Date.now()));
    const now = Date.now();
    const claims = { la: now, ck: now, lp: "/dashboard" };
    const tampered = [
      forgedRecord(records[0]!, claims, "genuine signature", SECRET),
      forgedRecord(records[1]!, claims, "internal channel key", SECRET),
      forgedRecord(records[2]!, claims, "raw secret", SECRET),
      forgedRecord(records[3]!, claims, "jwt alg none", SECRET),
      liveRecord,
    ];
    let ended = 0;
    for (const [i, s] of sessions.entries()) {
      // Some ask for a normal page: only the server's record (last page: Billing) can end those.
      const answer = await get(i % 2 ? "/billing" : "/dashboard", s, tampered[i]);
      assert.equal(answer.status, 303, `session ${i}`);
      assert.equal(answer.location?.pathname, "/signed-out", `session ${i}: ${answer.location}`);
      assert.equal(answer.location?.searchParams.get("reason"), "idle");
      assert.equal(await whoamiStatus(s.cookie), 401, `session ${i} is revoked in Kratos`);
      ended++;
    }
    assert.equal(await whoamiStatus(live.cookie), 200, "the session whose record was borrowed is untouched");
    reportFigure(SUITE, "idle sessions with a forged 'active now'", `${sessions.length} tried, ${ended} ended`);
  });

  it("deleting the record never resets the idle clock (the server's record, else authenticated_at)", async () => {
    const [onBilling, onDashboard, neverSeen] = await Promise.all([newSession(), newSession(), newSession()]);
    assert.equal((await get("/billing", onBilling!)).status, 200);
    const dashboard = await get("/dashboard", onDashboard!);
    assert.equal(dashboard.status, 200);
    const idleSince = Date.now();
    await serverRowsFor([onBilling!.sid, onDashboard!.sid]);
    await sleep(Math.max(0, idleSince + IDLE_PAST_BILLING_MS - Date.now()));

    // Last page Billing, record gone, asking for a normal page: a reset clock would allow it.
    const first = await get("/dashboard", onBilling!);
    assert.equal(first.status, 303);
    assert.equal(first.location?.pathname, "/signed-out");
    assert.equal(first.location?.searchParams.get("reason"), "idle");
    assert.equal(await whoamiStatus(onBilling!.cookie), 401);

    // Last page the dashboard, record gone, asking for Billing: step-up, and the record set back keeps
    // the server's last activity, not "now".
    const second = await get("/billing", onDashboard!);
    assert.equal(second.status, 303);
    assert.equal(second.location?.searchParams.get("refresh"), "true", `${second.location}`);
    assert.ok((await decoded(second.record)).lastActivityAt <= idleSince, "the last activity did not move to now");

    // Never a page since sign-in, no record at all: authenticated_at counts (Billing's budget is past).
    const third = await get("/billing", neverSeen!);
    assert.equal(third.status, 303);
    assert.equal(third.location?.pathname, "/signed-out", `${third.location}`);
    assert.equal(await whoamiStatus(neverSeen!.cookie), 401);
    reportFigure(SUITE, "requests with the record deleted", "3 tried, 0 clock resets");
  });
});
