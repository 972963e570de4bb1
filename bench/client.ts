/**
 * Item 5: what a signed-in tab costs in Chromium (Debian's, through Playwright's executablePath).
 *  - wake-ups: an init script wraps setTimeout / setInterval / requestAnimationFrame / requestIdleCallback
 *    before any page script runs and counts every callback that fires (React's, Next's and ours alike: the
 *    tab's wake-ups, whoever asked). Counted over an idle minute on /dashboard, far from the warning (the
 *    default 30 min budget).
 *  - heartbeats: POST /api/session/activity seen on the network while the user keeps typing (a key press
 *    every 500 ms) for 2 minutes.
 * The two run at once in separate browser contexts with separate users: tabs of one browser profile
 * share activity through the tab bus, which would wake the idle tab.
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import { sleep } from "../test/helpers/http";
import { log } from "./log";
import type { BenchSession } from "./sessions";

export interface ClientFigures {
  idleSeconds: number;
  wakeupsPerMinute: number;
  wakeupsBySource: Record<string, number>;
  inputSeconds: number;
  heartbeatsPerMinute: number;
  heartbeats: number;
}

const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

const COUNT_WAKEUPS = `(() => {
  const counts = { setTimeout: 0, setInterval: 0, requestAnimationFrame: 0, requestIdleCallback: 0 };
  for (const name of Object.keys(counts)) {
    const original = window[name];
    if (typeof original !== "function") continue;
    window[name] = function (callback, ...rest) {
      if (typeof callback !== "function") return original.call(this, callback, ...rest);
      return original.call(this, function (...args) { counts[name] += 1; return callback.apply(this, args); }, ...rest);
    };
  }
  Object.defineProperty(window, "__benchWakeups", { value: counts });
})();`;

async function signedInPage(browser: Browser, appUrl: string, session: BenchSession): Promise<Page> {
  const context = await browser.newContext();
  const [name, ...value] = session.kratosCookie.split("=");
  await context.addCookies([{ name: name!, value: value.join("="), url: appUrl }]);
  await context.addInitScript(COUNT_WAKEUPS);
  const page = await context.newPage();
  const response = await page.goto(`${appUrl}/dashboard`, { waitUntil: "networkidle" });
  if (!response?.ok() || !page.url().includes("/dashboard"))
    throw new Error(`client: /dashboard did not open signed in (at ${page.url()})`);
  return page;
}

const readWakeups = (page: Page) =>
  page.evaluate(() => ({ ...(window as unknown as { __benchWakeups: Record<string, number> }).__benchWakeups }));

export async function measureClient(opts: {
  appUrl: string;
  chromiumPath: string;
  sessions: [BenchSession, BenchSession];
  idleSeconds: number;
  inputSeconds: number;
}): Promise<ClientFigures> {
  const browser = await chromium.launch({ executablePath: opts.chromiumPath, args: LAUNCH_ARGS });
  try {
    const [idlePage, busyPage] = await Promise.all([
      signedInPage(browser, opts.appUrl, opts.sessions[0]),
      signedInPage(browser, opts.appUrl, opts.sessions[1]),
    ]);
    const heartbeatTimes: number[] = [];
    busyPage.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/session/activity")
        heartbeatTimes.push(Date.now());
    });
    // Let start-up work (hydration, the first status poll) finish before counting.
    await sleep(5_000);
    log(`client: idle tab ${opts.idleSeconds} s, typing tab ${opts.inputSeconds} s (Chromium)`);

    const idle = (async () => {
      const before = await readWakeups(idlePage);
      await sleep(opts.idleSeconds * 1000);
      const after = await readWakeups(idlePage);
      return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
    })();

    const typing = (async () => {
      const started = Date.now();
      const until = started + opts.inputSeconds * 1000;
      while (Date.now() < until) {
        await busyPage.keyboard.press("Shift");
        await sleep(500);
      }
      return heartbeatTimes.filter((t) => t >= started && t < until).length;
    })();

    const [bySource, heartbeats] = await Promise.all([idle, typing]);
    const wakeups = Object.values(bySource).reduce((a, b) => a + b, 0);
    return {
      idleSeconds: opts.idleSeconds,
      wakeupsPerMinute: wakeups / (opts.idleSeconds / 60),
      wakeupsBySource: bySource,
      inputSeconds: opts.inputSeconds,
      heartbeats,
      heartbeatsPerMinute: heartbeats / (opts.inputSeconds / 60),
    };
  } finally {
    await browser.close();
  }
}
