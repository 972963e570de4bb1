/**
 * The login loop ends (issue 13, item 7). Kratos answers 403 (security_csrf_violation) for a browser flow
 * fetched without its anti-CSRF cookie; the pages used to read that as "start a new flow", so a client that
 * sends no cookies went /login?flow=… -> Kratos -> /login?flow=… forever, one new Kratos flow per lap.
 * Here a cookieless client follows every redirect (up to a cap) and must land on a 200 page that says what
 * is wrong, after a bounded number of hops and of Kratos flows (counted in Kratos' own tables, by a probe in
 * the flow's return_to). A browser that keeps cookies still gets its form after one restart.
 * (Settings flows are not fetched with a CSRF check: Kratos checks the session there, so they cannot loop.)
 * Runs against the stack's app (APP_URL) and Kratos.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { Jar } from "../helpers/http";
import { APP_URL, KRATOS_PUBLIC_URL } from "../helpers/stack";

const CAP = 25;
const COOKIES_OFF = /did not send the sign-in cookie/;

interface Walk {
  hops: string[];
  status: number;
  body: string;
}

/**
 * Follows redirects like a browser that never stores a cookie (`fixed` is sent as is on every request to
 * the app and Kratos), or like one that keeps them (`jar`).
 */
async function walk(start: string, opts: { fixed?: string; jar?: Jar } = {}): Promise<Walk> {
  const hops: string[] = [];
  let url = new URL(start, APP_URL).toString();
  for (let i = 0; i < CAP; i++) {
    const cookie = opts.jar ? opts.jar.header() : (opts.fixed ?? "");
    const response = await fetch(url, {
      redirect: "manual",
      headers: { accept: "text/html", ...(cookie ? { cookie } : {}) },
    });
    opts.jar?.absorb(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url).toString();
      hops.push(url);
      continue;
    }
    return { hops, status: response.status, body: await response.text() };
  }
  return { hops, status: 0, body: "" };
}

let kratosDb: pg.Pool;

async function flowsWith(table: string, probe: string): Promise<number> {
  const { rows } = await kratosDb.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE request_url LIKE $1`, [
    `%${probe}%`,
  ]);
  return Number(rows[0]?.n);
}

/** A flow id Kratos knows but this client has no cookie for (made by "another browser"). */
async function foreignFlow(kind: "login" | "registration"): Promise<string> {
  const response = await fetch(`${KRATOS_PUBLIC_URL}/self-service/${kind}/browser`, { redirect: "manual" });
  await response.body?.cancel();
  const flow = new URL(response.headers.get("location") ?? "", APP_URL).searchParams.get("flow");
  assert.ok(flow, `Kratos made a ${kind} flow`);
  return flow;
}

const cookieless = (w: Walk) => `${w.hops.length} hops: ${w.hops.slice(0, 6).join(" -> ")}`;

describe("a CSRF failure restarts a Kratos flow at most once", () => {
  before(() => {
    const dsn = process.env.KRATOS_DSN;
    assert.ok(dsn, "KRATOS_DSN is set (source .stack/<name>/env)");
    kratosDb = new pg.Pool({ connectionString: dsn, max: 2 });
  });
  after(async () => {
    await kratosDb?.end();
  });

  it("login: a client without cookies ends on a 200 page that says so, after at most one new Kratos flow", async () => {
    const probe = randomUUID();
    const w = await walk(`/login?return_to=${encodeURIComponent(`/dashboard?probe=${probe}`)}`);
    assert.equal(w.status, 200, `stopped: ${cookieless(w)}`);
    assert.match(w.body, COOKIES_OFF);
    assert.ok(w.hops.length <= 6, cookieless(w));
    assert.ok((await flowsWith("selfservice_login_flows", probe)) <= 1, "Kratos login flows created");
    assert.match(w.body, /href="\/login"/, "a link to try again");
  });

  it("login: a link to a flow this client has no cookie for (an <img> on another site) creates no flow", async () => {
    const w = await walk(`/login?flow=${await foreignFlow("login")}`);
    assert.equal(w.status, 200, `stopped: ${cookieless(w)}`);
    assert.match(w.body, COOKIES_OFF);
    assert.ok(w.hops.length <= 4, cookieless(w));
    assert.ok(
      w.hops.every((h) => !h.startsWith(KRATOS_PUBLIC_URL)),
      `went to Kratos: ${cookieless(w)}`,
    );
  });

  for (const kind of ["registration", "recovery", "verification"] as const) {
    it(`${kind}: the same`, async () => {
      const probe = randomUUID();
      const w = await walk(`/${kind}?return_to=${encodeURIComponent(`/dashboard?probe=${probe}`)}`);
      assert.equal(w.status, 200, `stopped: ${cookieless(w)}`);
      assert.match(w.body, COOKIES_OFF);
      assert.ok(w.hops.length <= 6, cookieless(w));
      assert.ok((await flowsWith(`selfservice_${kind}_flows`, probe)) <= 1, `Kratos ${kind} flows created`);
    });
  }

  it("a browser that keeps cookies and follows a stale flow link gets the form after one restart", async () => {
    const jar = new Jar();
    const w = await walk(`/login?flow=${await foreignFlow("login")}`, { jar });
    assert.equal(w.status, 200, `stopped: ${cookieless(w)}`);
    assert.doesNotMatch(w.body, COOKIES_OFF);
    assert.match(w.body, /name="identifier"/);
    assert.equal(
      w.hops.filter((h) => h.startsWith(`${KRATOS_PUBLIC_URL}/self-service/login/browser`)).length,
      1,
      cookieless(w),
    );
    // Within the marker's lifetime a second CSRF failure shows the page instead of restarting again: what
    // bounds a client that keeps the app's cookie but drops Kratos' one.
    const again = await walk(`/login?flow=${await foreignFlow("login")}`, { jar });
    assert.equal(again.status, 200);
    assert.match(again.body, COOKIES_OFF);
  });
});
