/**
 * Issue 13, items 1-3, on the real stack: what counts as the person's activity, and sensitive areas that
 * cannot be side-stepped. Its own app instance with budgets in seconds (normal 10 s, Billing 3 s, Admin 5 s,
 * admins capped at 10 s) and its own database; the sweeper is off.
 *
 * Each "not activity" case reads both clocks after the request: the signed record the browser holds (its
 * `la`) and the server's record (session_activity.last_activity_at). Neither may move. A real navigation
 * moving both is the control that shows the check can fail.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { serverActions } from "../helpers/server-actions";
import { createUser, scratchDatabase, sessionIdOf, signIn, whoamiStatus } from "../helpers/stack";

const POLICY = {
  idleDesktopSeconds: 10,
  idleMobileSeconds: 20,
  ceilings: [
    { prefix: "/billing", seconds: 3, label: "Billing" },
    { prefix: "/admin", seconds: 5, label: "Admin" },
  ],
  adminCapSeconds: 10,
  warningSeconds: 20,
  revalidateSeconds: 1,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};

let app: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;

async function signedIn(role: "user" | "admin" = "user") {
  const cookie = await signIn(await createUser(role));
  return { jar: new Jar(cookie), sessionId: await sessionIdOf(cookie) };
}

/** The browser's clock: the last activity in the signed record it holds (the payload is readable, not secret). */
function cookieClock(jar: Jar): number {
  const value = jar.get("idle_act");
  assert.ok(value, "the browser holds an activity record");
  return (JSON.parse(Buffer.from(value.split(".")[1]!, "base64url").toString("utf8")) as { la: number }).la;
}

/** The server's clock for the session (ms), or 0 when it has no row yet. */
async function serverClock(sessionId: string): Promise<number> {
  const { rows } = await db.pool.query<{ la: string }>(
    "SELECT (extract(epoch FROM last_activity_at) * 1000)::bigint AS la FROM session_activity WHERE session_id = $1",
    [sessionId],
  );
  return rows[0] ? Number(rows[0].la) : 0;
}

const NAVIGATE = { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate", "sec-fetch-site": "none" };

describe("activity and sticky ceilings (app instance with budgets in seconds)", () => {
  before(async () => {
    db = await scratchDatabase("app_it_activity");
    app = await startApp({
      port: extraAppPort(2),
      policy: POLICY,
      env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" },
    });
  });
  after(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("idle past Billing's ceiling on /dashboard: opening /dashboard first does not open /billing (step-up)", async () => {
    const { jar } = await signedIn();
    assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200);
    await sleep(4_000); // Billing 3 s < idle 4 s < normal 10 s
    assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200, "normal pages stay open");
    const billing = await hit(app.url, "/billing", jar, { headers: NAVIGATE });
    assert.equal(billing.status, 303);
    const login = new URL(billing.location ?? "", app.url);
    assert.equal(login.pathname, "/login");
    assert.equal(login.searchParams.get("refresh"), "true");
    assert.equal(login.searchParams.get("return_to"), "/billing");
    // Still shut after more normal pages, and after a heartbeat: only re-authentication opens it.
    await hit(app.url, "/settings", jar, { headers: NAVIGATE });
    assert.equal((await hit(app.url, "/billing", jar, { headers: NAVIGATE })).status, 303);
  });

  it("idle past Admin's ceiling: the admin pages, the admin JSON and CSV APIs and an admin action posted to /dashboard all ask for the step-up", async () => {
    const { jar } = await signedIn("admin");
    assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200);
    await sleep(6_000); // Admin 5 s < idle 6 s < the admin cap 10 s
    assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200);

    const page = await hit(app.url, "/admin", jar, { headers: NAVIGATE });
    assert.equal(page.status, 303);
    assert.match(page.location ?? "", /\/login\?.*refresh=true/);

    for (const api of ["/api/admin/insights", "/api/admin/audit.csv"]) {
      const r = await hit(app.url, api, jar);
      assert.equal(r.status, 401, `${api}: ${r.status} ${r.body.slice(0, 120)}`);
      assert.equal((JSON.parse(r.body) as { error: string }).error, "step_up_required", api);
    }

    // "End all sessions" of another user, posted from /dashboard with a valid form: it must not run. (Next
    // forwards an action posted elsewhere to the page that owns it, which the gate judges as /admin; were it
    // let through, verifyAdmin() judges it as the admin area too.)
    const victim = await createUser();
    const victimCookie = await signIn(victim);
    const endSessions = serverActions().find((a) => a.name === "endUserSessions");
    assert.ok(endSessions, "the admin action is in the build");
    const form = new FormData();
    form.append("0", JSON.stringify([{ status: "idle" }, "$K1"]));
    form.append("1_target", victim.email);
    const action = await hit(app.url, "/dashboard", jar, {
      method: "POST",
      headers: { "next-action": endSessions.id, origin: new URL(app.url).origin, accept: "text/x-component" },
      body: form,
    });
    assert.doesNotMatch(action.body, /"status":"ok"|Ended all sessions/, "the admin action did not run");
    assert.equal(await whoamiStatus(victimCookie), 200, "the other user's session was not ended");
  });

  // Requests a person did not make: neither the browser's nor the server's clock may move.
  const notActivity: { name: string; path: string; init: RequestInit; status?: number }[] = [
    {
      name: "a browser prefetch (Purpose: prefetch)",
      path: "/dashboard",
      init: { headers: { purpose: "prefetch" } },
      status: 204,
    },
    {
      name: "a browser prefetch (Sec-Purpose: prefetch)",
      path: "/dashboard",
      init: { headers: { "sec-purpose": "prefetch", "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" } },
      status: 204,
    },
    {
      name: "a page loaded by <img> on a same-site page",
      path: "/dashboard",
      init: { headers: { "sec-fetch-dest": "image", "sec-fetch-mode": "no-cors", "sec-fetch-site": "same-site" } },
      status: 204,
    },
    {
      name: "a page loaded by <script>",
      path: "/settings",
      init: { headers: { "sec-fetch-dest": "script", "sec-fetch-mode": "no-cors", "sec-fetch-site": "same-site" } },
      status: 204,
    },
    {
      name: "Next's router prefetch (rendered, not activity)",
      path: "/settings",
      init: {
        headers: { "next-router-prefetch": "1", rsc: "1", "sec-fetch-dest": "empty", "sec-fetch-site": "same-origin" },
      },
    },
    { name: "an API call answered 404", path: "/api/no-such-route", init: {}, status: 404 },
    { name: "an API call answered 405", path: "/api/session", init: { method: "DELETE" }, status: 405 },
    { name: "an OPTIONS request to an API", path: "/api/admin/insights", init: { method: "OPTIONS" } },
    {
      name: "an unknown server-action id",
      path: "/dashboard",
      init: {
        method: "POST",
        headers: {
          "next-action": "00".repeat(21),
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
        },
        body: "[]",
      },
    },
  ];
  it(`${notActivity.length} kinds of requests a person did not make move neither clock; a navigation moves both`, async () => {
    const { jar, sessionId } = await signedIn();
    const moved: string[] = [];
    for (const c of notActivity) {
      // A navigation first (the session never idles near its budget), then its server write lands.
      assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200);
      await sleep(1_100);
      const before = { cookie: cookieClock(jar), server: await serverClock(sessionId) };
      await sleep(1_100); // more than the record's 1 s step and the 1 s write throttle: a count would show
      const r = await hit(app.url, c.path, jar, c.init);
      if (c.status !== undefined) assert.equal(r.status, c.status, `${c.name}: status`);
      if (c.status === 204) assert.equal(r.body, "", `${c.name}: nothing rendered`);
      await sleep(600);
      const afterwards = { cookie: cookieClock(jar), server: await serverClock(sessionId) };
      if (afterwards.cookie !== before.cookie || afterwards.server !== before.server)
        moved.push(`${c.name} (${r.status})`);
    }
    assert.deepEqual(moved, [], "none of these moved the idle clock");

    // The control: a navigation moves both.
    const before = { cookie: cookieClock(jar), server: await serverClock(sessionId) };
    await sleep(1_100);
    assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200);
    await sleep(600);
    assert.ok(cookieClock(jar) > before.cookie, "a navigation moves the browser's clock");
    assert.ok((await serverClock(sessionId)) > before.server, "and the server's");
  });

  it("an <img> of a page every 2 s does not keep an idle session alive", async () => {
    const { jar } = await signedIn();
    assert.equal((await hit(app.url, "/dashboard", jar, { headers: NAVIGATE })).status, 200);
    for (let i = 0; i < 6; i++) {
      await sleep(2_000);
      await hit(app.url, "/dashboard", jar, {
        headers: { "sec-fetch-dest": "image", "sec-fetch-mode": "no-cors", "sec-fetch-site": "same-site" },
      });
    }
    const r = await hit(app.url, "/dashboard", jar, { headers: NAVIGATE }); // 12 s after the last navigation
    assert.equal(r.status, 303);
    assert.match(r.location ?? "", /\/signed-out\?.*reason=idle/);
  });
});
