/**
 * Items 1 and 2: the ping route behind each design, measured in interleaved rounds (A B C D E, then
 * B C D E A, ...) so the machine's noise (other test stacks on the same 2 cores) hits every design alike.
 * Each design's figure is the median of its rounds; ratios are taken between medians of the same run.
 */
import { log } from "./log";
import { runLoad, type Browser, type LoadResult } from "./load";
import { median } from "./stats";
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
