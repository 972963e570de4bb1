/**
 * Load: 100 simulated browsers for 60 s against one app instance (production build) on the real Kratos and
 * PostgreSQL. Half stay active throughout (pages, heartbeats and status polls at random gaps, never idle for
 * half the budget); half go idle at a random moment: 30 then fall silent (only the sweeper can end them)
 * and 20 keep polling the status API (not activity: the gate ends them on a poll past the budget).
 *
 *   false expiries  an active session signed out, or with an expiry audit row      must be 0
 *   seen idle       ended while active, after its requests waited past the budget   must be 0
 *                   (the server's view: a starved machine delays requests until the server rightly sees a
 *                   gap; such a browser is counted here, not as a false expiry, so a failure says which)
 *   missed expiries an idle session still signed in at Kratos at budget + SLACK    must be 0
 *   early expiries  an idle session ended before its budget                         must be 0
 *   audit           exactly one session_expired_idle row per ended session
 *
 * SLACK (stated from the policy): activityWriteSeconds (the server's record of the last activity may lag
 * it by that much, and the sweeper waits that long past a deadline) + sweepIntervalSeconds (time to the next
 * pass) + revalidateSeconds (docs/security.md, "Bounds": how long a revocation takes to reach a browser) + a
 * 3 s scheduling margin (a sweep pass revoking dozens of sessions, and event-loop delay on 2 cores shared
 * with Kratos, the app and this test). With the policy below: 2 + 1 + 2 + 3 = 8 s after a 20 s budget. The
 * sweeper's own bound is write + interval (3 s); revalidation is kept in as docs/security.md states it, so
 * the margin is generous.
 *
 * Times: a session's last activity happened on the server between sending that request and its answer.
 * "Early" counts from the sending (strict), "missed" from the answer (the latest the server can have seen
 * it), and "past budget" figures from the sending.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { reportFigure } from "../helpers/figures";
import { Jar, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { createIdentities, signInAs, signInMany, type Identity, type SignedInSession } from "../helpers/sessions";
import { KRATOS_ADMIN_URL, scratchDatabase, whoamiStatus } from "../helpers/stack";
import { percentile, seedFromEnv, seededRandom } from "../helpers/stats";

const POLICY = {
  idleDesktopSeconds: 20,
  warningSeconds: 20,
  revalidateSeconds: 2,
  activityWriteSeconds: 2,
  sweepIntervalSeconds: 1,
};
const BUDGET_MS = POLICY.idleDesktopSeconds * 1000;
const MARGIN_S = 3;
const SLACK_MS =
  (POLICY.activityWriteSeconds + POLICY.sweepIntervalSeconds + POLICY.revalidateSeconds + MARGIN_S) * 1000;
const ACTIVE = 50;
const SILENT = 30;
const POLLING = 20;
const RUN_MS = 60_000;
// About 12 requests/s offered in all (a page ~30 ms, a heartbeat or poll ~20 ms of app time, plus a Kratos
// whoami every revalidateSeconds per session), below the 15-17 requests/s one instance answered here next to
// Kratos and PostgreSQL. Offered twice that, p99 reached 9-15 s and the server rightly saw "active" browsers
// as idle: the run then showed the machine's limit, not the product's.
const GAP_MS = [4_000, 9_000] as const;
const POLL_MS = [4_000, 6_000] as const;
/** Browsers arrive (sign in, land on the dashboard) spread over the first ARRIVAL_MS. */
const ARRIVAL_MS = 20_000;
/** Idle browsers stop this long after arriving, so each deadline check still falls within the run. */
const STOP_WINDOW_MS = [2_000, RUN_MS - ARRIVAL_MS - BUDGET_MS - SLACK_MS - 2_000] as const;

type Role = "active" | "silent" | "polling";
interface Browser {
  session: SignedInSession;
  role: Role;
  jar: Jar;
  stopAt: number;
  lastActivitySent: number;
  lastActivityDone: number;
  /** when a signed-out answer came back (the gate ended it on a request) */
  signedOutAt?: number;
  signedOutWhileActive: boolean;
  /**
   * The server's view: the longest time the server may have seen this browser idle while it was active, the
   * gap from sending one accepted activity to the answer to the next (or to a sign-out). Below the budget,
   * the server provably saw activity within the budget throughout; at or above it, requests waited so long
   * (a starved machine) that the server may rightly have judged the browser idle.
   */
  maxServerGap: number;
  aliveAtDeadline?: boolean;
}

describe("load", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let app: AppInstance;

  before(async () => {
    db = await scratchDatabase("app_res_load");
    app = await startApp({ port: extraAppPort(7), policy: POLICY, env: { DATABASE_URL: db.url } });
    // Warm up: a fresh `next start` loads and compiles each route on first use (seconds, under load): the
    // figures are about steady state, so every route the run uses is exercised first.
    const [warm] = await signInMany(1);
    const jar = new Jar(warm!.cookie);
    for (let i = 0; i < 10; i++) {
      for (const path of ["/dashboard", "/dashboard/upload", "/api/session"]) await hit(app.url, path, jar);
      await hit(app.url, "/api/session/activity", jar, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"reason":"heartbeat"}',
      });
    }
  });
  after(async () => {
    await app?.stop();
    await db?.drop();
  });

  const title =
    `${ACTIVE + SILENT + POLLING} sessions for ${RUN_MS / 1000} s: ` +
    "0 false, 0 missed, 0 early expiries; one audit row per expiry";
  it(title, async () => {
    const seed = seedFromEnv();
    const random = seededRandom(seed);
    const between = ([lo, hi]: readonly [number, number]) => lo + random() * (hi - lo);
    const setupStarted = Date.now();
    const identities = await createIdentities(ACTIVE + SILENT + POLLING);
    const setupSeconds = (Date.now() - setupStarted) / 1000;

    const latencies: number[] = [];
    const steadyLatencies: number[] = [];
    const unexpected: string[] = [];
    const request = async (b: Pick<Browser, "jar">, kind: "page" | "heartbeat" | "poll") => {
      const sentAt = Date.now();
      const r =
        kind === "page"
          ? await hit(app.url, random() < 0.7 ? "/dashboard" : "/dashboard/upload", b.jar)
          : kind === "heartbeat"
            ? await hit(app.url, "/api/session/activity", b.jar, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: '{"reason":"heartbeat"}',
              })
            : await hit(app.url, "/api/session", b.jar);
      const doneAt = Date.now();
      latencies.push(doneAt - sentAt);
      // Past the arrivals (each session's first request also asks Kratos and the activity table).
      if (sentAt > started + ARRIVAL_MS + 3_000) steadyLatencies.push(doneAt - sentAt);
      const signedOut = r.status === 401 || (r.status === 303 && /\/signed-out|\/login/.test(r.location ?? ""));
      if (r.status !== 200 && !signedOut) unexpected.push(`${kind} ${r.status}`);
      return { sentAt, doneAt, ok: r.status === 200, signedOut };
    };

    const started = Date.now();
    const simulate = async (identity: Identity, role: Role): Promise<Browser> => {
      // Browsers do not arrive in step. Each signs in when it arrives and lands on the dashboard at once:
      // a session the app has never seen is not one it can time (it lives to Kratos' absolute lifetime),
      // and one signed in long before its first request is idle by then.
      await sleep(random() * ARRIVAL_MS);
      const session = await signInAs(identity);
      const b: Browser = {
        session,
        role,
        jar: new Jar(session.cookie),
        stopAt: started + RUN_MS,
        lastActivitySent: Date.now(),
        lastActivityDone: Date.now(),
        signedOutWhileActive: false,
        maxServerGap: 0,
      };
      if (role !== "active") b.stopAt = Date.now() + between(STOP_WINDOW_MS);
      let kind: "page" | "heartbeat" | "poll" = "page";
      // Active phase: pages, heartbeats and polls; never longer than half the budget without activity.
      while (Date.now() < b.stopAt) {
        const r = await request(b, kind);
        if (r.signedOut || (r.ok && kind !== "poll"))
          b.maxServerGap = Math.max(b.maxServerGap, r.doneAt - b.lastActivitySent);
        if (r.signedOut) {
          b.signedOutWhileActive = true;
          return b;
        }
        if (r.ok && kind !== "poll") {
          b.lastActivitySent = r.sentAt;
          b.lastActivityDone = r.doneAt;
        }
        const gap = between(GAP_MS);
        const mustAct = Date.now() - b.lastActivitySent + gap > BUDGET_MS / 2;
        const pick = random();
        kind = mustAct || pick < 0.55 ? "heartbeat" : pick < 0.85 ? "page" : "poll";
        await sleep(Math.min(gap, Math.max(0, b.stopAt - Date.now())));
      }
      if (b.role === "active") return b;
      // Idle phase. At budget + SLACK after the last activity, Kratos must no longer know the session.
      const deadline = b.lastActivityDone + BUDGET_MS + SLACK_MS;
      if (b.role === "polling") {
        while (Date.now() + POLL_MS[1] < deadline) {
          await sleep(between(POLL_MS));
          const r = await request(b, "poll");
          if (r.signedOut) {
            b.signedOutAt = r.doneAt;
            break;
          }
        }
      }
      await sleep(Math.max(0, deadline - Date.now()));
      b.aliveAtDeadline = (await whoamiStatus(b.session.cookie)) === 200;
      return b;
    };
    const browsers = await Promise.all(
      identities.map((identity, i) =>
        simulate(identity, i < ACTIVE ? "active" : i < ACTIVE + SILENT ? "silent" : "polling"),
      ),
    );
    const runSeconds = (Date.now() - started) / 1000;

    // Ground truth afterwards: Kratos (admin API) and the audit trail.
    const activeInKratos = async (id: string) => {
      const r = await fetch(`${KRATOS_ADMIN_URL}/admin/sessions/${id}`);
      return r.ok && ((await r.json()) as { active: boolean }).active;
    };
    const { rows } = await db.pool.query<{ session_id: string; event_type: string; at: string }>(
      `SELECT session_id, event_type, (extract(epoch FROM created_at) * 1000)::bigint AS at
         FROM security_audit WHERE event_type LIKE 'session_expired_%'`,
    );
    const endRows = new Map<string, { type: string; at: number }[]>();
    for (const r of rows)
      endRows.set(r.session_id, [...(endRows.get(r.session_id) ?? []), { type: r.event_type, at: Number(r.at) }]);

    let falseExpiries = 0;
    let seenIdle = 0;
    let missed = 0;
    let early = 0;
    let wrongAuditCount = 0;
    let endedBySweeper = 0;
    const pastBudget: number[] = [];
    for (const b of browsers) {
      const ends = endRows.get(b.session.sessionId) ?? [];
      const stillActive = await activeInKratos(b.session.sessionId);
      // Ended while the browser was active: false when the server had seen activity within the budget all
      // along; otherwise its requests waited past the budget and the server saw it idle (counted apart).
      // An active browser stops at the end of the run; when the others take long to finish (a slow machine),
      // its session may then rightly end by the sweeper, a budget after its last request: not while active.
      const endedAfterItStopped = ends.length > 0 && ends.every((e) => e.at >= b.lastActivityDone + BUDGET_MS);
      const endedWhileActive =
        b.role === "active"
          ? b.signedOutWhileActive || ((ends.length > 0 || !stillActive) && !endedAfterItStopped)
          : b.signedOutWhileActive;
      if (endedWhileActive && b.maxServerGap >= BUDGET_MS) seenIdle += 1;
      else if (endedWhileActive) falseExpiries += 1;
      if (b.role === "active") continue;
      if (b.aliveAtDeadline !== false || stillActive) missed += 1;
      if (ends.length !== 1 || ends[0]?.type !== "session_expired_idle") wrongAuditCount += 1;
      const endedAt = Math.min(ends[0]?.at ?? Infinity, b.signedOutAt ?? Infinity);
      if (endedAt < b.lastActivitySent + BUDGET_MS) early += 1;
      if (Number.isFinite(endedAt)) pastBudget.push((endedAt - b.lastActivitySent - BUDGET_MS) / 1000);
      if (b.signedOutAt === undefined) endedBySweeper += 1;
    }
    const requests = latencies.length;
    const s = (n: number) => `${n.toFixed(1)} s`;
    reportFigure(
      "load",
      "sessions (active / silent idle / polling idle)",
      `${ACTIVE} / ${SILENT} / ${POLLING}, seed ${seed}`,
    );
    reportFigure(
      "load",
      `run / setup (${identities.length} identities, admin API)`,
      `${s(runSeconds)} / ${s(setupSeconds)}`,
    );
    reportFigure("load", "requests, throughput", `${requests}, ${(requests / runSeconds).toFixed(1)} req/s`);
    reportFigure(
      "load",
      "latency p50 / p99 / max",
      `${percentile(latencies, 50)} / ${percentile(latencies, 99)} / ${Math.max(...latencies)} ms`,
    );
    reportFigure(
      "load",
      "latency p50 / p99 after the arrivals",
      `${percentile(steadyLatencies, 50)} / ${percentile(steadyLatencies, 99)} ms`,
    );
    reportFigure("load", "false expiries (active sessions ended)", `${falseExpiries} of ${ACTIVE}`);
    reportFigure(
      "load",
      "ended while active, after requests waited past the budget",
      `${seenIdle} (longest wait ${s(Math.max(...browsers.map((b) => b.maxServerGap)) / 1000)})`,
    );
    reportFigure(
      "load",
      "missed expiries (alive past budget + slack)",
      `${missed} of ${SILENT + POLLING} (slack ${SLACK_MS / 1000} s)`,
    );
    reportFigure("load", "early expiries (ended before the budget)", `${early}`);
    reportFigure(
      "load",
      "idle: ended past budget min / p50 / max",
      `${s(Math.min(...pastBudget))} / ${s(percentile(pastBudget, 50))} / ${s(Math.max(...pastBudget))}`,
    );
    reportFigure(
      "load",
      "ended by sweeper / by the gate on a poll",
      `${endedBySweeper} / ${SILENT + POLLING - endedBySweeper}`,
    );
    reportFigure("load", "ended sessions without exactly 1 audit row", `${wrongAuditCount}`);

    assert.deepEqual(unexpected, [], "every answer is 200 or a sign-out");
    assert.equal(falseExpiries, 0, "no session ended that the server had seen active within its budget");
    assert.equal(
      seenIdle,
      0,
      `no active session ended after its requests waited past the budget (p99 ${percentile(latencies, 99)} ms): ` +
        "the machine was too busy for this run to show anything about false expiries",
    );
    assert.equal(missed, 0, `every idle session ended within budget + ${SLACK_MS / 1000} s`);
    assert.equal(early, 0, "no idle session ended before its budget");
    assert.equal(wrongAuditCount, 0, "exactly one session_expired_idle row per ended session");
    assert.ok(endedBySweeper >= SILENT, "the silent sessions were ended by the sweeper");
  });
});
