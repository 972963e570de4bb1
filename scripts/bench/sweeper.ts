/**
 * Item 4 (parent side): a fresh, migrated database for the sweep, then sweeper-worker.ts in its own
 * process against it (the real sweeper reads DATABASE_URL once, for its pool).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { scratchDatabase } from "../../test/helpers/stack";
import { ROOT } from "./config";
import { log } from "./log";

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

export async function measureSweeper(opts: { env: NodeJS.ProcessEnv; rows: number; expired: number }): Promise<SweepFigures> {
  const db = await scratchDatabase("app_bench_sweep");
  try {
    log(`sweeper: ${opts.rows.toLocaleString("en")} rows, ${opts.expired.toLocaleString("en")} expired`);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(import.meta.dirname, "sweeper-worker.ts")], {
        cwd: ROOT,
        env: { ...opts.env, DATABASE_URL: db.url, BENCH_SWEEP_ROWS: String(opts.rows), BENCH_SWEEP_EXPIRED: String(opts.expired) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`sweeper worker failed (exit ${code}):\n${err.slice(-3000)}`))));
    });
    const line = output.trim().split("\n").at(-1) ?? "";
    return JSON.parse(line) as SweepFigures;
  } finally {
    await db.drop();
  }
}
