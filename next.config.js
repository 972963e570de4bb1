// @ts-check
/**
 * Importing the env module here makes a missing or bad variable stop `next dev` and `next start` at once,
 * with a message naming the variable (never a half-configured app). `next build` checks everything but the
 * secrets (readBuildEnv): a build holds no secret and can be promoted between environments; each process
 * checks its own when it starts (here for Next, at the top of every program in scripts/ and db/).
 */
import { PHASE_PRODUCTION_BUILD } from "next/constants.js";
import { ConfigError, readBuildEnv, readPolicy, readServerEnv } from "./lib/config/env.js";
import { unmatchedHeaderSources } from "./lib/config/routes.js";
import { modeOf, securityHeaders } from "./lib/security/headers.js";

/** @param {string} phase */
function checkedEnv(phase) {
  try {
    readPolicy();
    return phase === PHASE_PRODUCTION_BUILD ? readBuildEnv() : readServerEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The routes the middleware matcher skips, and every API route, get their security headers here; every page
 * it matches gets them from the gate, with a per-request nonce CSP. Derived from the route table
 * (lib/config/routes.js), like the matcher itself, so the two cannot drift apart.
 * Next fixes these headers at build time (routes-manifest), so HSTS here follows the APP_URL of the build.
 * (The gate and the TLS proxy send HSTS at run time; see docs/deploy.md.)
 */
const UNMATCHED = unmatchedHeaderSources();
/** @param {Record<string, string>} headers */
const list = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/**
 * @param {string} phase
 * @returns {import("next").NextConfig}
 */
export default function nextConfig(phase) {
  const env = checkedEnv(phase);
  return {
    // Lets the test run build into its own folder, so it never collides with a running dev stack.
    distDir: process.env.NEXT_DIST_DIR || ".next",
    poweredByHeader: false,
    reactStrictMode: true,
    // IMPORTANT: keep Next's router headers (next-router-prefetch, rsc) visible to middleware.ts, so the gate
    // can tell a <Link> prefetch (never activity) from a navigation. Without it they are stripped.
    skipProxyUrlNormalize: true,
    async headers() {
      const headers = securityHeaders({
        appUrl: env.APP_URL,
        kratosPublicUrl: env.KRATOS_PUBLIC_URL,
        mode: modeOf(process.env.NODE_ENV),
      });
      return UNMATCHED.map((source) => ({ source, headers: list(headers.static) }));
    },
    experimental: {
      // forbidden() -> app/forbidden.tsx with a real 403 status for non-admins.
      authInterrupts: true,
      // The upload demo streams 100 MB to a route handler; server actions keep the default small limit.
    },
  };
}
