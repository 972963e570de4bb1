/**
 * The gate's signed internal channel and the health endpoint on a running app (issue 13, smaller items):
 * - /api/health answers liveness only in public; the outbox backlog only to a signed request;
 * - a signed request is accepted once: the same header again is refused (nonce remembered for the window);
 * - parameters (the Kratos session id) are refused in the URL: they travel in the signed header;
 * - by default the gate reaches its own Node side on loopback, not through the public origin: an instance
 *   whose APP_URL leads nowhere (as a public origin seen from inside often does) still gets the server's
 *   last activity when the browser's record is gone.
 * Own instance and database (APP_PORT + 2, sweeper off), started without APP_INTERNAL_URL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeRecord } from "../../lib/session/activity-record";
import { signInternal } from "../../lib/session/internal-channel";
import { reportFigure } from "../helpers/figures";
import { Jar, eventually, hit, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { signInMany } from "../helpers/sessions";
import { scratchDatabase } from "../helpers/stack";

const SUITE = "internal-channel";
const SECRET = process.env.SESSION_SECRET ?? "";
const POLICY = {
  idleDesktopSeconds: 300,
  idleMobileSeconds: 300,
  warningSeconds: 20,
  revalidateSeconds: 5,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};

let app: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;

function signedGet(
  path: string,
  query = "",
  header = signInternal(SECRET, "GET", `${path}${query ? `?${query}` : ""}`, ""),
) {
  return fetch(`${app.url}${path}`, {
    headers: { "x-internal-auth": header, ...(query ? { "x-internal-query": query } : {}) },
  });
}

describe("internal channel and health on a running app", () => {
  before(async () => {
    assert.ok(SECRET.length >= 32, "SESSION_SECRET must be set (source .stack/<name>/env)");
    db = await scratchDatabase(`app_rs_internal_${process.env.APP_PORT ?? "test"}`);
    // APP_URL leads nowhere (port 1 refuses connections); APP_INTERNAL_URL unset: the default must not use it.
    app = await startApp({
      port: extraAppPort(2),
      policy: POLICY,
      env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false", APP_URL: "http://localhost:1", APP_INTERNAL_URL: "" },
    });
  });
  after(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("/api/health: liveness only in public; the backlog only to a signed request, each signature once", async () => {
    const open = await fetch(`${app.url}/api/health`);
    assert.equal(open.status, 200);
    assert.deepEqual(await open.json(), { ok: true });

    const header = signInternal(SECRET, "GET", "/api/health", "");
    const signed = await signedGet("/api/health", "", header);
    assert.equal(signed.status, 200);
    const body = (await signed.json()) as { ok: boolean; outbox?: { pending: number } };
    assert.equal(typeof body.outbox?.pending, "number");

    const replay = await signedGet("/api/health", "", header);
    assert.equal(replay.status, 403);
    assert.equal(((await replay.json()) as { error: string }).error, "replayed");
    const forged = await signedGet("/api/health", "", `${header.slice(0, -1)}A`);
    assert.equal(forged.status, 403);
  });

  it("/api/internal/activity: sid in the signed header 200, a replay 403, sid in the URL 400", async () => {
    const [session] = await signInMany(1);
    const jar = new Jar(session!.cookie);
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const query = `sid=${session!.sessionId}`;
    await eventually(
      async () => ((await signedGet("/api/internal/activity", query)).status === 200 ? true : undefined),
      5_000,
    );

    const header = signInternal(SECRET, "GET", `/api/internal/activity?${query}`, "");
    const first = await signedGet("/api/internal/activity", query, header);
    assert.equal(first.status, 200);
    assert.equal(typeof ((await first.json()) as { lastActivityAt: number }).lastActivityAt, "number");
    const again = await signedGet("/api/internal/activity", query, header);
    assert.equal(again.status, 403, "the same signed request twice");

    // The old shape: the session id in the URL, correctly signed over it.
    const inUrl = await fetch(`${app.url}/api/internal/activity?${query}`, {
      headers: { "x-internal-auth": signInternal(SECRET, "GET", `/api/internal/activity?${query}`, "") },
    });
    assert.equal(inUrl.status, 400);
    assert.equal(((await inUrl.json()) as { error: string }).error, "query_in_url");

    const events = JSON.stringify({ type: "nope" });
    const post = (h: string) =>
      fetch(`${app.url}/api/internal/events`, {
        method: "POST",
        headers: { "x-internal-auth": h, "content-type": "application/json" },
        body: events,
      });
    const eventHeader = signInternal(SECRET, "POST", "/api/internal/events", events);
    assert.equal((await post(eventHeader)).status, 400, "signed, then judged on its body");
    assert.equal((await post(eventHeader)).status, 403, "the same signed request twice");
    reportFigure(SUITE, "signed requests replayed / accepted", "4 / 0");
  });

  it("the gate reaches its own Node side on loopback by default (APP_URL leads nowhere)", async () => {
    const [session] = await signInMany(1);
    const jar = new Jar(session!.cookie);
    await sleep(1_500); // activity now is clearly later than the sign-in
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);
    const stored = await eventually(async () => {
      const { rows } = await db.pool.query<{ la: string }>(
        `SELECT (extract(epoch FROM last_activity_at) * 1000)::bigint AS la
           FROM session_activity WHERE session_id = $1`,
        [session!.sessionId],
      );
      return rows[0] ? Number(rows[0].la) : undefined;
    }, 5_000);
    // The browser's record is gone: the gate asks the Node side over the internal channel for the last
    // activity and re-issues the record with it. Without the channel it would count from the sign-in.
    jar.delete("idle_act");
    const poll = await hit(app.url, "/api/session", jar);
    assert.equal(poll.status, 200);
    const record = decodeRecord(jar.get("idle_act"), SECRET);
    assert.equal(record.status, "valid", "the gate re-issued the record");
    if (record.status !== "valid") return;
    assert.ok(
      record.record.lastActivityAt > record.record.authenticatedAt,
      `last activity ${record.record.lastActivityAt} is later than the sign-in ${record.record.authenticatedAt}`,
    );
    assert.equal(record.record.lastActivityAt, stored, "the server's last activity, fetched over the channel");
    assert.doesNotMatch(app.logs(), /\[gate\] audit report (refused|failed)/);
  });
});
