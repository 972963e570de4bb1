/**
 * Runs once per server process. Starts the sweeper that revokes abandoned sessions (SWEEPER_ENABLED=false
 * turns it off, e.g. when a separate worker runs it). Several instances may sweep at once safely.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.SWEEPER_ENABLED === "false") return;
  const { startSweeper } = await import("@/lib/activity/sweeper");
  startSweeper();
}
