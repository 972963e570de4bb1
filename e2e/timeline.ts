import type { BrowserContext, Page, TestInfo } from "@playwright/test";

/**
 * What the browser did, for a failed test: every request of every tab (sent, answered, failed),
 * its console and page errors, visibility changes, and the long timers the page set and ran (the idle
 * controller keeps one timer to its next deadline). Attached to the failed test and printed, so a CI log
 * says whether a tab asked the server and what it was told. Observation only: timers are wrapped, not
 * changed; nothing is logged while a test passes.
 */
export async function recordTimeline(context: BrowserContext): Promise<(testInfo: TestInfo) => Promise<void>> {
  const t0 = Date.now();
  const lines: string[] = [];
  const short = (url: string) => url.replace(/^https?:\/\/[^/]+/, "").slice(0, 140);
  let tabs = 0;
  const watch = (page: Page) => {
    const tab = `tab ${++tabs}`;
    const at = () => `${((Date.now() - t0) / 1000).toFixed(2).padStart(7)} ${tab}`;
    page.on("request", (r) => {
      if (!r.url().includes("/_next/static/")) lines.push(`${at()} -> ${r.method()} ${short(r.url())}`);
    });
    page.on("requestfinished", async (r) => {
      if (r.url().includes("/_next/static/")) return;
      // A page closed by the test while a request finishes has no response to read: the timeline says so,
      // and a diagnostics listener never fails the test.
      const status = await r.response().then(
        (response) => response?.status() ?? "?",
        () => "(page closed)",
      );
      lines.push(`${at()} <- ${r.method()} ${short(r.url())} ${status}`);
    });
    page.on("requestfailed", (r) =>
      lines.push(`${at()} xx ${r.method()} ${short(r.url())} ${r.failure()?.errorText ?? ""}`),
    );
    page.on("console", (m) => lines.push(`${at()} console.${m.type()} ${m.text().slice(0, 200)}`));
    page.on("pageerror", (e) => lines.push(`${at()} page error ${e.message}`));
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) lines.push(`${at()} page ${short(f.url())}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  await context.addInitScript(() => {
    const realSetTimeout = window.setTimeout.bind(window);
    const stamp = () => `${(performance.now() / 1000).toFixed(2)} s on the page clock`;
    window.setTimeout = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => {
      const long = (ms ?? 0) >= 500;
      const id: number = realSetTimeout(() => {
        if (long) console.debug(`[timeline] timer ${id} (${Math.round(ms ?? 0)} ms) ran at ${stamp()}`);
        if (typeof fn === "function") (fn as (...a: unknown[]) => void)(...rest);
      }, ms);
      if (long)
        console.debug(
          `[timeline] timer ${id} set for ${Math.round(ms ?? 0)} ms at ${stamp()}, ${document.visibilityState}`,
        );
      return id;
    }) as typeof window.setTimeout;
    document.addEventListener("visibilitychange", () =>
      console.debug(`[timeline] visibility ${document.visibilityState} at ${stamp()}`),
    );
    // Messages between tabs (lib/client/tab-bus.ts): which arrived here, by type.
    const RealChannel = window.BroadcastChannel;
    window.BroadcastChannel = class extends RealChannel {
      constructor(name: string) {
        super(name);
        this.addEventListener("message", (e) =>
          console.debug(`[timeline] tab message ${(e.data as { type?: string })?.type} at ${stamp()}`),
        );
      }
    };
  });
  return async (testInfo) => {
    if (testInfo.status === testInfo.expectedStatus) return;
    const text = lines.join("\n");
    await testInfo.attach("client-timeline", { body: text, contentType: "text/plain" });
    console.log(
      `\n--- client timeline of "${testInfo.title}" (seconds since the test began) ---\n` +
        `${text}\n--- end of timeline ---`,
    );
  };
}
