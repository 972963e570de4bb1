/**
 * Kratos unreachable when a check is due: fail closed with 503, never a sign-out (no audit row), never
 * signed in; when Kratos is back, the same session carries on. Uses a second Kratos (same database and
 * secrets) that this test can stop without disturbing the rest of the run.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, hit, sleep } from "../helpers/http";
import { extraAppPort, extraKratosPorts, kratosInstance, startApp, type AppInstance, type KratosInstance } from "../helpers/processes";
import { auditRows, createUser, scratchDatabase, sessionIdOf, signIn, whoamiStatus } from "../helpers/stack";

describe("Kratos outage", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let kratos: KratosInstance;
  let app: AppInstance;

  before(async () => {
    db = await scratchDatabase("app_it_outage");
    kratos = kratosInstance(extraKratosPorts().publicPort, extraKratosPorts().adminPort, `http://localhost:${extraAppPort(4)}`);
    await kratos.start();
    app = await startApp({
      port: extraAppPort(4),
      policy: { idleDesktopSeconds: 30, warningSeconds: 20, revalidateSeconds: 1, activityWriteSeconds: 1 },
      env: { DATABASE_URL: db.url, KRATOS_PUBLIC_INTERNAL_URL: kratos.publicUrl, KRATOS_ADMIN_URL: kratos.adminUrl },
    });
  });
  after(async () => {
    await app?.stop();
    await kratos?.stop();
    await db?.drop();
  });

  it("answers 503 (page and API) while Kratos is down, signs nobody out, and carries on after", async () => {
    const cookie = await signIn(await createUser());
    const sessionId = await sessionIdOf(cookie);
    const jar = new Jar(cookie);
    assert.equal((await hit(app.url, "/dashboard", jar)).status, 200);

    await kratos.stop();
    await sleep(1_200); // past the revalidation interval: the next request must ask Kratos
    const page = await hit(app.url, "/dashboard", jar);
    assert.equal(page.status, 503);
    assert.match(page.body, /Sign-in service unavailable/);
    assert.doesNotMatch(page.body, /Signed in as/);
    const api = await hit(app.url, "/api/session", jar);
    assert.equal(api.status, 503);
    assert.equal(JSON.parse(api.body).error, "auth_unavailable");
    assert.ok(jar.get("idle_act"), "the activity record was not cleared");
    assert.ok(jar.get("ory_kratos_session"), "the session cookie was not cleared");

    await kratos.start();
    const back = await hit(app.url, "/dashboard", jar);
    assert.equal(back.status, 200, "the same session carries on");
    assert.equal(await whoamiStatus(cookie), 200);
    assert.equal((await auditRows(db.pool, sessionId)).length, 0, "an outage is not an expiry");
  });
});
