/**
 * Bad input (issue #7) on every route handler and server action: wrong types, missing and unknown fields,
 * invalid JSON, wrong content types, unexported methods, oversized bodies, foreign Origins. Each must get a
 * clear 4xx (JSON error/message or text) or, for an action, an "invalid" answer; no 5xx from a route;
 * nothing written (row counts of security_audit, session_activity, billing_details and ended sessions);
 * the app healthy afterwards.
 *
 * Routes are found on disk (app/**\/route.ts) and actions in the build's manifest, so a new route or
 * action without cases here fails this test. Own app instance and database (APP_PORT + 1, sweeper off).
 *
 * Oversized bodies: a route outside the middleware must answer 413 while the client is still sending
 * (it must not read the body). Next 16 holds every middleware-matched request until its whole body has
 * arrived (the Edge sandbox's finally { await body.finalize() }), so for those the 413 comes once the
 * body is in; the test checks it then and counts those routes as a figure (see the report of issue #7).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { matcherSource } from "../../lib/config/routes.js";
import { signInternal } from "../../lib/session/internal-channel";
import { reportFigure } from "../helpers/figures";
import { sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { serverActions } from "../helpers/server-actions";
import { createUser, scratchDatabase, signIn, whoamiStatus, type TestUser } from "../helpers/stack";

const SUITE = "bad-input";
const ROOT = path.resolve(import.meta.dirname, "../..");
const SECRET = process.env.SESSION_SECRET ?? "";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const POLICY = {
  idleDesktopSeconds: 300,
  idleMobileSeconds: 300,
  ceilings: [
    { prefix: "/billing", seconds: 300, label: "Billing" },
    { prefix: "/admin", seconds: 300, label: "Admin" },
  ],
  adminCapSeconds: 300,
  warningSeconds: 20,
  // A sensitive action that slipped through would stop at step-up (and write its audit row: detected).
  stepUpWindowSeconds: 1,
  revalidateSeconds: 5,
  activityWriteSeconds: 1,
  sweepIntervalSeconds: 1,
};
const MB = 1024 * 1024;

type Auth = "none" | "user" | "admin" | "internal";
interface Case {
  name: string;
  method: string;
  /** path and query; default: the route's path */
  url?: string;
  auth: Auth;
  headers?: Record<string, string>;
  body?: string;
  expect: number;
}

const json = { "content-type": "application/json" };
const SID_ZERO = { "x-internal-query": "sid=00000000-0000-4000-8000-000000000000" };
const HOOK = { ...json, "x-kratos-hook-secret": process.env.KRATOS_HOOK_SECRET ?? "" };
const HOOK_BODY = '{"identity_id":"00000000-0000-4000-8000-000000000000","idle_timeout_minutes":15}';
const jsonCase = (
  name: string,
  body: string,
  expect = 400,
  headers: Record<string, string> = json,
): Omit<Case, "method" | "auth"> => ({ name, body, expect, headers });

/** The inputs every JSON body route gets, plus its own (wrong types, missing and unknown fields). */
function jsonBattery(own: Omit<Case, "method" | "auth">[]): Omit<Case, "method" | "auth">[] {
  return [
    jsonCase("invalid JSON", "{"),
    jsonCase("JSON with a trailing comma", '{"reason":"heartbeat",}'),
    jsonCase("an array", "[]"),
    jsonCase("null", "null"),
    jsonCase("a number", "123"),
    jsonCase("a string", '"heartbeat"'),
    jsonCase("only an unknown field", '{"unknown":1}'),
    jsonCase("__proto__ pollution", '{"__proto__":{"admin":true}}'),
    jsonCase("constructor pollution", '{"constructor":{"prototype":{"admin":true}}}'),
    jsonCase("deeply nested", `${"[".repeat(400)}${"]".repeat(400)}`),
    jsonCase("binary garbage", "\u0000\u00ff\u00fe{\u0001"),
    jsonCase("text/plain", "{}", 415, { "content-type": "text/plain" }),
    jsonCase("form-encoded", "reason=heartbeat", 415, { "content-type": "application/x-www-form-urlencoded" }),
    jsonCase("multipart", "--x\r\n\r\n--x--", 415, { "content-type": "multipart/form-data; boundary=x" }),
    jsonCase(
      "8 KB of JSON (over the limit)",
      JSON.stringify({ paths: Array.from({ length: 400 }, () => "/dashboard/x") }),
      413,
    ),
    ...own,
  ];
}

const ADMIN_QUERY_CASES = (route: string): Omit<Case, "method" | "auth">[] => [
  { name: "unknown event type", url: `${route}?type=nope`, expect: 400 },
  { name: "user neither email nor id", url: `${route}?user=not-a-user`, expect: 400 },
  { name: "user given twice", url: `${route}?user=a@example.com&user=b@example.com`, expect: 400 },
  { name: "user 500 characters", url: `${route}?user=${"a".repeat(500)}`, expect: 400 },
  { name: "impossible date", url: `${route}?from=2031-02-30`, expect: 400 },
  { name: "from after to", url: `${route}?from=2031-06-12&to=2031-06-11`, expect: 400 },
  { name: "year 1999", url: `${route}?from=1999-01-01`, expect: 400 },
  { name: "SQL in a date", url: `${route}?from=${encodeURIComponent("2031-01-01' OR 1=1 --")}`, expect: 400 },
];

/** Bad inputs per route, by the route's URL path. A route found on disk without an entry fails the test. */
const ROUTES: Record<string, { auth: Auth; cases: Omit<Case, "auth">[] }> = {
  "/api/health": {
    // No input at all: junk in the query is ignored (200), never an error.
    auth: "none",
    cases: [
      { name: "junk query", method: "GET", url: "/api/health?x=%00&__proto__=1&a[b]=c", expect: 200 },
      // The backlog is private: a request that claims to be signed must be (issue 13).
      { name: "a garbage internal signature", method: "GET", headers: { "x-internal-auth": "1.abc" }, expect: 403 },
    ],
  },
  "/api/health/ready": {
    // Readiness takes no input: junk in the query and headers is ignored (200 on the healthy stack).
    auth: "none",
    cases: [
      { name: "junk query", method: "GET", url: "/api/health/ready?x=%00&__proto__=1&a[b]=c", expect: 200 },
      { name: "a garbage internal signature", method: "GET", headers: { "x-internal-auth": "1.abc" }, expect: 200 },
    ],
  },
  // A new Kratos flow after a CSRF failure (lib/auth/flow-restart.ts): every answer is a redirect on the app
  // or to Kratos' own start URL; junk and foreign URLs in the query are dropped, never an error.
  ...Object.fromEntries(
    ["/login/restart", "/registration/restart", "/recovery/restart", "/verification/restart"].map((route) => [
      route,
      {
        auth: "none" as const,
        cases: [
          {
            name: "junk query",
            method: "GET",
            url: `${route}?check=2&aal=aal9&refresh=yes&__proto__=1&a[b]=c`,
            expect: 303,
          },
          {
            name: "a foreign return_to, cookie check",
            method: "GET",
            url: `${route}?check=1&return_to=https://evil.example/&return_to=/x`,
            expect: 303,
          },
          { name: "2 KB of return_to", method: "GET", url: `${route}?return_to=/${"a".repeat(2100)}`, expect: 303 },
        ],
      },
    ]),
  ),
  "/api/session": {
    auth: "user",
    cases: [
      {
        name: "junk query (a poll takes no input)",
        method: "GET",
        url: "/api/session?idleExpiresAt=9999999999999&__proto__=1",
        expect: 200,
      },
      { name: "garbage session cookie", method: "GET", headers: { cookie: "ory_kratos_session=garbage" }, expect: 401 },
    ],
  },
  "/api/session/activity": {
    auth: "user",
    cases: jsonBattery([
      jsonCase("reason of the wrong type", '{"reason":5}'),
      jsonCase("unknown reason", '{"reason":"forever"}'),
      jsonCase("paths not an array", '{"paths":"/billing"}'),
      jsonCase("a path of the wrong type", '{"paths":[1]}'),
      jsonCase("a protocol-relative path", '{"paths":["//evil.example"]}'),
      jsonCase("a backslash path", '{"paths":["/\\\\evil"]}'),
      jsonCase("21 paths", JSON.stringify({ paths: Array.from({ length: 21 }, () => "/x") })),
      jsonCase("a known and an unknown field", '{"reason":"heartbeat","admin":true}'),
      jsonCase("from another site (Sec-Fetch-Site: cross-site)", '{"reason":"heartbeat"}', 403, {
        ...json,
        "sec-fetch-site": "cross-site",
      }),
    ]).map((c) => ({ ...c, method: "POST" })),
  },
  "/api/session/events": {
    auth: "user",
    cases: jsonBattery([
      jsonCase("empty object (fields missing)", "{}"),
      jsonCase("type only", '{"type":"warning_shown"}'),
      jsonCase("unknown type", '{"type":"session_extended","path":"/x","area":"x","secondsLeft":1}'),
      jsonCase("negative seconds", '{"type":"warning_shown","path":"/x","area":"x","secondsLeft":-1}'),
      jsonCase("fractional seconds", '{"type":"warning_shown","path":"/x","area":"x","secondsLeft":1.5}'),
      jsonCase("seconds as a string", '{"type":"warning_shown","path":"/x","area":"x","secondsLeft":"1"}'),
      jsonCase("1e309 seconds", '{"type":"warning_shown","path":"/x","area":"x","secondsLeft":1e309}'),
      jsonCase("a URL for a path", '{"type":"warning_shown","path":"https://evil.example","area":"x","secondsLeft":1}'),
      jsonCase(
        "area over 40 characters",
        JSON.stringify({ type: "warning_shown", path: "/x", area: "a".repeat(41), secondsLeft: 1 }),
      ),
      jsonCase("an extra field", '{"type":"warning_shown","path":"/x","area":"x","secondsLeft":1,"admin":true}'),
      jsonCase("from a same-site page on another origin", '{"type":"warning_shown","path":"/x","secondsLeft":1}', 403, {
        ...json,
        "sec-fetch-site": "same-site",
      }),
      jsonCase(
        "2 KB (over its 1 KB limit)",
        JSON.stringify({ type: "warning_shown", path: "/x", area: "x".repeat(2000), secondsLeft: 1 }),
        413,
      ),
    ]).map((c) => ({ ...c, method: "POST" })),
  },
  "/api/upload": {
    auth: "user",
    cases: [
      { name: "text/plain", method: "POST", headers: { "content-type": "text/plain" }, body: "x", expect: 415 },
      { name: "JSON", method: "POST", headers: json, body: "{}", expect: 415 },
      { name: "no content type", method: "POST", body: "x", headers: { "content-type": "" }, expect: 415 },
      {
        name: "without a session",
        method: "POST",
        headers: { "content-type": "application/octet-stream", cookie: "" },
        body: "x",
        expect: 401,
      },
      {
        name: "declared 300 MB",
        method: "POST",
        headers: { "content-type": "application/octet-stream", "x-declare-length": String(300 * MB) },
        expect: 413,
      },
    ],
  },
  "/api/admin/audit.csv": {
    auth: "admin",
    cases: [
      ...ADMIN_QUERY_CASES("/api/admin/audit.csv").map((c) => ({ ...c, method: "GET" })),
      {
        name: "unknown user email",
        method: "GET",
        url: "/api/admin/audit.csv?user=nobody-here@example.com",
        expect: 404,
      },
      { name: "as a plain user", method: "GET", headers: { "x-as": "user" }, expect: 403 },
      { name: "without a session", method: "GET", headers: { cookie: "" }, expect: 401 },
    ],
  },
  "/api/admin/insights": {
    auth: "admin",
    cases: [
      ...ADMIN_QUERY_CASES("/api/admin/insights")
        .filter((c) => !/user|type/.test(c.name))
        .map((c) => ({ ...c, method: "GET" })),
      { name: "unknown period", method: "GET", url: "/api/admin/insights?period=1y", expect: 400 },
      { name: "period and from", method: "GET", url: "/api/admin/insights?period=7d&from=2031-01-01", expect: 400 },
      { name: "unknown bucket", method: "GET", url: "/api/admin/insights?bucket=minute", expect: 400 },
      { name: "within 0", method: "GET", url: "/api/admin/insights?within=0", expect: 400 },
      { name: "within 61", method: "GET", url: "/api/admin/insights?within=61", expect: 400 },
      { name: "within abc", method: "GET", url: "/api/admin/insights?within=abc", expect: 400 },
      {
        name: "hourly over 31 days",
        method: "GET",
        url: "/api/admin/insights?from=2030-01-01&to=2030-03-01&bucket=hour",
        expect: 400,
      },
      { name: "over 366 days", method: "GET", url: "/api/admin/insights?from=2030-01-01&to=2031-06-01", expect: 400 },
      { name: "as a plain user", method: "GET", headers: { "x-as": "user" }, expect: 403 },
    ],
  },
  "/api/internal/activity": {
    // The session id travels in the signed x-internal-query header (issue 13): never in the URL.
    auth: "internal",
    cases: [
      { name: "unsigned", method: "GET", headers: { ...SID_ZERO, "x-internal-auth": "" }, expect: 403 },
      { name: "garbage signature", method: "GET", headers: { ...SID_ZERO, "x-internal-auth": "1.abc" }, expect: 403 },
      {
        name: "signed for another query",
        method: "GET",
        headers: { ...SID_ZERO, "x-sign-for": "/api/internal/activity?sid=other" },
        expect: 403,
      },
      { name: "signed 60 s ago", method: "GET", headers: { ...SID_ZERO, "x-sign-at": "-60000" }, expect: 403 },
      {
        name: "the sid in the URL (signed over it)",
        method: "GET",
        url: "/api/internal/activity?sid=00000000-0000-4000-8000-000000000000",
        expect: 400,
      },
      {
        name: "a 600-character query header",
        method: "GET",
        headers: { "x-internal-query": `sid=${"0".repeat(600)}` },
        expect: 400,
      },
      { name: "no sid", method: "GET", expect: 400 },
      { name: "sid not a uuid", method: "GET", headers: { "x-internal-query": "sid=1" }, expect: 400 },
      {
        name: "a uuid with a trailing comment",
        method: "GET",
        headers: { "x-internal-query": "sid=00000000-0000-4000-8000-000000000000--" },
        expect: 400,
      },
      { name: "unknown session", method: "GET", headers: SID_ZERO, expect: 404 },
    ],
  },
  // Kratos' settings hook: nothing is read without the shared secret; with it, a bounded, strict body.
  "/api/internal/kratos-settings": {
    auth: "none",
    cases: [
      { name: "no secret", method: "POST", headers: json, body: HOOK_BODY, expect: 403 },
      {
        name: "a wrong secret",
        method: "POST",
        headers: { ...json, "x-kratos-hook-secret": "x".repeat(64) },
        body: HOOK_BODY,
        expect: 403,
      },
      { name: "invalid JSON", method: "POST", headers: HOOK, body: "{", expect: 400 },
      {
        name: "identity_id not a uuid",
        method: "POST",
        headers: HOOK,
        body: '{"identity_id":"1 OR 1=1","idle_timeout_minutes":15}',
        expect: 400,
      },
      {
        name: "minutes as a string",
        method: "POST",
        headers: HOOK,
        body: HOOK_BODY.replace("15", '"15"'),
        expect: 400,
      },
      { name: "negative minutes", method: "POST", headers: HOOK, body: HOOK_BODY.replace("15", "-15"), expect: 400 },
      {
        name: "an extra field",
        method: "POST",
        headers: HOOK,
        body: HOOK_BODY.replace("}", ',"role":"admin"}'),
        expect: 400,
      },
      {
        name: "5 KB (over its 4 KB limit)",
        method: "POST",
        headers: HOOK,
        body: HOOK_BODY.replace("}", `,"pad":"${"x".repeat(5000)}"}`),
        expect: 413,
      },
    ],
  },
  "/api/internal/events": {
    auth: "internal",
    cases: [
      {
        name: "unsigned",
        method: "POST",
        headers: { ...json, "x-internal-auth": "" },
        body: '{"type":"audit"}',
        expect: 403,
      },
      {
        name: "signed for another body",
        method: "POST",
        headers: { ...json, "x-sign-body": "{}" },
        body: '{"type":"audit"}',
        expect: 403,
      },
      { name: "invalid JSON", method: "POST", headers: json, body: "{", expect: 400 },
      { name: "unknown type", method: "POST", headers: json, body: '{"type":"nope"}', expect: 400 },
      {
        name: "an audit event that is not a step-up",
        method: "POST",
        headers: json,
        body: JSON.stringify({
          type: "audit",
          event: {
            eventType: "signed_out",
            identityId: "00000000-0000-4000-8000-000000000000",
            sessionId: null,
            metadata: {},
          },
        }),
        expect: 400,
      },
      {
        name: "a session end with missing fields",
        method: "POST",
        headers: json,
        body: '{"type":"session_end","end":{"sessionId":"x"}}',
        expect: 400,
      },
      {
        name: "an extra top-level field",
        method: "POST",
        headers: json,
        body: '{"type":"session_end","end":{},"admin":true}',
        expect: 400,
      },
      {
        name: "9 KB (over its 8 KB limit)",
        method: "POST",
        headers: json,
        body: JSON.stringify({ type: "audit", pad: "x".repeat(9000) }),
        expect: 413,
      },
    ],
  },
};

/** Routes on disk: app/**\/route.ts -> URL path (route groups dropped) and the HTTP methods it exports. */
function routesOnDisk(): { url: string; methods: string[] }[] {
  const files = (readdirSync(path.join(ROOT, "app"), { recursive: true }) as string[]).filter(
    (f) => f.endsWith(`${path.sep}route.ts`) || f === "route.ts",
  );
  return files.map((file) => {
    const dir = path
      .dirname(file)
      .split(path.sep)
      .filter((seg) => seg !== "." && !/^\(.*\)$/.test(seg));
    const source = readFileSync(path.join(ROOT, "app", file), "utf8");
    const methods = [
      ...source.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g),
    ].map((m) => m[1]!);
    return { url: `/${dir.join("/")}`, methods };
  });
}

/**
 * Is this path run through middleware.ts? Its matcher is the route table's (lib/config/routes.test.ts checks that
 * the literal in middleware.ts equals matcherSource()).
 */
function middlewareMatches(urlPath: string): boolean {
  return new RegExp(`^${matcherSource()}$`).test(urlPath);
}

let app: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;
let cookies: Record<"user" | "admin", string>;
let users: Record<"user" | "admin" | "other", TestUser>;
let otherCookie: string;

async function rowCounts(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM security_audit) AS audit, (SELECT count(*) FROM session_activity) AS activity,
            (SELECT count(*) FROM session_activity WHERE ended_at IS NOT NULL) AS ended,
            (SELECT count(*) FROM billing_details) AS billing`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

/** Sends one case; returns status and whether the answer says why (JSON error/message, text, or 405's status text). */
async function send(c: Case): Promise<{ status: number; readable: boolean; body: string }> {
  const url = c.url ?? "/";
  const headers: Record<string, string> = {};
  if (c.auth === "user" || c.auth === "admin")
    headers.cookie = cookies[c.headers?.["x-as"] === "user" ? "user" : c.auth];
  if (c.auth === "internal") {
    const at = Date.now() + Number(c.headers?.["x-sign-at"] ?? 0);
    // Signed over the URL as the server will see it (the URL parser re-encodes some query characters),
    // with the query header's parameters as the query.
    const seen = new URL(url, app.url);
    const query = c.headers?.["x-internal-query"];
    const signedPath = `${seen.pathname}${seen.search}${query ? `?${query}` : ""}`;
    headers["x-internal-auth"] = await signInternal(
      SECRET,
      c.method,
      c.headers?.["x-sign-for"] ?? signedPath,
      c.headers?.["x-sign-body"] ?? c.body ?? "",
      at,
    );
  }
  for (const [k, v] of Object.entries(c.headers ?? {}))
    if (!k.startsWith("x-sign") && k !== "x-as" && k !== "x-declare-length") headers[k] = v;
  const declared = c.headers?.["x-declare-length"];
  if (declared) return { ...(await declaredOnly(url, headers, Number(declared))), body: "" };
  const response = await fetch(new URL(url, app.url), { method: c.method, headers, body: c.body, redirect: "manual" });
  const body = await response.text();
  // Only an error needs a reason; a 2xx is judged by its status alone.
  let readable = response.status < 400 || (body.trim().length > 0 && !/^\s*<!DOCTYPE/i.test(body));
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; messages?: unknown };
    readable ||= typeof parsed.error === "string" || typeof parsed.message === "string";
  } catch {
    // text body: readable if not empty
  }
  if (response.status === 405) readable = response.statusText.length > 0;
  return { status: response.status, readable, body: body.slice(0, 200) };
}

/**
 * A POST that declares `length` bytes and trickles 1 KB every 20 ms: the status line, how long it took and
 * how many bytes had gone (`sendAll`: send the whole declared body at full speed instead).
 */
function declaredOnly(
  urlPath: string,
  headers: Record<string, string>,
  length: number,
  sendAll = false,
): Promise<{ status: number; readable: boolean; ms: number; sent: number }> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const started = Date.now();
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (status: number) => {
      clearInterval(timer);
      socket.destroy();
      resolve({ status, readable: true, ms: Date.now() - started, sent });
    };
    socket.on("error", (error) =>
      sent >= length || /EPIPE|ECONNRESET/.test(error.message) ? undefined : reject(error),
    );
    socket.on("connect", () => {
      const lines = Object.entries({
        host: url.host,
        ...headers,
        "content-length": String(length),
        connection: "close",
      }).map(([k, v]) => `${k}: ${v}`);
      socket.write(`POST ${urlPath} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
      if (sendAll) {
        const chunk = Buffer.alloc(MB, 0x20);
        const pump = () => {
          while (sent < length && socket.write(chunk)) sent += chunk.length;
          if (sent < length) socket.once("drain", () => ((sent += chunk.length), pump()));
        };
        pump();
      } else {
        timer = setInterval(() => {
          socket.write(Buffer.alloc(1024, 0x20));
          sent += 1024;
        }, 20);
      }
    });
    socket.on("data", (data) => done(Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString("latin1"))?.[1] ?? 0)));
    setTimeout(() => done(0), sendAll ? 20_000 : 3_000);
  });
}

describe("bad input on every route handler and server action", () => {
  let before0: Record<string, number>;
  let routeResults: { route: string; c: Case; status: number; readable: boolean; body: string }[] = [];

  before(async () => {
    assert.ok(SECRET.length >= 32, "SESSION_SECRET must be set (source .stack/<name>/env)");
    // Named per stack: two test stacks share one PostgreSQL server.
    db = await scratchDatabase(`app_rs_badinput_${process.env.APP_PORT ?? "test"}`);
    const [instance, user, admin, other] = await Promise.all([
      startApp({ port: extraAppPort(1), policy: POLICY, env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" } }),
      createUser("user"),
      createUser("admin"),
      createUser("user"),
    ]);
    app = instance;
    users = { user: user!, admin: admin!, other: other! };
    cookies = { user: await signIn(user!), admin: await signIn(admin!) };
    otherCookie = await signIn(other!);
    // Each session's first activity is written now, so what follows can only add rows if it should not.
    for (const cookie of [cookies.user, cookies.admin, otherCookie]) {
      const page = await fetch(`${app.url}/dashboard`, { headers: { cookie }, redirect: "manual" });
      await page.body?.cancel();
      assert.equal(page.status, 200);
    }
    await sleep(1_500);
    before0 = await rowCounts();
  });
  after(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("route handlers: each exported method gets bad inputs, others 405; a 4xx that says why, never a 5xx", async () => {
    const found = routesOnDisk();
    assert.deepEqual(
      found.map((r) => r.url).filter((u) => !ROUTES[u]),
      [],
      "routes without bad-input cases: add them to ROUTES",
    );
    const cases: { route: string; c: Case }[] = [];
    for (const route of found) {
      const spec = ROUTES[route.url]!;
      for (const c of spec.cases) {
        assert.ok(
          route.methods.includes(c.method),
          `${route.url}: case "${c.name}" uses ${c.method}, which the route does not export`,
        );
        cases.push({ route: route.url, c: { auth: spec.auth, ...c, url: c.url ?? route.url } });
      }
      for (const method of route.methods)
        assert.ok(
          spec.cases.some((c) => c.method === method),
          `${route.url} exports ${method} without cases`,
        );
      for (const method of METHODS.filter((m) => !route.methods.includes(m))) {
        cases.push({
          route: route.url,
          c: {
            name: `${method} (not exported)`,
            method,
            auth: spec.auth,
            url: route.url,
            body: method === "GET" ? undefined : "{}",
            headers: json,
            expect: 405,
          },
        });
      }
    }
    const started = Date.now();
    routeResults = [];
    for (const { route, c } of cases) routeResults.push({ route, c, ...(await send(c)) });
    const wrong = routeResults
      .filter((r) => r.status !== r.c.expect || !r.readable)
      .map(
        (r) =>
          `${r.c.method} ${r.c.url?.slice(0, 60)} ${r.c.name}: ${r.status} (expected ${r.c.expect})` +
          `${r.readable ? "" : " without a reason"} ${r.body}`,
      );
    const fivexx = routeResults.filter((r) => r.status >= 500).length;
    reportFigure(SUITE, "route handlers (found on disk)", found.length);
    reportFigure(SUITE, "route inputs tried", routeResults.length);
    reportFigure(SUITE, "route inputs answered 5xx", fivexx);
    reportFigure(SUITE, "route inputs time", `${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(fivexx, 0);
    assert.deepEqual(wrong, []);
  });

  it("oversized bodies: 413 before reading (outside the middleware), 413 and nothing written (inside it)", async () => {
    const targets: { name: string; url: string; headers: Record<string, string> }[] = [
      { name: "heartbeat", url: "/api/session/activity", headers: { ...json, cookie: cookies.user } },
      { name: "warning report", url: "/api/session/events", headers: { ...json, cookie: cookies.user } },
      {
        name: "internal events",
        url: "/api/internal/events",
        headers: { ...json, "x-internal-auth": await signInternal(SECRET, "POST", "/api/internal/events", "") },
      },
      {
        name: "upload",
        url: "/api/upload",
        headers: { "content-type": "application/octet-stream", cookie: cookies.user },
      },
    ];
    const waited: string[] = [];
    for (const t of targets) {
      const declared = t.url === "/api/upload" ? 300 * MB : 50 * MB;
      if (!middlewareMatches(t.url)) {
        const answer = await declaredOnly(t.url, t.headers, declared);
        assert.equal(answer.status, 413, `${t.name}: ${JSON.stringify(answer)}`);
        assert.ok(
          answer.ms < 1_500 && answer.sent < MB,
          `${t.name}: answered after ${answer.ms} ms and ${answer.sent} bytes`,
        );
        reportFigure(
          SUITE,
          `413 for a declared ${declared / MB} MB (${t.name})`,
          `${answer.ms} ms, ${answer.sent} bytes read`,
        );
      } else {
        // Next buffers up to 10 MB for the middleware and waits for the rest: send 12 MB at full speed.
        const answer = await declaredOnly(t.url, t.headers, 12 * MB, true);
        assert.equal(answer.status, 413, `${t.name}: ${JSON.stringify(answer)}`);
        waited.push(t.name);
        reportFigure(SUITE, `413 for a 12 MB body (${t.name}, via middleware)`, `${answer.ms} ms after the first byte`);
      }
    }
    reportFigure(SUITE, "routes where Next waits for the whole body", `${waited.length} (${waited.join(", ")})`);
    assert.ok(targets.length - waited.length >= 1, "at least the upload route is outside the middleware");
  });

  it("server actions: bad payloads answered 'invalid' (or refused), a foreign Origin refused; no writes", async () => {
    const actions = serverActions();
    const pages: Record<string, { page: string; auth: "user" | "admin" }> = {
      signOut: { page: "/dashboard", auth: "user" },
      updateBillingDetails: { page: "/billing", auth: "user" },
      updateIdlePreference: { page: "/settings", auth: "user" },
      deleteAccount: { page: "/settings", auth: "user" },
      endUserSessions: { page: "/admin", auth: "admin" },
    };
    assert.deepEqual(
      actions.map((a) => a.name).filter((n) => !pages[n]),
      [],
      "server actions without bad-input cases: add them here",
    );
    const form = (fields: Record<string, string | Blob>) => {
      const data = new FormData();
      data.append("0", JSON.stringify([{ status: "idle" }, "$K1"]));
      for (const [k, v] of Object.entries(fields)) data.append(`1_${k}`, v);
      return data;
    };
    const file = new Blob(["DELETE"], { type: "text/plain" });
    // Form payloads each action must answer "invalid" (never valid ones: they would write, by design).
    const payloads: Record<string, Record<string, string | Blob>[]> = {
      signOut: [],
      updateBillingDetails: [
        {},
        { company: "", billing_email: "a@example.com" },
        { company: "c".repeat(101), billing_email: "a@example.com" },
        { company: file, billing_email: "a@example.com" },
        { company: "Acme", billing_email: "not-an-email" },
        { company: "Acme", billing_email: "a@example.com", vat_id: "X" },
        { company: "Acme", billing_email: "a@example.com", vat_id: "DE' OR 1=1 --" },
        { admin: "true", identity_id: users.other.id },
        { company: "x".repeat(100_000), billing_email: "a@example.com" },
      ],
      updateIdlePreference: [
        {},
        { idle_timeout_minutes: "45" },
        { idle_timeout_minutes: "abc" },
        { idle_timeout_minutes: "015" },
        { idle_timeout_minutes: "-15" },
        { idle_timeout_minutes: "15.5" },
        { idle_timeout_minutes: " 15" },
        { idle_timeout_minutes: file },
      ],
      deleteAccount: [{}, { confirm: "delete" }, { confirm: "DELETE " }, { confirm: file }, { confirm: "yes" }],
      endUserSessions: [{}, { target: "" }, { target: "not-an-email" }, { target: "x".repeat(400) }, { target: file }],
    };
    // Argument lists that are not (state, form): a hand-made request can send anything.
    const notForms = ["[]", "[1,2]", '[{"status":"idle"},"DELETE"]', '[null,{"get":"x"}]'];
    let tried = 0;
    let fivexx = 0;
    const wrong: string[] = [];
    const post = async (
      id: string,
      page: string,
      cookie: string,
      body: BodyInit,
      headers: Record<string, string> = {},
    ) => {
      const response = await fetch(new URL(page, app.url), {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "next-action": id, origin: new URL(app.url).origin, accept: "text/x-component", ...headers },
        body,
      });
      tried++;
      if (response.status >= 500) fivexx++;
      return { status: response.status, text: await response.text() };
    };
    const refused = (r: { status: number; text: string }) =>
      r.status >= 300 || /"status":"(invalid|error)"/.test(r.text);
    for (const action of actions) {
      const { page, auth } = pages[action.name]!;
      const cookie = action.name === "signOut" ? otherCookie : cookies[auth];
      for (const fields of payloads[action.name]!) {
        const r = await post(action.id, page, cookie, form(fields));
        if (r.status !== 200 || !/"status":"invalid"/.test(r.text))
          wrong.push(`${action.name} ${JSON.stringify(Object.keys(fields))}: ${r.status} ${r.text.slice(-160)}`);
      }
      if (action.name !== "signOut") {
        for (const body of notForms) {
          const r = await post(action.id, page, cookie, body, { "content-type": "text/plain;charset=UTF-8" });
          if (r.status !== 200 || !/"status":"invalid"/.test(r.text))
            wrong.push(`${action.name} args ${body}: ${r.status} ${r.text.slice(-160)}`);
        }
      }
      // Malformed (not a React reply) and over Next's 1 MB limit: Next refuses them itself (its 500).
      for (const body of ["not json{", `[${'"a",'.repeat(300_000)}"a"]`]) {
        const r = await post(action.id, page, cookie, body, { "content-type": "text/plain;charset=UTF-8" });
        if (!refused(r)) wrong.push(`${action.name} malformed ${body.slice(0, 12)}: ${r.status}`);
      }
      // A foreign Origin with a payload that WOULD write if it ran (Next's CSRF check must stop it).
      const valid: Record<string, BodyInit> = {
        signOut: "[]",
        updateBillingDetails: form({ company: "Acme", billing_email: "billing@example.com", vat_id: "" }),
        updateIdlePreference: form({ idle_timeout_minutes: "15" }),
        deleteAccount: form({ confirm: "DELETE" }),
        endUserSessions: form({ target: users.other.email }),
      };
      const foreign = await post(action.id, page, cookie, valid[action.name]!, {
        origin: "https://evil.example",
        ...(action.name === "signOut" ? { "content-type": "text/plain;charset=UTF-8" } : {}),
      });
      if (foreign.status >= 200 && foreign.status < 300)
        wrong.push(`${action.name} from https://evil.example: ${foreign.status}`);
    }
    // A plain user calling the admin action with a well-formed target: refused (403), nobody signed out.
    const admin = actions.find((a) => a.name === "endUserSessions")!;
    const asUser = await post(admin.id, "/admin", cookies.user, form({ target: users.other.email }));
    if (!refused(asUser)) wrong.push(`endUserSessions as a plain user: ${asUser.status}`);

    assert.equal(await whoamiStatus(otherCookie), 200, "the sign-out action never ran (foreign Origin, malformed)");
    assert.equal(await whoamiStatus(cookies.user), 200);
    reportFigure(SUITE, "server actions (from the build manifest)", actions.length);
    reportFigure(SUITE, "server action inputs tried", tried);
    reportFigure(SUITE, "server action inputs answered 5xx (Next: malformed, >1 MB, foreign Origin)", fivexx);
    assert.deepEqual(wrong, []);
  });

  it("nothing was written, and the app is healthy", async () => {
    await sleep(1_500); // queued writes (outbox) would land by now
    const after0 = await rowCounts();
    const written = Object.keys(before0).reduce((n, k) => n + Math.abs((after0[k] ?? 0) - (before0[k] ?? 0)), 0);
    reportFigure(SUITE, "rows written by bad input", written);
    assert.deepEqual(after0, before0);
    const health = await fetch(`${app.url}/api/health`);
    assert.equal(health.status, 200);
    const page = await fetch(`${app.url}/dashboard`, { headers: { cookie: cookies.user }, redirect: "manual" });
    await page.body?.cancel();
    assert.equal(page.status, 200, "a normal request still works");
    assert.doesNotMatch(app.logs(), /uncaughtException|unhandledRejection|FATAL/i);
  });
});
