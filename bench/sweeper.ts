/**
 * Item 4 (parent side): a fresh, migrated database for the sweep, then sweeper-worker.ts in its own
 * process against it (the real sweeper reads DATABASE_URL once, for its pool).
 */
import { scratchDatabase } from "../test/helpers/stack";
import { log } from "./log";
import { runWorker } from "./worker";

export interface SweepFigures {
  rows: number;
  expired: number;
  loadSeconds: number;
  passes: number;
  ended: number;
  failed: number;
  revokeMs: number;
  idlePassMs: number;
  plan: string[];
  live: number;
  endedRows: number;
}

export async function measureSweeper(opts: {
  env: NodeJS.ProcessEnv;
  rows: number;
  expired: number;
}): Promise<SweepFigures> {
  const db = await scratchDatabase("app_bench_sweep");
  try {
    log(`sweeper: ${opts.rows.toLocaleString("en")} rows, ${opts.expired.toLocaleString("en")} expired`);
    return await runWorker<SweepFigures>("sweeper worker", "sweeper-worker.ts", {
      nodeFlags: ["--conditions=react-server"],
      env: {
        ...opts.env,
        DATABASE_URL: db.url,
        BENCH_SWEEP_ROWS: String(opts.rows),
        BENCH_SWEEP_EXPIRED: String(opts.expired),
      },
    });
  } finally {
    await db.drop();
  }
}
