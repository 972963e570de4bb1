/**
 * Starts extra app instances (the same production build, another port and policy) and extra Kratos
 * instances (same database and secrets, other ports) for tests that need their own budgets or must stop
 * Kratos without disturbing the rest of the run. Everything is stopped by the returned stop().
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sleep } from "./http";

// Async, so a test keeps sending requests (and timing them) while Kratos stops and starts.
const run = promisify(execFile);

const ROOT = path.resolve(import.meta.dirname, "../..");

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Anything listening on 127.0.0.1:port (not only HTTP: MariaDB sits on 3306 on some machines). */
export async function portOpen(port: number): Promise<boolean> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Stops the whole process group and waits until the port is really free (a next start can linger). */
async function killGroup(pid: number | undefined, port: number): Promise<void> {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // already gone
  }
  for (let i = 0; i < 50 && (await portOpen(port)); i++) await sleep(100);
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Ports for extra instances, counted from the run's own ports so that two test stacks (TEST_STACK_NAME with
 * other TEST_*_PORT values) never collide: app instances at APP_PORT + n (n = 1..9), a second Kratos at
 * the run's Kratos ports + 100.
 */
export function extraAppPort(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new Error(`extra app port offset must be 1..9, got ${n}`);
  return Number(process.env.APP_PORT ?? 3100) + n;
}
export function extraKratosPorts(): { publicPort: number; adminPort: number } {
  return {
    publicPort: Number(process.env.KRATOS_PUBLIC_PORT ?? 4533) + 100,
    adminPort: Number(process.env.KRATOS_ADMIN_PORT ?? 4534) + 100,
  };
}

export interface AppInstance {
  url: string;
  logs: () => string;
  stop: () => Promise<void>;
  /** Sends a signal to the `next start` process itself (graceful shutdown tests). */
  signal: (signal: NodeJS.Signals) => void;
  /** Resolves with the process's exit code (null when a signal killed it). */
  exited: Promise<number | null>;
}

export async function startApp(opts: {
  port: number;
  policy: Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<AppInstance> {
  const url = `http://localhost:${opts.port}`;
  if (await portOpen(opts.port))
    throw new Error(`port ${opts.port} is already in use: another app instance is still running`);
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), "app-")), "next.log");
  // exec: the child is the `next start` process itself (no npx in between), so its exit code is Next's.
  const child = spawn(
    "bash",
    ["-c", `exec node_modules/.bin/next start --hostname localhost --port ${opts.port} > "${logFile}" 2>&1`],
    {
      cwd: ROOT,
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        APP_URL: url,
        APP_INTERNAL_URL: url,
        IDLE_POLICY: JSON.stringify(opts.policy),
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
        ...opts.env,
      },
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await waitFor(`${url}/api/health`, 30_000);
  return {
    url,
    logs: () => readFileSync(logFile, "utf8"),
    stop: () => killGroup(child.pid, opts.port),
    signal: (signal) => void (child.pid && process.kill(child.pid, signal)),
    exited,
  };
}

export interface KratosInstance {
  publicUrl: string;
  adminUrl: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * A second Kratos on other ports, sharing the run's database and secrets (sessions are valid on both).
 * `extraEnv` overrides, e.g. KRATOS_DSN through a pass-through the test can cut (Kratos up, its database
 * gone); it reaches scripts/lib.sh's kratos_env (e.g. IDLE_POLICY_PRESET, which picks the cookie's persistence).
 */
export function kratosInstance(
  publicPort: number,
  adminPort: number,
  appUrl: string,
  extraEnv: Record<string, string> = {},
): KratosInstance {
  const stateDir = mkdtempSync(path.join(tmpdir(), "kratos-"));
  const publicUrl = `http://localhost:${publicPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const env = {
    ...process.env,
    STACK_NAME: "it-kratos",
    STATE_DIR: stateDir,
    KRATOS_PUBLIC_PORT: String(publicPort),
    KRATOS_ADMIN_PORT: String(adminPort),
    KRATOS_PUBLIC_URL: publicUrl,
    KRATOS_ADMIN_URL: adminUrl,
    APP_URL: appUrl,
    KRATOS_EXTRA_RETURN_URLS: "",
    ...extraEnv,
  };
  return {
    publicUrl,
    adminUrl,
    start: async () => {
      await run("bash", ["-c", ". scripts/lib.sh; load_stack_config; ensure_kratos_binary; start_kratos"], {
        cwd: ROOT,
        env,
      });
    },
    stop: async () => {
      await run("bash", ["-c", `. scripts/lib.sh; stop_pidfile "${stateDir}/kratos.pid"`], { cwd: ROOT, env });
    },
  };
}
