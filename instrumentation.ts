/**
 * Runs once per server process. Installs the graceful shutdown (SIGTERM: stop taking requests, drain the
 * outbox, exit; lib/activity/shutdown.ts) and starts the sweeper that revokes abandoned sessions
 * (SWEEPER_ENABLED=false turns it off, e.g. when a separate worker runs it). Several instances may sweep at
 * once safely. A missing or bad variable stops the process here too (next.config.js says which).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { readServerEnv } = await import("@/lib/config/env.js");
  const env = readServerEnv();
  const { installGracefulShutdown } = await import("@/lib/activity/shutdown");
  installGracefulShutdown(env.SHUTDOWN_DRAIN_SECONDS);
  if (env.SWEEPER_ENABLED === "false") return;
  const { startSweeper } = await import("@/lib/activity/sweeper");
  startSweeper();
}
