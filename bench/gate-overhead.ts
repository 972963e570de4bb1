/**
 * Items 1 and 2: the ping route behind each design, measured in interleaved rounds (A B C D E, then
 * B C D E A, ...) so the machine's noise (other test stacks on the same 2 cores) hits every design alike.
 * Each design's figure is the median of its rounds; ratios are taken between medians of the same run.
 */
import { log } from "./log";
import { runLoad, type Browser, type LoadResult } from "./load";
import { groupCpuMs } from "./proc-cpu";
import { median, percentile } from "../test/helpers/stats";
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
    runLoad({
      url: `${opts.servers[design].url}${PING_PATH}`,
      seconds,
      connections: opts.connections,
      browsers: opts.browsers[design],
    });

  log(`gate: warm-up ${opts.warmupSeconds} s per design`);
  for (const design of DESIGNS) {
    const warm = await run(design, opts.warmupSeconds);
    if (warm.ok === 0 || warm.notOk > 0 || warm.errors > 0) {
      throw new Error(
        `${design}: the ping route did not answer 200 during warm-up ` +
          `(${warm.ok} ok, ${warm.notOk} not ok, ${warm.errors} errors)`,
      );
    }
  }
  for (let round = 0; round < opts.rounds; round++) {
    // Rotate the order so no design always runs right after the same neighbour.
    const order = DESIGNS.map((_, i) => DESIGNS[(i + round) % DESIGNS.length]!);
    for (const design of order) {
      const r = await run(design, opts.seconds);
      if (r.notOk > 0 || r.errors > 0)
        throw new Error(`${design}: ${r.notOk} non-2xx answers and ${r.errors} errors in round ${round + 1}`);
      results[design].push(r);
    }
    const figures = order.map((d) => `${d} ${results[d].at(-1)!.rps.toFixed(0)}/s`).join(", ");
    log(`gate: round ${round + 1}/${opts.rounds}: ${figures}`);
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
  /** ours / empty pooled within each batch (one fresh pair of server processes each) */
  batchRatios: { rps: number[]; p99: number[] };
  /** server CPU per answered ping (µs, every process of the server, pooled), and ours / empty per batch */
  cpu: { ours: number; empty: number; batchRatios: number[] };
}

type PairedDesign = "ours" | "empty";

/**
 * Item 1's targets: ours against the empty middleware only, in many short slices that alternate
 * (ours empty, empty ours, ours empty, ...). The machine's noise here (other stacks, the host) moves the
 * same design by ±15% between 8 s rounds half a minute apart; two slices a second apart see nearly the same
 * machine. Each design's figures pool every one of its slices (requests over seconds; percentiles of all
 * latencies), so both are measured over the same stretch of time. The first `settleMs` of every slice is
 * left out: fresh connections to a server that sat idle for a slice answer slowly for both designs.
 *
 * The pairs run in `batches`, each against a fresh pair of `next start` processes (started, warmed up,
 * measured, stopped). IMPORTANT: one process is not a sample of its build. Two processes of the same build,
 * measured in the same alternating slices, differed by up to 15% in server CPU per request here (V8 compiles
 * and lays out each process differently), more than the margin the target leaves; a single pair of processes
 * measured that luck as often as the middleware. Pooling over several pairs measures the build.
 */
export async function measurePaired(opts: {
  /** starts a fresh server of the design for a batch (on its own port); the caller's Server.stop() ends it */
  start: (design: PairedDesign, batch: number) => Promise<Server>;
  browsers: Record<PairedDesign, Browser[]>;
  batches: number;
  pairs: number;
  sliceSeconds: number;
  /** the start of each slice left out of the figures (see runLoad) */
  settleMs: number;
  warmupSeconds: number;
  connections: number;
}): Promise<PairedFigures> {
  const slices = { ours: [] as LoadResult[], empty: [] as LoadResult[] };
  const pairRatios = { rps: [] as number[], p99: [] as number[] };
  const batchRatios = { rps: [] as number[], p99: [] as number[] };
  const cpu = { ours: { ms: 0, answered: 0 }, empty: { ms: 0, answered: 0 }, batchRatios: [] as number[] };
  const perBatch = Math.ceil(opts.pairs / opts.batches);
  for (let batch = 0; batch < opts.batches; batch++) {
    const servers = {} as Record<PairedDesign, Server>;
    try {
      for (const d of ["ours", "empty"] as const) servers[d] = await opts.start(d, batch);
      const run = (d: PairedDesign, seconds: number, settleMs: number) =>
        runLoad({
          url: `${servers[d].url}${PING_PATH}`,
          seconds,
          connections: opts.connections,
          browsers: opts.browsers[d],
          settleMs,
        });
      for (const d of ["ours", "empty"] as const) {
        const warm = await run(d, opts.warmupSeconds, 0);
        if (warm.ok === 0 || warm.notOk > 0 || warm.errors > 0)
          throw new Error(
            `${d} (batch ${batch + 1}): ${warm.ok} ok, ${warm.notOk} not ok, ${warm.errors} errors in warm-up`,
          );
      }
      const inBatch = { ours: [] as LoadResult[], empty: [] as LoadResult[] };
      const cpuInBatch = { ours: { ms: 0, answered: 0 }, empty: { ms: 0, answered: 0 } };
      for (let pair = 0; pair < perBatch && batch * perBatch + pair < opts.pairs; pair++) {
        const order = pair % 2 === 0 ? (["ours", "empty"] as const) : (["empty", "ours"] as const);
        const got = {} as Record<PairedDesign, LoadResult>;
        for (const d of order) {
          const before = groupCpuMs(servers[d].pgid);
          const r = await run(d, opts.sliceSeconds, opts.settleMs);
          const used = groupCpuMs(servers[d].pgid) - before;
          for (const tally of [cpu[d], cpuInBatch[d]]) {
            tally.ms += used;
            tally.answered += r.answered;
          }
          if (r.notOk > 0 || r.errors > 0)
            throw new Error(
              `${d}: ${r.notOk} non-2xx answers and ${r.errors} errors in batch ${batch + 1}, slice ${pair + 1}`,
            );
          got[d] = r;
          slices[d].push(r);
          inBatch[d].push(r);
        }
        pairRatios.rps.push(got.ours.rps / got.empty.rps);
        pairRatios.p99.push(got.ours.p99 / got.empty.p99);
      }
      const o = pool(inBatch.ours);
      const e = pool(inBatch.empty);
      batchRatios.rps.push(o.rps / e.rps);
      batchRatios.p99.push(o.p99 / e.p99);
      const cpuRatio = perAnswer(cpuInBatch.ours) / perAnswer(cpuInBatch.empty);
      cpu.batchRatios.push(cpuRatio);
      log(
        `gate (paired): batch ${batch + 1}/${opts.batches} (fresh processes, ${inBatch.ours.length} pairs): ` +
          `${(o.rps / e.rps).toFixed(2)}× throughput, ${(o.p99 / e.p99).toFixed(2)}× p99, ` +
          `${cpuRatio.toFixed(2)}× server CPU per ping`,
      );
    } finally {
      for (const server of Object.values(servers)) await server.stop();
    }
  }
  return {
    ours: pool(slices.ours),
    empty: pool(slices.empty),
    pairRatios,
    batchRatios,
    cpu: { ours: perAnswer(cpu.ours), empty: perAnswer(cpu.empty), batchRatios: cpu.batchRatios },
  };
}

/** µs of server CPU per answer */
function perAnswer(tally: { ms: number; answered: number }): number {
  return (tally.ms * 1000) / tally.answered;
}

function pool(list: LoadResult[]) {
  const latencies = list.flatMap((r) => r.latencies);
  const seconds = list.reduce((sum, r) => sum + r.seconds, 0);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
  };
}
