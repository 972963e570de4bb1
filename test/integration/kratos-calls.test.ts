/**
 * The gate asks Kratos at most once per revalidation interval per session, not on every request:
 * counted through a pass-through in front of the real Kratos, under steady browsing (1 request/s).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Jar, hit, sleep } from "../helpers/http";
import { countingProxy, type CountingProxy } from "../helpers/counting-proxy";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { KRATOS_PUBLIC_URL, createUser, scratchDatabase, signIn } from "../helpers/stack";

const SESSIONS = 5;
const SECONDS = 31;
const REVALIDATE = 15;

describe("Kratos calls under steady browsing", () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let proxy: CountingProxy;
  let app: AppInstance;

  before(async () => {
    db = await scratchDatabase("app_it_calls");
    proxy = await countingProxy(KRATOS_PUBLIC_URL);
    app = await startApp({
      port: extraAppPort(6),
      policy: { revalidateSeconds: REVALIDATE },
      env: { DATABASE_URL: db.url, KRATOS_PUBLIC_INTERNAL_URL: proxy.url },
    });
  });
  after(async () => {
    await app?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it(`whoami at most once per ${REVALIDATE} s per session (${SESSIONS} sessions, 1 req/s, ${SECONDS} s)`, async () => {
    const jars = await Promise.all(
      Array.from({ length: SESSIONS }, async () => new Jar(await signIn(await createUser()))),
    );
    proxy.reset();
    const started = Date.now();
    let requests = 0;
    const pages = ["/dashboard", "/billing", "/settings", "/dashboard"];
    while (Date.now() - started < SECONDS * 1000) {
      const tick = Date.now();
      await Promise.all(
        jars.map(async (jar, i) => {
          const page = pages[(requests + i) % pages.length]!;
          const response = await hit(app.url, page === "/settings" ? "/api/session" : page, jar);
          assert.ok(response.status === 200, `status ${response.status} ${response.location}`);
        }),
      );
      requests += 1;
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
    const elapsedMin = (Date.now() - started) / 60_000;
    const whoami = proxy.count("/sessions/whoami");
    const perSessionPerMinute = whoami / SESSIONS / elapsedMin;
    console.log(
      `# whoami calls: ${whoami} for ${SESSIONS} sessions x ${requests} requests -> ` +
        `${perSessionPerMinute.toFixed(2)} per session per minute (revalidate ${REVALIDATE} s)`,
    );
    // First check at t=0, then one per interval: ceil(elapsed / interval) + 1 at most per session.
    const bound = Math.ceil((SECONDS + 1) / REVALIDATE) + 1;
    assert.ok(whoami <= SESSIONS * bound, `${whoami} > ${SESSIONS * bound}`);
    assert.ok(whoami >= SESSIONS * 2, "Kratos is asked again after the interval (revocations are noticed)");
  });
});
