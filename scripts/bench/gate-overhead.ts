/**
 * Items 1 and 2: the ping route behind each design, measured in interleaved rounds (A B C D E, then
 * B C D E A, ...) so the machine's noise (other test stacks on the same 2 cores) hits every design alike.
 * Each design's figure is the median of its rounds; ratios are taken between medians of the same run.
 */
import { log } from "./log";
import { runLoad, type Browser, type LoadResult } from "./load";
import { median, percentile } from "./stats";
import type { Server } from "./servers";

export const DESIGNS = ["ours", "none", "empty", "naive", "whoami"] as const;
export type Design = (typeof DESIGNS)[number];

export interface DesignFigures {
  rps: number;
  p50: number;
  p99: number;
  rounds: LoadResult[];
}

export const PING_PATH = "/api/bench/ping";

export async function measureGate(opts: {
  servers: Record<Design, Server>;
  /** one browser list per design: every design sees the same sessions, each keeps its own records */
  browsers: Record<Design, Browser[]>;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}): Promise<Record<Design, DesignFigures>> {
  const results = Object.fromEntries(DESIGNS.map((d) => [d, [] as LoadResult[]])) as Record<Design, LoadResult[]>;
  const run = (design: Design, seconds: number) =>
    runLoad({ url: `${opts.servers[design].url}${PING_PATH}`, seconds, connections: opts.connections, browsers: opts.browsers[design] });

  log(`gate: warm-up ${opts.warmupSeconds} s per design`);
  for (const design of DESIGNS) {
    const warm = await run(design, opts.warmupSeconds);
    if (warm.ok === 0 || warm.notOk > 0 || warm.errors > 0) {
      throw new Error(`${design}: the ping route did not answer 200 during warm-up (${warm.ok} ok, ${warm.notOk} not ok, ${warm.errors} errors)`);
    }
  }
  for (let round = 0; round < opts.rounds; round++) {
    // Rotate the order so no design always runs right after the same neighbour.
    const order = DESIGNS.map((_, i) => DESIGNS[(i + round) % DESIGNS.length]!);
    for (const design of order) {
      const r = await run(design, opts.seconds);
      if (r.notOk > 0 || r.errors > 0) throw new Error(`${design}: ${r.notOk} non-2xx answers and ${r.errors} errors in round ${round + 1}`);
      results[design].push(r);
    }
    log(`gate: round ${round + 1}/${opts.rounds}: ${order.map((d) => `${d} ${results[d].at(-1)!.rps.toFixed(0)}/s`).join(", ")}`);
  }
  return Object.fromEntries(
    DESIGNS.map((d) => [
      d,
      {
        rps: median(results[d].map((r) => r.rps)),
        p50: median(results[d].map((r) => r.p50)),
        p99: median(results[d].map((r) => r.p99)),
        rounds: results[d],
      },
    ]),
  ) as Record<Design, DesignFigures>;
}

export interface PairedFigures {
  /** pooled over every slice of the design: answers / seconds, and exact percentiles of all latencies */
  ours: { rps: number; p50: number; p99: number; requests: number };
  empty: { rps: number; p50: number; p99: number; requests: number };
  /** ours / empty per pair of neighbouring slices: the spread the pooled ratio is taken from */
  pairRatios: { rps: number[]; p99: number[] };
}

/**
 * Item 1's targets: ours against the empty middleware only, in many short slices that alternate
 * (ours empty, empty ours, ours empty, ...). The machine's noise here (other stacks, the host) moves the
 * same design by ±15% between 8 s rounds half a minute apart; two slices a second apart see nearly the same
 * machine. Each design's figures pool every one of its slices (requests over seconds; percentiles of all
 * latencies), so both are measured over the same stretch of time. The first `settleMs` of every slice is
 * left out: fresh connections to a server that sat idle for a slice answer slowly for both designs.
 */
export async function measurePaired(opts: {
  ours: { url: string; browsers: Browser[] };
  empty: { url: string; browsers: Browser[] };
  pairs: number;
  sliceSeconds: number;
  /** the start of each slice left out of the figures (see runLoad) */
  settleMs: number;
  connections: number;
}): Promise<PairedFigures> {
  const slices = { ours: [] as LoadResult[], empty: [] as LoadResult[] };
  const pairRatios = { rps: [] as number[], p99: [] as number[] };
  const run = (d: "ours" | "empty") =>
    runLoad({ url: `${opts[d].url}${PING_PATH}`, seconds: opts.sliceSeconds, connections: opts.connections, browsers: opts[d].browsers, settleMs: opts.settleMs });
  for (let pair = 0; pair < opts.pairs; pair++) {
    const order = pair % 2 === 0 ? (["ours", "empty"] as const) : (["empty", "ours"] as const);
    const got = {} as Record<"ours" | "empty", LoadResult>;
    for (const d of order) {
      const r = await run(d);
      if (r.notOk > 0 || r.errors > 0) throw new Error(`${d}: ${r.notOk} non-2xx answers and ${r.errors} errors in slice ${pair + 1}`);
      got[d] = r;
      slices[d].push(r);
    }
    pairRatios.rps.push(got.ours.rps / got.empty.rps);
    pairRatios.p99.push(got.ours.p99 / got.empty.p99);
    if ((pair + 1) % 10 === 0) log(`gate (paired): ${pair + 1}/${opts.pairs} pairs, median so far ${median(pairRatios.rps).toFixed(2)}× throughput, ${median(pairRatios.p99).toFixed(2)}× p99`);
  }
  const pool = (list: LoadResult[]) => {
    const latencies = list.flatMap((r) => r.latencies);
    const seconds = list.reduce((sum, r) => sum + r.seconds, 0);
    return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: latencies.length };
  };
  return { ours: pool(slices.ours), empty: pool(slices.empty), pairRatios };
}
