/**
 * The sweeper as a separate worker, for deployments that run the app with SWEEPER_ENABLED=false:
 *   npm run sweeper
 * Safe next to in-app sweepers and other workers (rows are claimed with FOR UPDATE SKIP LOCKED).
 */
import { ConfigError, readPolicy, readServerEnv } from "../lib/config/env.js";
import { sweepWhenSafe } from "../lib/activity/sweeper";

try {
  readServerEnv();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const interval = readPolicy().sweepIntervalSeconds * 1000;
let stopping = false;
process.on("SIGINT", () => (stopping = true));
process.on("SIGTERM", () => (stopping = true));
console.log(`[sweeper] every ${interval / 1000} s`);
const pass = sweepWhenSafe();
while (!stopping) {
  try {
    const result = await pass();
    if (result && (result.ended || result.failed))
      console.log(`[sweeper] ended ${result.ended}, failed ${result.failed}`);
  } catch (error) {
    console.error(`[sweeper] pass failed, will retry: ${(error as Error).message}`);
  }
  await new Promise((resolve) => setTimeout(resolve, interval));
}
process.exit(0);
