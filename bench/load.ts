/**
 * One autocannon run (in this process: the orchestrator does nothing else meanwhile, so the load comes
 * from a process other than the server's, over loopback).
 *
 * Every connection is one signed-in browser: it sends its own Kratos cookie and keeps the activity record
 * (`idle_act`) the gate sets, like a browser does, so the gate sees steady browsing (a whoami once per
 * revalidation interval per session), not a stale record that forces a Kratos call on every request.
 * Like a browser, a connection adopts every record the server sets. (An earlier version adopted one at most
 * every 5 s to keep the client's cost flat; the gate then saw a record older than its 1 s re-issue step on
 * most requests and re-signed almost every one, which no browser would cause.)
 *
 * Latencies are kept raw (float ms) and their percentiles computed exactly: autocannon's histogram is
 * whole milliseconds, too coarse for a p99 ratio on a route that answers in a few.
 */
import autocannon from "autocannon";
import { ACTIVITY_COOKIE } from "../lib/session/activity-record";
import { percentile } from "../test/helpers/stats";

export interface Browser {
  /** `ory_kratos_session=...` */
  kratosCookie: string;
  /** last `idle_act=...` the server set */
  record?: string;
  recordAt?: number;
}

export interface LoadResult {
  rps: number;
  /** how long the run really lasted (s) */
  seconds: number;
  /** every 2xx answer's latency (ms), for percentiles pooled over several runs */
  latencies: number[];
  p50: number;
  p99: number;
  ok: number;
  notOk: number;
  errors: number;
  /** every answer of the run, the settling part included (for a per-answer cost over the whole run) */
  answered: number;
}

function cookieHeader(b: Browser): string {
  return b.record ? `${b.kratosCookie}; ${b.record}` : b.kratosCookie;
}

/** llhttp hands autocannon the raw header list: [name, value, name, value, ...]. */
function setCookies(raw: unknown): string[] {
  const list = Array.isArray(raw)
    ? raw
    : Array.isArray((raw as { headers?: unknown })?.headers)
      ? (raw as { headers: unknown[] }).headers
      : [];
  const found: string[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (String(list[i]).toLowerCase() === "set-cookie") found.push(String(list[i + 1]));
  }
  return found;
}

/**
 * `settleMs`: answers that complete in the first settleMs of the run are neither counted nor timed. Every run
 * opens its connections afresh after the server sat idle, and with 2 s slices those first answers made
 * most of the slowest 1% for every design alike (the connections' start, not the route).
 */
export async function runLoad(opts: {
  url: string;
  seconds: number;
  connections: number;
  browsers: Browser[];
  settleMs?: number;
}): Promise<LoadResult> {
  const settleNs = BigInt(Math.round((opts.settleMs ?? 0) * 1e6));
  const latencies: number[] = [];
  let notOk = 0;
  let clientIndex = 0;
  const started = process.hrtime.bigint();
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: opts.url,
      connections: opts.connections,
      duration: opts.seconds,
      setupClient: (client) => {
        const browser = opts.browsers[clientIndex++ % opts.browsers.length]!;
        client.setHeaders({ cookie: cookieHeader(browser), accept: "*/*" });
        client.on("headers", (raw: unknown) => {
          const now = Date.now();
          const record = setCookies(raw).find((c) => c.startsWith(`${ACTIVITY_COOKIE}=`));
          if (!record) return;
          browser.record = record.split(";")[0];
          browser.recordAt = now;
          client.setHeaders({ cookie: cookieHeader(browser), accept: "*/*" });
        });
      },
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  let answered = 0;
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    answered += 1;
    if (settleNs > 0n && process.hrtime.bigint() - started < settleNs) return;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else notOk += 1;
  });
  const result = await done;
  const seconds = Number(process.hrtime.bigint() - started - settleNs) / 1e9;
  return {
    rps: latencies.length / seconds,
    seconds,
    latencies,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    notOk,
    errors: result.errors,
    answered,
  };
}
