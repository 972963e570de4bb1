/**
 * Walking away across two instances: the last activity is served by one instance, the expiry is decided by
 * the other (Caddy names the instance that answered in X-Upstream; round robin sends consecutive requests
 * to different instances). The signed activity record and the shared table carry the state between them:
 * the deciding instance ends the session in Kratos (whoami 401) and writes exactly one audit row.
 */
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expect, register, test } from "../fixtures";
import { reportFigure } from "../../test/helpers/figures";
import { sleep } from "../../test/helpers/http";
import { POLICY, pool, upstreamOf, whoami } from "./stack";

const upstream = (r: APIResponse) => r.headers()["x-upstream"];

/** A request that is never activity, to move Caddy's round robin on until `last` was the last one served. */
async function lastServedBy(request: APIRequestContext, last: string): Promise<void> {
  for (let i = 0; i < 4; i++) if (upstream(await request.get("/api/health")) === last) return;
  throw new Error(`no health answer from ${last}`);
}

test("activity on one instance, the idle expiry decided by the other: revoked in Kratos, one audit row", async ({
  page,
  context,
  account,
}) => {
  await register(page, account);
  const cookie = (await context.cookies()).find((c) => c.name === "ory_kratos_session");
  const kratosCookie = `ory_kratos_session=${cookie!.value}`;
  const sessionId = (await whoami(kratosCookie)).id!;
  await page.close(); // walking away: no tab keeps sending heartbeats
  // Past the activity-write interval, so the next page view is written to the table at once (the sweeper's
  // view is then exact, and its slack leaves the decision to the gate).
  await sleep(POLICY.activityWriteSeconds * 1000 + 500);

  // The last activity: a page view, served by whichever instance is next.
  const request = context.request;
  const active = await request.get("/dashboard", { maxRedirects: 0 });
  expect(active.status()).toBe(200);
  const activeOn = upstream(active)!;
  const lastActivity = Date.now();
  const other = [upstreamOf(1), upstreamOf(2)].find((u) => u !== activeOn)!;

  // Idle past the budget, inside the sweeper's slack (activity-write interval), so the gate decides.
  await sleep(lastActivity + (POLICY.idleDesktopSeconds + 1.5) * 1000 - Date.now());
  await lastServedBy(request, activeOn);
  const expired = await request.get("/dashboard", { maxRedirects: 0 });
  const decidedOn = upstream(expired);
  const idleSeconds = (Date.now() - lastActivity) / 1000;

  reportFigure(
    "production",
    "walk away: activity on / expiry decided on",
    `${activeOn} / ${decidedOn} after ${idleSeconds.toFixed(1)} s idle`,
  );
  expect(decidedOn, "the expiry was decided by the other instance").toBe(other);
  expect(expired.status()).toBe(303);
  const location = new URL(expired.headers()["location"]!, "https://origin.invalid");
  expect(location.pathname).toBe("/signed-out");
  expect(location.searchParams.get("reason")).toBe("idle");
  expect((await whoami(kratosCookie)).status, "Kratos no longer accepts the old cookie").toBe(401);

  const db = pool();
  try {
    await sleep(2_000); // both sweepers pass again: a second end would show now
    const { rows } = await db.query<{ event_type: string; detected_by: string }>(
      "SELECT event_type, metadata->>'detected_by' AS detected_by FROM security_audit WHERE session_id = $1",
      [sessionId],
    );
    expect(rows, "exactly one audit row").toHaveLength(1);
    expect(rows[0]!.event_type).toBe("session_expired_idle");
    expect(rows[0]!.detected_by).not.toBe("sweeper");
  } finally {
    await db.end();
  }
});
