/**
 * Where the absolute lifetime counts from (policy.absoluteFrom), with real Kratos: a refresh login (the
 * step-up, or "sign in again") moves Kratos' authenticated_at and expires_at but keeps issued_at. Two app
 * instances with a 10 s absolute lifetime, one per mode, sharing one scratch database with their sweepers on:
 * the gate, the session-status answer, the server's row and the sweeper must all name the same deadline.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { KRATOS_PUBLIC_URL, auditRows, createUser, scratchDatabase, signIn, whoamiStatus } from "../helpers/stack";

const ABSOLUTE_MS = 10_000;
const POLICY = {
  absoluteSeconds: ABSOLUTE_MS / 1000,
  // Idle never ends these sessions first, and the server's row is written at most every 30 s: a new absolute
  // deadline must reach it anyway (lib/activity/store.ts, noteActivity).
  idleDesktopSeconds: 60,
  idleMobileSeconds: 60,
  warningSeconds: 20,
  absoluteWarningSeconds: 20,
  revalidateSeconds: 1,
  activityWriteSeconds: 30,
  sweepIntervalSeconds: 1,
};

let signInApp: AppInstance;
let lastAuthApp: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;

interface KratosTimes {
  id: string;
  issuedAt: number;
  authenticatedAt: number;
  expiresAt: number;
}

async function kratosTimes(cookie: string): Promise<KratosTimes> {
  const response = await fetch(`${KRATOS_PUBLIC_URL}/sessions/whoami`, { headers: { cookie } });
  assert.equal(response.status, 200, "whoami");
  const s = (await response.json()) as Record<string, string>;
  const at = (key: string) => Date.parse(s[key] ?? "");
  return {
    id: s.id ?? "",
    issuedAt: at("issued_at"),
    authenticatedAt: at("authenticated_at"),
    expiresAt: at("expires_at"),
  };
}

/**
 * Signs in, opens /dashboard on `app`, waits `refreshAfterMs`, signs in again with refresh=true on the same
 * session and opens /dashboard again. Returns Kratos' times before and after the refresh.
 */
async function signInThenRefresh(app: AppInstance, refreshAfterMs: number) {
  const user = await createUser();
  const first = await signIn(user);
  const jar = new Jar(first);
  const signedIn = await kratosTimes(first);
  assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
  await sleep(refreshAfterMs);
  const refreshed = await signIn(user, { refresh: true, cookie: first });
  jar.set("ory_kratos_session", refreshed.slice("ory_kratos_session=".length));
  const now = await kratosTimes(refreshed);
  assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
  return { jar, cookie: refreshed, signedIn, refreshed: now };
}

/** The deadline the app tells the browser (GET /api/session, a poll: never activity). */
async function statusDeadline(
  app: AppInstance,
  jar: Jar,
): Promise<{ absoluteExpiresAt: number; absoluteFrom: string }> {
  const poll = await hit(app.url, "/api/session", jar);
  assert.equal(poll.status, 200, poll.body);
  return JSON.parse(poll.body) as { absoluteExpiresAt: number; absoluteFrom: string };
}

/** The absolute deadline the sweeper acts on (session_activity), once the row exists. */
async function rowDeadline(sessionId: string): Promise<number> {
  const { rows } = await db.pool.query<{ ms: string }>(
    "SELECT (extract(epoch FROM absolute_deadline) * 1000)::bigint AS ms FROM session_activity WHERE session_id = $1",
    [sessionId],
  );
  return Number(rows[0]?.ms ?? Number.NaN);
}

/** Pages every 700 ms until `deadline`: every answer that came back before it must be a 200. */
async function activeUntil(app: AppInstance, jar: Jar, deadline: number): Promise<number> {
  let within = 0;
  while (Date.now() < deadline - 300) {
    const status = (await hit(app.url, "/dashboard", jar)).status;
    if (Date.now() >= deadline) break;
    assert.equal(status, 200, "active within the absolute deadline");
    within += 1;
    await sleep(700);
  }
  return within;
}

describe("absoluteFrom with real Kratos (two instances, 10 s absolute)", () => {
  before(async () => {
    db = await scratchDatabase("app_it_absolute_from");
    const env = { DATABASE_URL: db.url };
    [signInApp, lastAuthApp] = await Promise.all([
      startApp({ port: extraAppPort(1), policy: { ...POLICY, absoluteFrom: "sign-in" }, env }),
      startApp({ port: extraAppPort(2), policy: { ...POLICY, absoluteFrom: "last-authentication" }, env }),
    ]);
  });
  after(async () => {
    await Promise.all([signInApp?.stop(), lastAuthApp?.stop()]);
    await db?.drop();
  });

  it("a refresh login keeps the session id and Kratos' issued_at, and moves authenticated_at and expires_at", async () => {
    const { signedIn, refreshed } = await signInThenRefresh(signInApp, 1_500);
    assert.equal(refreshed.id, signedIn.id);
    assert.equal(refreshed.issuedAt, signedIn.issuedAt, "issued_at stays at the session's creation");
    assert.ok(refreshed.authenticatedAt >= signedIn.authenticatedAt + 1_500, "authenticated_at moved");
    assert.ok(refreshed.expiresAt >= signedIn.expiresAt + 1_500, "Kratos' own expiry moved with it");
  });

  it('"sign-in": after a refresh the session still ends at sign-in + absolute (gate, status answer, row)', async () => {
    const { jar, cookie, signedIn } = await signInThenRefresh(signInApp, 3_000);
    const deadline = signedIn.issuedAt + ABSOLUTE_MS;
    const status = await statusDeadline(signInApp, jar);
    assert.equal(status.absoluteExpiresAt, deadline, "the browser's absolute warning names sign-in + absolute");
    assert.equal(status.absoluteFrom, "sign-in");
    assert.equal(await rowDeadline(signedIn.id), deadline, "the sweeper's row names the same deadline");
    const within = await activeUntil(signInApp, jar, deadline);
    assert.ok(within >= 3, `only ${within} answers came back before the deadline: the machine was too busy`);
    await sleep(Math.max(0, deadline + 1_000 - Date.now()));
    const ended = await hit(signInApp.url, "/dashboard", jar);
    assert.equal(ended.status, 303);
    assert.equal(new URL(ended.location ?? "", signInApp.url).searchParams.get("reason"), "absolute");
    assert.equal(await whoamiStatus(cookie), 401, "revoked in Kratos, although Kratos' own expiry is hours away");
    const rows = await eventually(async () => {
      const r = await auditRows(db.pool, signedIn.id);
      return r.length ? r : undefined;
    }, 5_000);
    assert.deepEqual(
      rows.map((r) => r.event_type),
      ["session_expired_absolute"],
    );
  });

  it('"last-authentication": the refresh restarts it; past sign-in + absolute the session goes on', async () => {
    const { jar, cookie, signedIn, refreshed } = await signInThenRefresh(lastAuthApp, 3_000);
    const deadline = refreshed.authenticatedAt + ABSOLUTE_MS;
    assert.equal((await statusDeadline(lastAuthApp, jar)).absoluteExpiresAt, deadline);
    await sleep(Math.max(0, signedIn.issuedAt + ABSOLUTE_MS + 1_000 - Date.now()));
    assert.equal((await hit(lastAuthApp.url, "/dashboard", jar)).status, 200, "sign-in + absolute has passed");
    await activeUntil(lastAuthApp, jar, deadline);
    await sleep(Math.max(0, deadline + 1_000 - Date.now()));
    const ended = await hit(lastAuthApp.url, "/dashboard", jar);
    assert.equal(new URL(ended.location ?? "", lastAuthApp.url).searchParams.get("reason"), "absolute");
    assert.equal(await whoamiStatus(cookie), 401);
  });

  for (const mode of ["sign-in", "last-authentication"] as const) {
    it(`${mode}: a browser that never comes back after the refresh is ended by the sweeper at its deadline`, async () => {
      const app = mode === "sign-in" ? signInApp : lastAuthApp;
      // The refresh comes 3 s after the first page, well within the row's 30 s write throttle.
      const { cookie, signedIn, refreshed } = await signInThenRefresh(app, 3_000);
      const deadline = (mode === "sign-in" ? signedIn.issuedAt : refreshed.authenticatedAt) + ABSOLUTE_MS;
      await eventually(async () => ((await rowDeadline(signedIn.id)) === deadline ? true : undefined), 3_000);
      if (mode === "last-authentication") {
        await sleep(Math.max(0, signedIn.issuedAt + ABSOLUTE_MS + 1_500 - Date.now()));
        assert.equal(await whoamiStatus(cookie), 200, "not ended at the first sign-in's deadline");
      }
      await sleep(Math.max(0, deadline - 500 - Date.now()));
      assert.equal(await whoamiStatus(cookie), 200, "alive just before the deadline");
      await eventually(async () => ((await whoamiStatus(cookie)) === 401 ? true : undefined), 5_000);
      assert.ok(Date.now() >= deadline, "never before the deadline");
      const rows = await eventually(async () => {
        const r = await auditRows(db.pool, signedIn.id);
        return r.length ? r : undefined;
      }, 5_000);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.event_type, "session_expired_absolute");
      assert.equal(rows[0]?.metadata.detected_by, "sweeper");
    });
  }
});
