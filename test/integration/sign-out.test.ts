/**
 * Sign-out never lies (issue 13, item 4): `signed_out` is written and the server record ended only after
 * Kratos confirmed the revocation; when Kratos is unreachable or refuses, the user is told they are still
 * signed in, nothing is recorded, and the record stays open so the sweeper still revokes the session.
 *
 * Own app instance (APP_PORT + 2, its own database, sweeper on) talking to a second Kratos (same database
 * and secrets as the run's) through things the test can cut:
 * - "unreachable": the app reaches that Kratos' public and admin ports through TCP pass-throughs;
 * - "refusing": that Kratos reaches PostgreSQL through a pass-through, so it is up but answers errors.
 * The sessions are made by the run's Kratos; the run's Kratos is also the witness (whoami).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import {
  extraAppPort,
  extraKratosPorts,
  kratosInstance,
  startApp,
  type AppInstance,
  type KratosInstance,
} from "../helpers/processes";
import { serverActions } from "../helpers/server-actions";
import { auditRows, createUser, scratchDatabase, sessionIdOf, signIn, whoamiStatus } from "../helpers/stack";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

const IDLE_S = 10;
const POLICY = {
  idleDesktopSeconds: IDLE_S,
  idleMobileSeconds: IDLE_S,
  warningSeconds: 20,
  // The signed record is trusted this long without asking Kratos, so a sign-out posted while Kratos is cut
  // reaches the action (with a short one the gate answers 503 first, and nothing runs at all).
  revalidateSeconds: 60,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};
// The sweeper revokes at the idle deadline plus its slack (activityWriteSeconds), on its next pass.
const SWEEP_BOUND_MS = (IDLE_S + 1 + 1) * 1000 + 8_000;
const NOT_SIGNED_OUT = /could not sign you out/;

let app: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;
let kratos: KratosInstance;
let kratosPublic: TcpProxy;
let kratosAdmin: TcpProxy;
let kratosDatabase: TcpProxy;

interface Session {
  jar: Jar;
  sessionId: string;
  cookie: string;
}

/** Signed in, one page seen, its server record written. */
async function liveSession(): Promise<Session> {
  const cookie = await signIn(await createUser());
  const jar = new Jar(cookie);
  const sessionId = await sessionIdOf(cookie);
  assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
  await eventually(async () => ((await activityRow(sessionId)) ? true : undefined), 5_000);
  return { jar, sessionId, cookie };
}

async function activityRow(sessionId: string): Promise<{ ended: boolean; end_reason: string | null } | undefined> {
  const { rows } = await db.pool.query<{ ended: boolean; end_reason: string | null }>(
    "SELECT ended_at IS NOT NULL AS ended, end_reason FROM session_activity WHERE session_id = $1",
    [sessionId],
  );
  return rows[0];
}

/** The header's "Sign out" as a browser posts it (server action on /dashboard). */
async function postSignOut(jar: Jar): Promise<{ status: number; redirect: string | null; body: string }> {
  const action = serverActions().find((a) => a.name === "signOut");
  assert.ok(action, "the signOut action is in the build");
  const response = await fetch(`${app.url}/dashboard`, {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie: jar.header(),
      "next-action": action.id,
      origin: new URL(app.url).origin,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    body: "[]",
  });
  jar.absorb(response);
  return { status: response.status, redirect: response.headers.get("x-action-redirect"), body: await response.text() };
}

/** Nothing recorded, the record open, the session alive in Kratos. */
async function assertNothingClaimed(s: Session): Promise<void> {
  await sleep(1_500); // longer than the outbox needs to write a queued row
  assert.deepEqual(
    (await auditRows(db.pool, s.sessionId)).map((r) => r.event_type),
    [],
    "no audit row",
  );
  assert.deepEqual(await activityRow(s.sessionId), { ended: false, end_reason: null }, "the server record stays open");
  assert.equal(await whoamiStatus(s.cookie), 200, "still signed in in Kratos");
}

/** Kratos is back: the sweeper revokes the session at its idle deadline, recorded as that, not as a sign-out. */
async function assertSweptLater(s: Session): Promise<void> {
  await eventually(async () => ((await whoamiStatus(s.cookie)) === 401 ? true : undefined), SWEEP_BOUND_MS, 500);
  const rows = await eventually(async () => {
    const r = await auditRows(db.pool, s.sessionId);
    return r.length > 0 ? r : undefined;
  }, 5_000);
  await sleep(500);
  assert.deepEqual(
    (await auditRows(db.pool, s.sessionId)).map((r) => r.event_type),
    ["session_expired_idle"],
  );
  assert.equal(rows[0]?.metadata.detected_by, "sweeper");
}

function assertToldStillSignedIn(r: { status: number; redirect: string | null; body: string }): void {
  assert.equal(r.status, 200, `a page with a message, not an error (${r.status})`);
  assert.equal(r.redirect, null, "not sent to the signed-out page");
  assert.match(r.body, NOT_SIGNED_OUT);
  assert.match(r.body, /You are still signed in/);
}

describe("sign-out never lies", () => {
  before(async () => {
    db = await scratchDatabase(`app_it_signout_${process.env.APP_PORT ?? "test"}`);
    const pg = new URL(process.env.KRATOS_DSN ?? "");
    assert.ok(pg.port, "KRATOS_DSN is set (source .stack/<name>/env)");
    kratosDatabase = await tcpProxy(Number(pg.port), pg.hostname);
    pg.hostname = "127.0.0.1";
    pg.port = String(kratosDatabase.port);
    const { publicPort, adminPort } = extraKratosPorts();
    kratos = kratosInstance(publicPort, adminPort, `http://localhost:${extraAppPort(2)}`, {
      KRATOS_DSN: pg.toString(),
    });
    await kratos.start();
    kratosPublic = await tcpProxy(publicPort);
    kratosAdmin = await tcpProxy(adminPort);
    app = await startApp({
      port: extraAppPort(2),
      policy: POLICY,
      env: {
        DATABASE_URL: db.url,
        KRATOS_PUBLIC_INTERNAL_URL: `http://127.0.0.1:${kratosPublic.port}`,
        KRATOS_ADMIN_URL: `http://127.0.0.1:${kratosAdmin.port}`,
      },
    });
  });
  after(async () => {
    await app?.stop();
    await kratos?.stop();
    for (const proxy of [kratosPublic, kratosAdmin, kratosDatabase]) await proxy?.close();
    await db?.drop();
  });

  it("Kratos confirms: inactive in Kratos by the answer; exactly one signed_out row (double click too)", async () => {
    const s = await liveSession();
    const answers = await Promise.all([postSignOut(new Jar(s.cookie)), postSignOut(new Jar(s.cookie))]);
    for (const a of answers)
      assert.match(a.redirect ?? "", /^\/signed-out\?reason=manual(;|$)/, `${a.status} ${a.redirect}`);
    assert.equal(await whoamiStatus(s.cookie), 401, "revoked in Kratos before the browser goes anywhere");
    await eventually(async () => ((await auditRows(db.pool, s.sessionId)).length > 0 ? true : undefined), 5_000);
    await sleep(1_000);
    assert.deepEqual(
      (await auditRows(db.pool, s.sessionId)).map((r) => r.event_type),
      ["signed_out"],
    );
    assert.deepEqual(await activityRow(s.sessionId), { ended: true, end_reason: "manual" });
  });

  it("Kratos unreachable: told still signed in, nothing recorded; once it is back the sweeper revokes it", async () => {
    const s = await liveSession();
    await Promise.all([kratosPublic.stop(), kratosAdmin.stop()]);
    try {
      assertToldStillSignedIn(await postSignOut(s.jar));
      await assertNothingClaimed(s);
    } finally {
      await Promise.all([kratosPublic.start(), kratosAdmin.start()]);
    }
    await assertSweptLater(s);
  });

  it("Kratos unreachable, then back: signing out again works, with exactly one signed_out row", async () => {
    const s = await liveSession();
    await Promise.all([kratosPublic.stop(), kratosAdmin.stop()]);
    try {
      assertToldStillSignedIn(await postSignOut(s.jar));
    } finally {
      await Promise.all([kratosPublic.start(), kratosAdmin.start()]);
    }
    const retry = await postSignOut(s.jar);
    assert.match(retry.redirect ?? "", /^\/signed-out\?reason=manual/);
    assert.equal(await whoamiStatus(s.cookie), 401);
    await eventually(async () => ((await auditRows(db.pool, s.sessionId)).length > 0 ? true : undefined), 5_000);
    await sleep(1_000);
    assert.deepEqual(
      (await auditRows(db.pool, s.sessionId)).map((r) => r.event_type),
      ["signed_out"],
    );
  });

  it("Kratos refusing (its DB cut): told still signed in, nothing recorded; the sweeper revokes it later", async () => {
    const s = await liveSession();
    await kratosDatabase.stop();
    try {
      assertToldStillSignedIn(await postSignOut(s.jar));
      await assertNothingClaimed(s);
    } finally {
      await kratosDatabase.start();
    }
    await assertSweptLater(s);
  });
});
