/**
 * The production-shaped stack of scripts/test-production.sh, as the specs see it: the one HTTPS origin
 * (APP_URL, Caddy), the app instances behind it (PROD_APP_PORTS, on loopback), Kratos' loopback URLs, the
 * app database, and the processes (pid files in STATE_DIR, restarted through scripts/prod-lib.sh).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { signInternal } from "../../lib/session/internal-channel";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these specs through scripts/test.sh production`);
  return value;
}

export const ORIGIN = required("APP_URL");
export const KRATOS_INTERNAL_URL = required("KRATOS_PUBLIC_INTERNAL_URL");
export const STATE_DIR = required("STATE_DIR");
export const APP_PORTS = required("PROD_APP_PORTS").split(" ").map(Number);
export const POLICY = JSON.parse(required("IDLE_POLICY")) as {
  idleDesktopSeconds: number;
  activityWriteSeconds: number;
};

/** The loopback address Caddy names in X-Upstream for app instance n (1-based). */
export function upstreamOf(n: number): string {
  return `127.0.0.1:${APP_PORTS[n - 1]}`;
}

export function pool(): pg.Pool {
  const p = new pg.Pool({ connectionString: required("DATABASE_URL"), max: 4 });
  p.on("error", () => undefined);
  return p;
}

/** Runs bash with scripts/lib.sh and scripts/prod-lib.sh loaded and this stack's configuration. */
export async function stackShell(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(
    "bash",
    ["-c", `set -euo pipefail; . scripts/lib.sh; . scripts/prod-lib.sh; prod_config; ${script}`],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 180_000,
    },
  );
  return stdout;
}

export function pidOf(name: string): number {
  return Number(readFileSync(path.join(STATE_DIR, `${name}.pid`), "utf8").trim());
}

/** Running, and not a zombie (an exited process nobody reaped yet still answers kill(pid, 0)). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ...": the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Kratos' own verdict on a session cookie, asked on loopback: 200 signed in, 401 not. */
export async function whoami(cookie: string): Promise<{ status: number; id?: string }> {
  const response = await fetch(`${KRATOS_INTERNAL_URL}/sessions/whoami`, { headers: { cookie } });
  const body = response.ok ? ((await response.json()) as { id: string }) : undefined;
  if (!body) await response.body?.cancel();
  return { status: response.status, id: body?.id };
}

export interface Outbox {
  pending: number;
  produced: number;
  completed: number;
}

/** One instance's outbox counters, straight from its loopback port (signed like the gate's calls). */
export async function outboxOf(port: number): Promise<Outbox> {
  const signed = { "x-internal-auth": signInternal(required("SESSION_SECRET"), "GET", "/api/health", "") };
  const response = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: signed });
  return ((await response.json()) as { outbox: Outbox }).outbox;
}
