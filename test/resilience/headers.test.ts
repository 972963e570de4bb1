/**
 * Security headers on every kind of response, against the running stack (issue 7):
 * - pages, redirects and the 503 page (the gate) carry the nonce CSP, nosniff, Referrer-Policy,
 *   Permissions-Policy; JSON from the gate, /api/upload and static files (never a page) the static set;
 * - script-src has a nonce, no 'unsafe-inline', a new nonce per response, and every <script> of a page
 *   carries exactly that nonce (which proves the page was rendered per request, not prerendered);
 * - the activity cookie is HttpOnly, SameSite=Lax, Path=/ and, in production, Secure;
 * - HSTS only with an https APP_URL: an extra app instance (same production build) with an https APP_URL
 *   must send it, the stack (http) must not. That instance reaches Kratos through a TCP pass-through that
 *   the test cuts for the 503 page.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { reportFigure } from "../helpers/figures";
import { Jar, hit, type Hit } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { APP_URL, KRATOS_PUBLIC_URL, createUser, signIn } from "../helpers/stack";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

const COMMON = [
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
  "permissions-policy",
  "x-frame-options",
];

interface Checked {
  what: string;
  missing: string[];
}
const checked: Checked[] = [];
const nonces: string[] = [];
let scriptsChecked = 0;

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name ?? "", values];
    }),
  );
}

/** Asserts the headers every response must have, and records the response for the figures. */
function expectCommon(what: string, r: Hit): Map<string, string[]> {
  const missing = COMMON.filter((h) => !r.headers.get(h));
  checked.push({ what, missing });
  assert.deepEqual(missing, [], `${what}: missing ${missing.join(", ")}`);
  assert.equal(r.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(r.headers.get("referrer-policy"), "strict-origin-when-cross-origin", what);
  assert.match(r.headers.get("permissions-policy") ?? "", /(^|, )camera=\(\), .*microphone=\(\)/, what);
  assert.match(r.headers.get("permissions-policy") ?? "", /(^|, )geolocation=\(\)/, what);
  const csp = r.headers.get("content-security-policy") ?? "";
  assert.ok(!csp.includes(","), `${what}: exactly one CSP (two headers would be joined with a comma): ${csp}`);
  const d = directives(csp);
  assert.deepEqual(d.get("frame-ancestors"), ["'none'"], `${what}: ${csp}`);
  return d;
}

/** The gate's CSP: a fresh nonce, strict-dynamic, no 'unsafe-inline' for scripts. Returns the nonce. */
function expectPageCsp(what: string, r: Hit): string {
  const d = expectCommon(what, r);
  const script = d.get("script-src") ?? [];
  const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(script.find((s) => s.startsWith("'nonce-")) ?? "")?.[1];
  assert.ok(nonce, `${what}: no nonce in script-src ${script.join(" ")}`);
  assert.ok(script.includes("'strict-dynamic'"), `${what}: ${script.join(" ")}`);
  assert.ok(!script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'"), `${what}: ${script.join(" ")}`);
  assert.deepEqual(d.get("object-src"), ["'none'"]);
  assert.deepEqual(d.get("base-uri"), ["'self'"]);
  assert.deepEqual(
    d.get("form-action"),
    ["'self'", new URL(KRATOS_PUBLIC_URL).origin],
    `${what}: Kratos' forms must be allowed`,
  );
  assert.ok(!nonces.includes(nonce), `${what}: nonce ${nonce} was already used by another response`);
  nonces.push(nonce);
  return nonce;
}

/** Every <script> of an HTML page carries the response's nonce (Next stamps it while rendering). */
function expectScriptsNonced(what: string, r: Hit, nonce: string): void {
  assert.match(r.headers.get("content-type") ?? "", /text\/html/, what);
  const scripts = [...r.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.ok(scripts.length > 0, `${what}: no <script> tags`);
  for (const tag of scripts) assert.ok(tag.includes(` nonce="${nonce}"`), `${what}: ${tag} lacks nonce ${nonce}`);
  scriptsChecked += scripts.length;
}

function expectStaticCsp(what: string, r: Hit): void {
  const d = expectCommon(what, r);
  assert.deepEqual(d.get("default-src"), ["'none'"], what);
}

/** A Kratos browser flow the way a browser starts it: the flow id and the CSRF cookie. */
async function startFlow(kind: "login" | "registration" | "settings", jar: Jar): Promise<string> {
  const r = await hit(KRATOS_PUBLIC_URL, `/self-service/${kind}/browser`, jar);
  const flow = new URL(r.location ?? "", APP_URL).searchParams.get("flow");
  assert.ok(flow, `Kratos did not start a ${kind} flow: ${r.status} ${r.location}`);
  return flow;
}

describe("security headers on the stack (http APP_URL, production build)", () => {
  let cookie: string;
  before(async () => {
    cookie = await signIn(await createUser());
  });

  it("public pages: /signed-out, /login and /registration with a flow, /error", async () => {
    const anon = new Jar();
    for (const path of [
      "/signed-out?reason=idle",
      `/login?flow=${await startFlow("login", anon)}`,
      `/registration?flow=${await startFlow("registration", anon)}`,
      "/error",
    ]) {
      const r = await hit(APP_URL, path, anon);
      assert.equal(r.status, 200, `${path}: ${r.status} ${r.location}`);
      expectScriptsNonced(path, r, expectPageCsp(path, r));
    }
  });

  const pagesTitle =
    "signed-in pages, the 403 and the 404 page: nonce on every script; " +
    "the activity cookie HttpOnly, SameSite=Lax, Path=/, Secure";
  it(pagesTitle, async () => {
    const jar = new Jar(cookie);
    const pages: [string, number][] = [
      ["/dashboard", 200],
      ["/billing", 200],
      ["/settings?flow=", 200],
      ["/dashboard/upload", 200],
      ["/admin", 403],
      ["/no-such-page", 404],
    ];
    for (const [page, status] of pages) {
      // /settings needs a Kratos settings flow, started the way the browser does (with the session cookie).
      const path = page === "/settings?flow=" ? `/settings?flow=${await startFlow("settings", jar)}` : page;
      const r = await hit(APP_URL, path, jar);
      assert.equal(r.status, status, `${path}: ${r.status} ${r.location}`);
      expectScriptsNonced(path, r, expectPageCsp(path, r));
      const set = r.headers.getSetCookie().find((c) => c.startsWith("idle_act="));
      assert.ok(set, `${path}: the gate re-issues the activity record`);
      const attrs = set
        .split(";")
        .slice(1)
        .map((a) => a.trim().toLowerCase());
      for (const a of ["httponly", "samesite=lax", "path=/", "secure"])
        assert.ok(attrs.includes(a), `${path}: idle_act lacks ${a}: ${set}`);
      assert.equal(r.headers.get("strict-transport-security"), null, "no HSTS for an http APP_URL");
    }
  });

  it("redirects and JSON from the gate, and the home page's redirect", async () => {
    const anon = new Jar();
    const toLogin = await hit(APP_URL, "/dashboard", anon);
    assert.equal(toLogin.status, 303);
    expectPageCsp("redirect to sign-in", toLogin);
    const api = await hit(APP_URL, "/api/session", anon);
    assert.equal(api.status, 401);
    assert.match(api.headers.get("content-type") ?? "", /application\/json/);
    expectStaticCsp("JSON 401", api);
    const home = await hit(APP_URL, "/", new Jar(cookie));
    assert.ok([303, 307, 308].includes(home.status), `home: ${home.status}`);
    expectPageCsp("home redirect", home);
  });

  it("outside the matcher: /api/upload and a static file get the static set", async () => {
    const upload = await hit(APP_URL, "/api/upload", new Jar(), { method: "POST", body: "x" });
    assert.equal(upload.status, 401);
    expectStaticCsp("/api/upload", upload);
    const page = await hit(APP_URL, "/signed-out", new Jar());
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page.body)?.[1];
    assert.ok(asset, "a script under /_next/static on the page");
    const r = await hit(APP_URL, asset, new Jar());
    assert.equal(r.status, 200);
    expectStaticCsp(asset, r);
  });
});

describe("production with an https APP_URL (extra app instance, same build)", () => {
  let kratos: TcpProxy;
  let app: AppInstance;
  before(async () => {
    kratos = await tcpProxy(Number(new URL(KRATOS_PUBLIC_URL).port));
    const port = extraAppPort(7);
    app = await startApp({
      port,
      policy: { revalidateSeconds: 1 },
      // The browser-facing URL is https (as behind a TLS-terminating proxy); the test talks http to the port.
      env: {
        APP_URL: `https://localhost:${port}`,
        KRATOS_PUBLIC_INTERNAL_URL: `http://127.0.0.1:${kratos.port}`,
        SWEEPER_ENABLED: "false",
      },
    });
  });
  after(async () => {
    await app?.stop();
    await kratos?.close();
  });

  it("HSTS on pages, redirects and JSON; the activity cookie Secure; the 503 page once Kratos is cut", async () => {
    const cookie = await signIn(await createUser());
    const jar = new Jar(cookie);
    const page = await hit(app.url, "/dashboard", jar);
    assert.equal(page.status, 200, `${page.status} ${page.location}`);
    expectScriptsNonced("https: /dashboard", page, expectPageCsp("https: /dashboard", page));
    assert.match(page.headers.get("content-security-policy") ?? "", /upgrade-insecure-requests/);
    const set = page.headers.getSetCookie().find((c) => c.startsWith("idle_act=")) ?? "";
    assert.match(set, /;\s*Secure/i, set);
    assert.match(set, /;\s*HttpOnly/i, set);
    for (const [what, r] of [
      ["https: /dashboard", page],
      ["https: redirect", await hit(app.url, "/dashboard", new Jar())],
      ["https: JSON 401", await hit(app.url, "/api/session", new Jar())],
    ] as const) {
      expectCommon(what, r);
      assert.match(r.headers.get("strict-transport-security") ?? "", /^max-age=\d{8,}$/, `${what}: HSTS`);
    }

    await kratos.stop();
    // Only the Kratos cookie: the gate must ask Kratos, which it cannot reach (fail closed: 503).
    const down = await hit(app.url, "/dashboard", new Jar(cookie));
    assert.equal(down.status, 503, `${down.status} ${down.location}`);
    assert.match(down.body, /Sign-in service unavailable/);
    expectPageCsp("https: 503 page", down);
    assert.match(down.headers.get("strict-transport-security") ?? "", /^max-age=/);
    const downApi = await hit(app.url, "/api/session", new Jar(cookie));
    assert.equal(downApi.status, 503);
    expectStaticCsp("https: JSON 503", downApi);
  });
});

after(() => {
  reportFigure("headers", "responses checked", checked.length);
  reportFigure(
    "headers",
    "missing headers",
    checked.reduce((n, c) => n + c.missing.length, 0),
  );
  reportFigure("headers", "nonces (distinct / responses with a nonce)", `${new Set(nonces).size} / ${nonces.length}`);
  reportFigure("headers", "<script> tags checked (all with the nonce)", scriptsChecked);
});
