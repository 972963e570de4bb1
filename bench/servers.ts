/**
 * `next start` of a variant's production build, on a port of the bench's own range, in its own process
 * group (stopped as a group: node -> next-server). Optionally with V8's CPU profiler (--cpu-prof).
 */
import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { BENCH_DIR } from "./config";
import { nextBin, variantDir, type Variant } from "./variants";
import { sleep } from "../test/helpers/http";
import { portOpen } from "../test/helpers/processes";

export interface Server {
  name: string;
  url: string;
  /** its process group (the `next start` process's pid): see proc-cpu.ts */
  pgid: number;
  stop: () => Promise<void>;
}

/** Up = answers HTTP below 500 (a baseline middleware answers 401 to a request without a session). */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

export async function startServer(opts: {
  name: string;
  variant: Variant;
  port: number;
  env: NodeJS.ProcessEnv;
  cpuProfileDir?: string;
}): Promise<Server> {
  const url = `http://localhost:${opts.port}`;
  if (await portOpen(opts.port))
    throw new Error(
      `port ${opts.port} is already in use: stop what listens there, ` +
        `or move the bench with BENCH_APP_PORT=<port> npm run bench`,
    );
  const logs = path.join(BENCH_DIR, "logs");
  mkdirSync(logs, { recursive: true });
  const out = openSync(path.join(logs, `${opts.name}.log`), "w");
  // On the command line: Node refuses --cpu-prof in NODE_OPTIONS. `next start` serves from this process.
  const profiling = opts.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profiling, nextBin(opts.variant), "start", "--hostname", "localhost", "--port", String(opts.port)],
    {
      cwd: variantDir(opts.variant),
      detached: true, // own process group, so stop() reaches next-server too
      stdio: ["ignore", out, out],
      env: { ...opts.env, APP_URL: url, APP_INTERNAL_URL: url, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  let exited = false;
  child.on("exit", () => (exited = true));
  const stop = async () => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    // SIGTERM lets Node write the CPU profile; give it time before the hard stop.
    for (let i = 0; i < 100 && !exited; i++) await sleep(100);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const until = Date.now() + 60_000;
  while (!(await answers(`${url}/api/health`))) {
    if (exited || Date.now() > until) {
      await stop();
      throw new Error(
        `${opts.name} (next start on ${opts.port}) did not come up: see .stack/bench/logs/${opts.name}.log`,
      );
    }
    await sleep(200);
  }
  return { name: opts.name, url, pgid: child.pid!, stop };
}
