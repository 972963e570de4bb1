/**
 * Open redirects (issue #7): return_to payloads (protocol-relative, absolute, backslashes, javascript:/data:,
 * encoded and mixed-case variants, CRLF, unicode slashes, userinfo tricks, markup injection) on every place
 * this app accepts or builds a return_to: its /login and /registration pages (signed out, signed in, and
 * the step-up refresh login), the gate's redirects for a crafted URL, the gate's step-up, the /signed-out
 * page's "Sign in again" link, sign-out (the app's action and Kratos' logout with a changed return_to), and
 * Kratos' own browser-flow URLs (its allowed_return_urls).
 *
 * Each try follows the whole chain as a browser would (app -> Kratos -> app, cookies kept). "Followed" =
 * any Location, rendered link, form action, meta refresh or script redirect that leads off the app's and
 * Kratos' origins or to a non-http(s) scheme, or a Kratos flow whose return_to is off the app's origin.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { mapLimit } from "../helpers/concurrency";
import { reportFigure } from "../helpers/figures";
import { Jar, sleep } from "../helpers/http";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { offOrigin, pageTargets, redirectPayloads } from "../helpers/redirect-payloads";
import { serverActions } from "../helpers/server-actions";
import { APP_URL, KRATOS_PUBLIC_URL, createUser, scratchDatabase, signIn, whoamiStatus } from "../helpers/stack";

const SUITE = "open-redirect";
const APP = new URL(APP_URL).origin;
const KRATOS = new URL(KRATOS_PUBLIC_URL).origin;
const PAYLOADS = redirectPayloads(new URL(APP_URL).host);
const enc = encodeURIComponent;
/** Billing 1 s, every other page 120 s: one session stays "step-up on Billing" for the whole run. */
const STEP_UP_POLICY = {
  idleDesktopSeconds: 120,
  idleMobileSeconds: 240,
  ceilings: [{ prefix: "/billing", seconds: 1, label: "Billing" }],
  adminCapSeconds: 60,
  warningSeconds: 20,
  revalidateSeconds: 2,
  activityWriteSeconds: 2,
  sweepIntervalSeconds: 1,
};

let stepUpApp: AppInstance;
let db: Awaited<ReturnType<typeof scratchDatabase>>;
let allowed: Set<string>;
/** The app's pages that act on a return_to parameter. */
const RETURN_TO_READERS = new Set(["/login", "/registration", "/signed-out"]);

/** Checks one navigation target; returns what was wrong, or null. */
function checkTarget(raw: string, base: URL, what: string): string | null {
  let target: URL;
  try {
    target = new URL(raw.trim(), base);
  } catch {
    return raw.includes("evil") ? `${what}: unparseable ${JSON.stringify(raw)}` : null;
  }
  if (offOrigin(target, allowed)) return `${what} leads to ${target.href.slice(0, 120)}`;
  // A return_to carried onwards (to a page that acts on it, or handed to Kratos) must itself stay on the
  // app. Other pages ignore a return_to query parameter (/billing?return_to=… goes nowhere).
  const returnTo =
    RETURN_TO_READERS.has(target.pathname) || target.origin === KRATOS ? target.searchParams.get("return_to") : null;
  if (returnTo !== null) {
    let inner: URL | null = null;
    try {
      inner = new URL(returnTo, APP);
    } catch {
      inner = null;
    }
    const innerBad =
      inner === null
        ? returnTo.includes("evil")
        : offOrigin(inner, allowed) || (target.origin === KRATOS && inner.origin === KRATOS);
    if (innerBad) return `${what} carries return_to=${returnTo.slice(0, 120)}`;
  }
  return null;
}

/**
 * The flow a Kratos UI redirect names (…/login?flow=<id>): a stored return_to with a scheme or a host must
 * be on the app. A path-like value is resolved by Kratos on its default host (the app) when it redirects;
 * what the app's page then renders from it is checked by rendering the page (see `render`).
 */
async function checkFlow(location: URL, jar: Jar): Promise<string | null> {
  const flow = location.searchParams.get("flow");
  const kind = location.pathname.replace(/^\//, "");
  if (!flow || !["login", "registration", "settings"].includes(kind)) return null;
  const response = await fetch(`${KRATOS}/self-service/${kind}/flows?id=${enc(flow)}`, {
    headers: { cookie: jar.header(), accept: "application/json" },
  });
  if (!response.ok) return null; // another browser's flow: Kratos will not run it
  const { return_to: stored } = (await response.json()) as { return_to?: string };
  if (!stored || !/^([a-z][a-z0-9+.-]*:|\/\/[^/\\])/i.test(stored)) return null;
  return checkTarget(stored, new URL(APP), `Kratos ${kind} flow`);
}

/** A GET with the path exactly as given (fetch would normalise "//evil" or "/\evil"). */
function rawGet(origin: string, rawPath: string, cookie: string): Promise<{ status: number; location: string | null }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: rawPath, headers: { cookie, accept: "text/html" } },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null });
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** A browser would percent-encode what cannot go on the request line (spaces, controls, non-ASCII). */
function asRequestPath(payload: string): string {
  const path = payload.startsWith("/") ? payload : `/${payload}`;
  return [...Buffer.from(path, "utf8")]
    .map((b) => (b > 0x20 && b < 0x7f ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");
}

/**
 * Follows a chain from `start` like a browser (cookies kept, at most `hops` requests); null if nothing led
 * off the app or Kratos, else what did. `first` is an already-made first answer (a raw request). Once the
 * chain is back on an app page, that page is rendered and scanned only with `render` (a Kratos flow's
 * return_to is checked either way): pages that never read return_to are not worth the time on every
 * payload. Fewer `hops` where the rest of the chain is another place's (e.g. the gate hands its return_to
 * to /login, which has places of its own): what matters there is what this place hands on.
 */
async function follow(
  start: string,
  jar: Jar,
  opts: { first?: { status: number; location: string | null }; render?: boolean; hops?: number } = {},
): Promise<string | null> {
  const { first, render = false, hops = 8 } = opts;
  let url = new URL(start);
  for (let hop = 0; hop < hops; hop++) {
    let status: number;
    let location: string | null;
    let body = "";
    if (hop === 0 && first) {
      ({ status, location } = first);
    } else {
      const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header(), accept: "text/html" } });
      jar.absorb(response);
      status = response.status;
      location = response.headers.get("location");
      body = await response.text();
    }
    if (status >= 300 && status < 400 && location !== null) {
      const problem = checkTarget(location, url, `Location (${url.origin}${url.pathname})`);
      if (problem) return problem;
      const next = new URL(location, url);
      // A browser drops userinfo ("evil.example@localhost") and goes to the host after "@", the app.
      next.username = "";
      next.password = "";
      const flowProblem = await checkFlow(next, jar);
      if (flowProblem) return flowProblem;
      const backOnApp = next.origin !== KRATOS && next.pathname !== "/login" && next.pathname !== "/registration";
      if (hop > 0 && !render && (backOnApp || next.searchParams.has("flow"))) return null;
      url = next;
      continue;
    }
    for (const target of pageTargets(body)) {
      const problem = checkTarget(target, url, `link on ${url.pathname}`);
      if (problem) return problem;
    }
    if (/<script>location=|onmouseover="location|<meta http-equiv="refresh" content="0;url=https:\/\/evil/i.test(body))
      return `markup injected into ${url.pathname}`;
    return null;
  }
  return null;
}

interface Place {
  name: string;
  /** one try per payload: null when nothing was followed, else what was */
  run: (payload: string) => Promise<string | null>;
}

describe("return_to payloads on every place that takes one: 0 followed", () => {
  let userCookie: string;
  let stepUpCookie: string;
  let logoutCookies: string[];
  const places: Place[] = [];

  before(async () => {
    // Named per stack: two test stacks share one PostgreSQL server.
    db = await scratchDatabase(`app_rs_redirect_${process.env.APP_PORT ?? "test"}`);
    const [instance, user, stepUpUser, ...logoutUsers] = await Promise.all([
      startApp({
        port: extraAppPort(1),
        policy: STEP_UP_POLICY,
        env: { DATABASE_URL: db.url, SWEEPER_ENABLED: "false" },
      }),
      createUser().then(signIn),
      createUser().then(signIn),
      ...[0, 1, 2, 3, 4, 5, 6, 7].map(() => createUser().then(signIn)),
    ]);
    stepUpApp = instance;
    userCookie = user;
    stepUpCookie = stepUpUser;
    logoutCookies = logoutUsers;
    allowed = new Set([APP, KRATOS, new URL(stepUpApp.url).origin]);
    // The step-up session: active on the dashboard, then idle past Billing's 1 s budget.
    const jar = new Jar(stepUpCookie);
    const dashboard = await fetch(`${stepUpApp.url}/dashboard`, {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    assert.equal(dashboard.status, 200);
    jar.absorb(dashboard);
    stepUpCookie = jar.header();
    await sleep(1_300);

    const signedOut = () => new Jar();
    const signedIn = () => new Jar(userCookie);
    places.push(
      // The app's own /login only hands Kratos its sanitised URL; the page Kratos sends back is rendered in
      // the harder case below (a flow started at Kratos with the raw payload).
      { name: "app /login, signed out", run: (p) => follow(`${APP}/login?return_to=${enc(p)}`, signedOut()) },
      {
        name: "app /login, signed in (Kratos returns at once)",
        run: (p) => follow(`${APP}/login?return_to=${enc(p)}`, signedIn()),
      },
      {
        name: "step-up: app /login?refresh=true, signed in",
        run: (p) => follow(`${APP}/login?refresh=true&return_to=${enc(p)}`, signedIn()),
      },
      {
        name: "app /registration, signed out",
        run: (p) => follow(`${APP}/registration?return_to=${enc(p)}`, signedOut()),
      },
      // After Kratos refused a flow for CSRF (lib/auth/flow-restart.ts): the restart and the "cookies needed"
      // page's link.
      {
        name: "app /login/restart (cookie check), signed out",
        run: (p) => follow(`${APP}/login/restart?return_to=${enc(p)}`, signedOut()),
      },
      {
        name: "app /registration/restart (cookie check), signed out",
        run: (p) => follow(`${APP}/registration/restart?return_to=${enc(p)}`, signedOut()),
      },
      {
        name: "app /login?cookies=off and its 'Try again' link",
        run: (p) => follow(`${APP}/login?cookies=off&return_to=${enc(p)}`, signedOut(), { render: true }),
      },
      {
        name: "app /settings (Kratos settings flow), signed in",
        run: (p) => follow(`${APP}/settings?return_to=${enc(p)}`, signedIn(), { hops: 1 }),
      },
      { name: "/signed-out page and its 'Sign in again' link", run: signedOutPage },
      {
        name: "the gate: a crafted URL without a session",
        run: async (p) => follow(`${APP}/`, signedOut(), { first: await rawGet(APP, asRequestPath(p), ""), hops: 2 }),
      },
      {
        name: "the gate's step-up (idle past Billing's budget)",
        // In the query for every payload; in the path too for those that could fold into "//" there.
        run: async (p) =>
          (await stepUp(`/billing?return_to=${enc(p)}`, true)) ??
          (/^[/\\%]/.test(p) ? stepUp(`/billing${asRequestPath(p)}`, false) : null),
      },
      {
        name: "Kratos login/browser, signed in (returns at once)",
        run: (p) => follow(`${KRATOS}/self-service/login/browser?return_to=${enc(p)}`, signedIn()),
      },
      // Flows started at Kratos with the raw payload, then rendered by the app's page (@ory/elements-react).
      {
        name: "Kratos login/browser, signed out, the app's page",
        run: (p) => follow(`${KRATOS}/self-service/login/browser?return_to=${enc(p)}`, signedOut(), { render: true }),
      },
      {
        name: "Kratos settings/browser, signed in, the app's page",
        run: (p) => follow(`${KRATOS}/self-service/settings/browser?return_to=${enc(p)}`, signedIn(), { render: true }),
      },
      {
        name: "Kratos logout/browser (sign-out URL), signed in",
        run: async (p) => {
          const response = await fetch(`${KRATOS}/self-service/logout/browser?return_to=${enc(p)}`, {
            headers: { cookie: userCookie, accept: "application/json" },
          });
          if (!response.ok) return null; // refused: nothing to follow
          const { logout_url } = (await response.json()) as { logout_url: string };
          return checkTarget(logout_url, new URL(KRATOS), "logout URL");
        },
      },
    );
  });
  after(async () => {
    await stepUpApp?.stop();
    await db?.drop();
  });

  /** The page itself (links, meta refresh, scripts), then its "Sign in again" link followed, signed in. */
  async function signedOutPage(payload: string): Promise<string | null> {
    const page = new URL(`${APP}/signed-out?reason=idle&area=%2Fbilling&after=300&return_to=${enc(payload)}`);
    const html = await (await fetch(page)).text();
    const targets = pageTargets(html);
    for (const target of targets) {
      const problem = checkTarget(target, page, "link on /signed-out");
      if (problem) return problem;
    }
    const signIn = targets.find((t) => t.startsWith("/login"));
    if (!signIn) return "no 'Sign in again' link on /signed-out";
    return follow(new URL(signIn, APP).href, new Jar(userCookie), { hops: 2 });
  }

  /** A request for Billing by the idle session; `mustStepUp`: a plain Billing URL, so the step-up must happen. */
  async function stepUp(rawPath: string, mustStepUp: boolean): Promise<string | null> {
    let first = await rawGet(stepUpApp.url, rawPath, stepUpCookie);
    // Next first folds repeated slashes ("/billing//x" -> 308 "/billing/x"), on the same origin: go on.
    if (first.status === 308 && first.location?.startsWith("/") && !first.location.startsWith("//"))
      first = await rawGet(stepUpApp.url, first.location, stepUpCookie);
    // Else this place tested nothing: 303 to the refresh login.
    if (mustStepUp && (first.status !== 303 || !first.location?.includes("refresh=true")))
      return `no step-up for ${rawPath.slice(0, 60)}: ${first.status} ${first.location}`;
    return follow(`${stepUpApp.url}/`, new Jar(stepUpCookie), { first, hops: 2 });
  }

  it(`>= 60 payloads on every place: 0 followed`, async () => {
    assert.ok(PAYLOADS.length >= 60, `${PAYLOADS.length} payloads`);
    const started = Date.now();
    const tries = places.flatMap((place) => PAYLOADS.map((payload) => ({ place, payload })));
    const followed: string[] = [];
    await mapLimit(tries, 6, async ({ place, payload }) => {
      const problem = await place.run(payload);
      if (problem) followed.push(`${place.name} <- ${JSON.stringify(payload.slice(0, 60))}: ${problem}`);
    });
    reportFigure(SUITE, "payloads", PAYLOADS.length);
    reportFigure(SUITE, "places that take a return_to", places.length);
    reportFigure(SUITE, "payloads tried (payload x place)", tries.length);
    reportFigure(SUITE, "payloads followed", followed.length);
    reportFigure(SUITE, "time", `${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(followed.slice(0, 15), [], `${followed.length} of ${tries.length} followed`);
  });

  it("the app's sign-out action ends on the app; Kratos' logout with a changed return_to stays there", async () => {
    const signOut = serverActions().find((a) => a.name === "signOut");
    assert.ok(signOut, "the signOut action is in the build");
    const jar = new Jar(logoutCookies[0]);
    const action = await fetch(`${APP}/dashboard`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: jar.header(),
        "next-action": signOut.id,
        origin: APP,
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
      },
      body: JSON.stringify([enc(PAYLOADS[0]!)]), // an argument the action must ignore
    });
    await action.body?.cancel();
    const logoutUrl = action.headers.get("x-action-redirect")?.split(";")[0] ?? action.headers.get("location");
    assert.ok(logoutUrl, `the action answers with a redirect (${action.status})`);
    assert.equal(checkTarget(logoutUrl, new URL(APP), "sign-out redirect"), null);
    assert.equal(await follow(new URL(logoutUrl, APP).href, jar, { render: true }), null);
    assert.equal(await whoamiStatus(logoutCookies[0]!), 401, "signed out in Kratos");

    // Kratos' logout link with its return_to swapped for a payload (each call ends one session).
    const dangerous = PAYLOADS.filter((p) => /^(\/\/|https?:|\/\\|javascript:|data:)/i.test(p)).slice(
      0,
      logoutCookies.length - 1,
    );
    let tried = 1;
    const followed: string[] = [];
    for (const [i, payload] of dangerous.entries()) {
      const cookie = logoutCookies[i + 1]!;
      const flow = await fetch(`${KRATOS}/self-service/logout/browser`, {
        headers: { cookie, accept: "application/json" },
      });
      const { logout_url } = (await flow.json()) as { logout_url: string };
      const swapped = new URL(logout_url);
      swapped.searchParams.set("return_to", payload);
      const problem = await follow(swapped.href, new Jar(cookie));
      tried++;
      if (problem) followed.push(`${payload}: ${problem}`);
    }
    reportFigure(SUITE, "sign-outs tried (app action + swapped return_to)", tried);
    reportFigure(SUITE, "sign-outs followed off-site", followed.length);
    assert.deepEqual(followed, []);
  });

  it("Kratos' allowed_return_urls holds origins of this app only (no wildcard, no other host)", () => {
    const yml = readFileSync(new URL("../../kratos/kratos.yml", import.meta.url), "utf8");
    const block = /allowed_return_urls:\n((?:\s+- .+\n)+)/.exec(yml)?.[1] ?? "";
    const fromYml = [...block.matchAll(/- (.+)/g)].map((m) => m[1]!.trim());
    const fromEnv = (process.env.KRATOS_EXTRA_RETURN_URLS ?? "").split(",").filter(Boolean);
    assert.ok(fromYml.length > 0);
    for (const entry of [...fromYml, ...fromEnv, APP]) {
      const url = new URL(entry);
      assert.equal(url.hostname, "localhost", entry);
      assert.match(url.protocol, /^https?:$/, entry);
      assert.ok(!entry.includes("*"), `${entry}: no wildcard`);
      assert.equal(url.pathname, "/", `${entry}: an origin, so any path on it (the app checks paths itself)`);
    }
  });
});
