import "server-only";
/**
 * Graceful shutdown of an app instance (SIGTERM from systemd, a container runtime or a deploy; SIGINT from
 * Ctrl-C). In order:
 *   1. GET /api/health/ready answers 503 at once, so a balancer that probes it stops sending requests;
 *   2. Next's own handler (next start) closes the HTTP server: no new connections, requests in flight finish;
 *   3. the outbox drains: every audit row and activity write this process queued reaches PostgreSQL (retried
 *      while it is down), for at most SHUTDOWN_DRAIN_SECONDS;
 *   4. the process exits 0, or 1 when jobs were still queued at the deadline (they are lost; the log counts them).
 * IMPORTANT: Next offers no hook after its server has closed; it calls process.exit() when done. That call
 * is held here until step 3 is over (process.exit is wrapped only once a signal has arrived). Setting
 * NEXT_MANUAL_SIG_HANDLE would skip Next's server.close(); then this handler drains and exits by itself.
 */
import { drained, outboxStats } from "./outbox";

const g = globalThis as unknown as { __shutdown?: { installed: boolean; since?: number } };
const state = (g.__shutdown ??= { installed: false });

/** True once SIGTERM or SIGINT has arrived (readiness answers 503). */
export function shuttingDown(): boolean {
  return state.since !== undefined;
}

async function finish(exit: (code: number) => never, drainMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMs)));
  const done = await Promise.race([drained().then(() => true as const), deadline]);
  clearTimeout(timer);
  const stats = outboxStats();
  if (done) {
    console.log(`[shutdown] outbox drained (${stats.completed} of ${stats.produced} writes done); exiting`);
    exit(0);
  }
  const lost = stats.pending;
  console.error(`[shutdown] ${lost} outbox write(s) not stored after ${drainMs / 1000} s; exiting without them`);
  exit(1);
}

export function installGracefulShutdown(drainSeconds: number): void {
  if (state.installed) return;
  state.installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    if (state.since !== undefined) return;
    state.since = Date.now();
    console.log(`[shutdown] ${signal}: closing the server, then draining the outbox (${outboxStats().pending} queued)`);
    const exit = process.exit.bind(process) as (code: number) => never;
    let held = false;
    process.exit = ((code?: number) => {
      if (held) return undefined as never;
      held = true;
      console.log(`[shutdown] server closed (Next would exit ${code ?? 0}); draining`);
      void finish(exit, drainSeconds * 1000);
      return undefined as never;
    }) as typeof process.exit;
    if (process.env.NEXT_MANUAL_SIG_HANDLE) process.exit(0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
