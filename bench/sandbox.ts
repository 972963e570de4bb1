/**
 * Item 1, the middleware alone (parent side): ours and the empty middleware, each in Next's Edge sandbox in a
 * process of its own (sandbox-worker.ts), alternating for `rounds` rounds (ours empty, empty ours, ...), a
 * fresh process each time (one process is not a sample of its build, see gate-overhead.ts). Each figure is
 * the median of its design's rounds. Tells how much of the server's extra CPU per ping the gate's own code
 * is, next to what Next's adapter costs any middleware.
 */
import { log } from "./log";
import { median } from "../test/helpers/stats";
import { variantDir } from "./variants";
import { runWorker } from "./worker";

interface WorkerFigures {
  calls: number;
  reissues: number;
  cpuUsPerCall: number;
  wallUsPerCall: number;
}

export interface SandboxFigures {
  ours: { cpuUsPerCall: number; reissuesPerSecond: number };
  empty: { cpuUsPerCall: number };
  rounds: number;
}

function runOnce(design: "ours" | "empty", seconds: number, env: NodeJS.ProcessEnv): Promise<WorkerFigures> {
  return runWorker<WorkerFigures>(`sandbox worker (${design})`, "sandbox-worker.ts", {
    args: [variantDir(design), String(seconds), "3000", design === "ours" ? "yes" : "no"],
    env: { ...env, NODE_ENV: "production" },
  });
}

export async function measureSandbox(opts: {
  env: NodeJS.ProcessEnv;
  rounds: number;
  seconds: number;
}): Promise<SandboxFigures> {
  const got = { ours: [] as WorkerFigures[], empty: [] as WorkerFigures[] };
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? (["ours", "empty"] as const) : (["empty", "ours"] as const);
    for (const design of order) got[design].push(await runOnce(design, opts.seconds, opts.env));
    const cpu = (design: "ours" | "empty") => got[design].at(-1)!.cpuUsPerCall.toFixed(1);
    log(`sandbox: round ${round + 1}/${opts.rounds}: ours ${cpu("ours")} µs, empty ${cpu("empty")} µs CPU per call`);
  }
  if (got.ours.some((r) => r.reissues === 0))
    throw new Error("sandbox: ours never re-issued the record: the worker did not take the common path");
  return {
    ours: {
      cpuUsPerCall: median(got.ours.map((r) => r.cpuUsPerCall)),
      reissuesPerSecond: median(got.ours.map((r) => r.reissues / opts.seconds)),
    },
    empty: { cpuUsPerCall: median(got.empty.map((r) => r.cpuUsPerCall)) },
    rounds: opts.rounds,
  };
}
