// @ts-check
/**
 * Importing the env module here makes a missing or bad variable stop `next dev`, `next build` and
 * `next start` at once, with a message naming the variable (never a half-configured app).
 */
import { ConfigError, readPolicy, readServerEnv } from "./lib/config/env.js";

try {
  readServerEnv();
  readPolicy();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Lets the test run build into its own folder, so it never collides with a running dev stack.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // IMPORTANT: keep Next's router headers (next-router-prefetch, rsc) visible to middleware.ts, so the gate
  // can tell a <Link> prefetch (never activity) from a navigation. Without it they are stripped.
  skipProxyUrlNormalize: true,
  experimental: {
    // forbidden() -> app/forbidden.tsx with a real 403 status for non-admins.
    authInterrupts: true,
    // The upload demo streams 100 MB to a route handler; server actions keep the default small limit.
  },
};

export default nextConfig;
