/**
 * The server decides: idle and absolute expiry through the Edge gate, revocation in Kratos, step-up,
 * the status poll, the signed record, and the audit rows. Runs its own app instance (APP_PORT + 1) with
 * budgets in seconds and its own database, so no other sweeper touches its sessions.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import {
  KRATOS_PUBLIC_URL,
  auditRows,
  createUser,
  scratchDatabase,
  sessionIdOf,
  signIn,
  whoamiStatus,
} from "../helpers/stack";

const POLICY = {
  idleDesktopSeconds: 6,
  idleMobileSeconds: 12,
  ceilings: [
    { prefix: "/billing", seconds: 3, label: "Billing" },
    { prefix: "/admin", seconds: 4, label: "Admin" },
  ],
  adminCapSeconds: 5,
  warningSeconds: 20,
  revalidateSeconds: 1,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};

let app: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;

async function signedInJar(): Promise<{ jar: Jar; sessionId: string; kratosCookie: string }> {
  const kratosCookie = await signIn(await createUser());
  return { jar: new Jar(kratosCookie), sessionId: await sessionIdOf(kratosCookie), kratosCookie };
}

describe("idle gate (app instance with budgets in seconds)", () => {
  before(async () => {
    db = await scratchDatabase("app_it_gate");
    // The sweeper is off here: these tests pin what the gate itself does.
    app = await startApp({
      port: extraAppPort(1),
      policy: POLICY,
      env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" },
    });
  });
  after(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("idle past the budget: the next request signs out, Kratos whoami is 401, exactly one audit row", async () => {
    const { jar, sessionId, kratosCookie } = await signedInJar();
    const first = await hit(app.url, "/dashboard", jar);
    assert.equal(first.status, 200);
    assert.match(first.headers.get("cache-control") ?? "", /no-store/);
    assert.ok(jar.get("idle_act"), "the gate issued a signed activity record");

    await sleep(7_000); // budget 6 s
    const second = await hit(app.url, "/dashboard", jar);
    assert.equal(second.status, 303);
    const location = new URL(second.location ?? "", app.url);
    assert.equal(location.pathname, "/signed-out");
    assert.equal(location.searchParams.get("reason"), "idle");
    assert.equal(location.searchParams.get("return_to"), "/dashboard");
    assert.equal(await whoamiStatus(kratosCookie), 401, "revoked in Kratos itself");

    const rows = await eventually(async () => {
      const r = await auditRows(db.pool, sessionId);
      return r.length > 0 ? r : undefined;
    }, 5_000);
    await sleep(500);
    const all = await auditRows(db.pool, sessionId);
    assert.equal(all.length, 1, JSON.stringify(all));
    assert.equal(rows[0]?.event_type, "session_expired_idle");
    assert.equal(rows[0]?.metadata.detected_by, "gate");
    assert.equal(rows[0]?.metadata.page, "/dashboard");
    assert.equal(rows[0]?.metadata.budget_seconds, 6);
  });

  it("the signed-out page explains it in plain words and links back to the page", async () => {
    const page = await hit(app.url, "/signed-out?reason=idle&area=/billing&after=300&return_to=/billing", new Jar());
    assert.match(page.body, /signed out after 5 minutes of inactivity on Billing/);
    assert.match(page.body, /href="\/login\?return_to=%2Fbilling"/);
  });

  it("idle on /dashboard, then entering /billing: step-up (refresh login), the session is kept", async () => {
    const { jar, sessionId, kratosCookie } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    await sleep(4_000); // past billing's 3 s, within the dashboard's 6 s
    const billing = await hit(app.url, "/billing", jar);
    assert.equal(billing.status, 303);
    const location = new URL(billing.location ?? "", app.url);
    assert.equal(location.pathname, "/login");
    assert.equal(location.searchParams.get("refresh"), "true");
    assert.equal(location.searchParams.get("return_to"), "/billing");
    assert.equal(await whoamiStatus(kratosCookie), 200, "a step-up keeps the session");

    // Re-authenticate (Kratos login with refresh=true on the same session), then billing opens.
    const refreshed = await signIn(
      { email: (await userOf(kratosCookie)).email, password: "integration-passphrase-42" },
      { refresh: true, cookie: kratosCookie },
    );
    const jar2 = new Jar(`${refreshed}; idle_act=${jar.get("idle_act")}`);
    assert.equal(await sessionIdOf(refreshed), sessionId, "refresh keeps the session id");
    assert.equal((await hit(app.url, "/billing", jar2)).status, 200);
    const types = await eventually(async () => {
      const t = (await auditRows(db.pool, sessionId)).map((r) => r.event_type);
      return t.includes("step_up_completed") ? t : undefined;
    }, 5_000);
    assert.deepEqual(types, ["step_up_required", "step_up_completed"]);
  });

  it("absolute expiry: past the absolute deadline the session ends whatever the activity", async () => {
    const short = await startApp({
      port: extraAppPort(2),
      policy: { ...POLICY, absoluteSeconds: 4 },
      env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" },
    });
    try {
      const { jar, sessionId, kratosCookie } = await signedInJar();
      // Timed from Kratos' authenticated_at, as the gate does. An answer that came back before the deadline
      // was judged before it, so it must be a 200; one answered later may rightly be either (a busy machine).
      const whoami = (await (
        await fetch(`${KRATOS_PUBLIC_URL}/sessions/whoami`, { headers: { cookie: kratosCookie } })
      ).json()) as { authenticated_at: string };
      const deadline = Date.parse(whoami.authenticated_at) + 4_000;
      let within = 0;
      while (Date.now() < deadline) {
        const status = (await hit(short.url, "/dashboard", jar)).status;
        if (Date.now() >= deadline) break;
        assert.equal(status, 200, "active within the deadline");
        within += 1;
        await sleep(700);
      }
      assert.ok(
        within >= 2,
        `only ${within} answers came back within the 4 s deadline: the machine was too busy to show this`,
      );
      await sleep(Math.max(0, deadline + 1_000 - Date.now()));
      const ended = await hit(short.url, "/dashboard", jar);
      assert.equal(new URL(ended.location ?? "", short.url).searchParams.get("reason"), "absolute");
      assert.equal(await whoamiStatus(kratosCookie), 401);
      const rows = await eventually(async () => {
        const r = await auditRows(db.pool, sessionId);
        return r.length ? r : undefined;
      }, 5_000);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.event_type, "session_expired_absolute");
    } finally {
      await short.stop();
    }
  });

  it("polling GET /api/session for longer than the budget does not keep the session alive", async () => {
    const { jar, kratosCookie } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const first = JSON.parse((await hit(app.url, "/api/session", jar)).body) as Record<string, number>;
    assert.equal(first.idleBudgetSeconds, 6);
    assert.ok(first.idleExpiresAt! > first.serverNow! && first.idleExpiresAt! <= first.serverNow! + 6_000);
    let last = 200;
    let lastBody = "";
    const started = Date.now();
    while (Date.now() - started < 9_000 && last === 200) {
      await sleep(1_000);
      const poll = await hit(app.url, "/api/session", jar);
      last = poll.status;
      lastBody = poll.body;
      if (poll.status === 200) {
        const body = JSON.parse(poll.body) as { idleExpiresAt: number };
        assert.equal(body.idleExpiresAt, first.idleExpiresAt, "a poll never moves the deadline");
      }
    }
    assert.equal(last, 401, "the poll itself ends up signed out");
    const signedOut = new URL(JSON.parse(lastBody).signedOut, app.url);
    assert.equal(signedOut.searchParams.get("reason"), "idle");
    assert.equal(signedOut.searchParams.get("return_to"), "/dashboard", "back to the page, not to the API");
    assert.equal(await whoamiStatus(kratosCookie), 401);
  });

  it("router prefetches (a <Link> in view) are not activity", async () => {
    const { jar } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    await sleep(4_000);
    const headers = { rsc: "1", "next-router-prefetch": "1" };
    let prefetch = await hit(app.url, "/dashboard?_rsc=abc", jar, { headers });
    // Next answers 307 to the canonical `_rsc` cache-buster first; follow it like the router does.
    if (prefetch.status === 307 && prefetch.location)
      prefetch = await hit(app.url, prefetch.location, jar, { headers });
    assert.equal(prefetch.status, 200);
    assert.match(prefetch.headers.get("content-type") ?? "", /text\/x-component/, "an RSC prefetch payload");
    await sleep(3_000); // 7 s since the last real activity: past the 6 s budget
    const next = await hit(app.url, "/dashboard", jar);
    assert.equal(next.status, 303);
    assert.equal(new URL(next.location ?? "", app.url).searchParams.get("reason"), "idle");
  });

  it("the heartbeat moves the deadline; the strictest open page's budget governs", async () => {
    const { jar } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const beat = await hit(app.url, "/api/session/activity", jar, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ paths: ["/dashboard", "/billing/invoices"] }),
    });
    assert.equal(beat.status, 200, beat.body);
    const body = JSON.parse(beat.body) as { idleBudgetSeconds: number; area: string };
    assert.equal(body.idleBudgetSeconds, 3);
    assert.equal(body.area, "Billing");
    await sleep(4_000); // past billing's budget, within the dashboard's: billing governs -> signed out
    const next = await hit(app.url, "/dashboard", jar);
    assert.equal(new URL(next.location ?? "", app.url).searchParams.get("reason"), "idle");
  });

  it("crossed answers: a poll sent before a heartbeat, answered after it, never sets the idle clock back", async () => {
    const { jar, sessionId } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const sentBefore = new Jar(jar.header()); // what a poll in another tab carried, sent before the heartbeat's answer
    await sleep(2_000); // past revalidateSeconds: that poll asks Kratos again
    const beatAt = Date.now();
    const beat = await hit(app.url, "/api/session/activity", jar, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(beat.status, 200, beat.body);
    const afterBeat = jar.get("idle_act");
    assert.notEqual(afterBeat, sentBefore.get("idle_act"), "the heartbeat issued a newer record");

    const poll = await hit(app.url, "/api/session", sentBefore);
    assert.equal(poll.status, 200, poll.body);
    assert.equal(
      poll.headers.getSetCookie().filter((c) => c.startsWith("idle_act=")).length,
      0,
      "the poll's answer carries no (older) record",
    );

    // Had the browser kept the older record anyway (another path, another instance), the server's own last
    // activity still counts before anything ends: 6.5 s after the page view, 4.5 s after the heartbeat (budget 6 s).
    await eventually(
      async () =>
        (
          await db.pool.query(
            `SELECT 1 FROM session_activity
              WHERE session_id = $1 AND last_activity_at >= to_timestamp($2::float8 / 1000)`,
            [sessionId, beatAt],
          )
        ).rowCount
          ? true
          : undefined,
      3_000,
    );
    await sleep(beatAt + 4_500 - Date.now());
    const late = await hit(app.url, "/api/session", sentBefore);
    assert.equal(late.status, 200, `the older record alone would have ended the session: ${late.body}`);
    const status = JSON.parse(late.body) as { idleExpiresAt: number; serverNow: number };
    assert.ok(
      status.idleExpiresAt - status.serverNow > 0 && status.idleExpiresAt - status.serverNow <= 2_500,
      `the deadline is the heartbeat's: ${late.body}`,
    );
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200, "and the browser's newer record goes on");
    assert.equal((await auditRows(db.pool, sessionId)).length, 0, "nothing ended");
  });

  it("bad heartbeat bodies get a 4xx with a reason and record nothing", async () => {
    const { jar, sessionId } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const before = jar.get("idle_act");
    const cases: { body: string; status: number; type?: string }[] = [
      { body: "{not json", status: 400 },
      { body: JSON.stringify({ paths: "billing" }), status: 400 },
      { body: JSON.stringify({ paths: ["//evil.example"] }), status: 400 },
      { body: JSON.stringify({ reason: "forever" }), status: 400 },
      { body: JSON.stringify({ unknown: 1 }), status: 400 },
      { body: JSON.stringify({ paths: ["/x".repeat(3000)] }), status: 413 },
      { body: "{}", status: 415, type: "text/plain" },
    ];
    for (const c of cases) {
      const response = await hit(app.url, "/api/session/activity", jar, {
        method: "POST",
        headers: { "content-type": c.type ?? "application/json" },
        body: c.body,
      });
      assert.equal(response.status, c.status, `${c.body.slice(0, 40)} -> ${response.status} ${response.body}`);
      assert.ok(JSON.parse(response.body).message, "says what was wrong");
    }
    assert.equal(jar.get("idle_act"), before, "no new activity record was issued");
    assert.equal((await auditRows(db.pool, sessionId)).length, 0);
  });

  it("deleting the activity record never resets the idle clock", async () => {
    const { jar } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    await sleep(1_500); // let the throttled server-side write land
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    await sleep(4_000);
    jar.delete("idle_act");
    const billing = await hit(app.url, "/billing", jar);
    assert.equal(billing.status, 303, "idle 4 s > billing's 3 s even without the record");
    assert.equal(new URL(billing.location ?? "", app.url).searchParams.get("refresh"), "true");
  });

  it("a tampered record is ignored (and logged), never trusted", async () => {
    const { jar } = await signedInJar();
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    await sleep(4_000);
    const genuine = jar.get("idle_act") ?? "";
    const [v, payload, sig] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as { la: number };
    claims.la = Date.now(); // pretend to have been active just now
    jar.set("idle_act", `${v}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`);
    const billing = await hit(app.url, "/billing", jar);
    assert.equal(billing.status, 303, "the forged 'active now' is not believed");
    assert.match(app.logs(), /ignored an activity record \(signature\)/);
  });

  it("API calls without a session get JSON 401, never a redirect", async () => {
    const response = await hit(app.url, "/api/session", new Jar());
    assert.equal(response.status, 401);
    assert.equal(JSON.parse(response.body).error, "unauthenticated");
  });
});

async function userOf(cookie: string): Promise<{ email: string }> {
  const response = await fetch(`${process.env.KRATOS_PUBLIC_URL}/sessions/whoami`, { headers: { cookie } });
  const body = (await response.json()) as { identity: { traits: { email: string } } };
  return { email: body.identity.traits.email };
}
