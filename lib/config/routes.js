// @ts-check
/**
 * THE ROUTE TABLE: which paths the Edge gate never sees, and which it passes on unjudged. Plain JavaScript
 * with no imports, so next.config.js, the Edge gate (through lib/session/request-kind.ts) and the tests all
 * read the same list. Three things are derived from it:
 *   - the middleware matcher's exclusions (Next wants the matcher in middleware.ts to be a literal:
 *     lib/config/routes.test.ts checks that the literal equals matcherSource()),
 *   - the routes that get their security headers from next.config.js (unmatchedHeaderSources()),
 *   - the public prefixes the gate passes on unjudged (publicPrefixes(), used by classify()).
 *
 * `gate`:
 *   "unmatched" the middleware never runs (static assets; routes that take a body and check the session
 *               themselves: for a matched route Next buffers the whole body, up to 10 MB then truncated,
 *               before anything answers, so an oversized or trickled body would hold the request to its
 *               last byte and an upload would be cut);
 *   "public"    the gate runs (security headers, nonce) but never judges the session.
 * `match`: "exact" the path only; "prefix" the path and anything after it (as the matcher's lookahead
 * reads it); "segment" the path and everything below it ("/login", "/login/x", not "/loginx").
 */

/** The gate's signed channel to the Node side. */
export const INTERNAL_PREFIX = "/api/internal";

/**
 * @typedef {{ path: string; gate: "unmatched" | "public"; match: "exact" | "prefix" | "segment"; why: string }} Route
 */

/** @type {readonly Route[]} */
export const ROUTES = [
  { path: "/_next/static", gate: "unmatched", match: "prefix", why: "static assets" },
  { path: "/_next/image", gate: "unmatched", match: "prefix", why: "image optimizer" },
  { path: "/favicon.ico", gate: "unmatched", match: "prefix", why: "static asset" },
  { path: "/robots.txt", gate: "unmatched", match: "prefix", why: "static asset" },
  {
    path: "/api/upload",
    gate: "unmatched",
    match: "exact",
    why: "streams its body: apiSession() before reading a byte",
  },
  {
    path: "/api/session/activity",
    gate: "unmatched",
    match: "exact",
    why: "heartbeat: reads at most 8 KB, then apiSession()",
  },
  {
    path: "/api/session/events",
    gate: "unmatched",
    match: "exact",
    why: "warning reports: reads at most 1 KB, then apiSession()",
  },
  { path: INTERNAL_PREFIX, gate: "unmatched", match: "segment", why: "the gate's own signed channel" },
  { path: "/login", gate: "public", match: "segment", why: "sign-in" },
  { path: "/registration", gate: "public", match: "segment", why: "sign-up" },
  { path: "/recovery", gate: "public", match: "segment", why: "account recovery (forgot password)" },
  { path: "/verification", gate: "public", match: "segment", why: "email verification" },
  { path: "/error", gate: "public", match: "segment", why: "Kratos' error page" },
  { path: "/signed-out", gate: "public", match: "segment", why: "shown after a sign-out" },
  { path: "/api/health", gate: "public", match: "segment", why: "liveness" },
];

/** @param {Route} r */
function lookahead(r) {
  const bare = r.path.slice(1);
  return r.match === "exact" ? `${bare}$` : r.match === "segment" ? `${bare}/` : bare;
}

/** The middleware matcher: everything but the unmatched routes. */
export function matcherSource() {
  const skipped = ROUTES.filter((r) => r.gate === "unmatched").map(lookahead);
  return `/((?!${skipped.join("|")}).*)`;
}

/**
 * Routes whose security headers come from next.config.js: every unmatched page-like path, and every API
 * route, matched or not (JSON is never a page; the gate sets no security headers on API calls). Never a
 * matched page: a second, static CSP header would be enforced beside the gate's per-request one.
 */
export function unmatchedHeaderSources() {
  const assets = ROUTES.filter((r) => r.gate === "unmatched" && !r.path.startsWith("/api/"));
  return [...assets.map((r) => (r.path === "/_next/static" ? `${r.path}/:path*` : r.path)), "/api/:path*"];
}

/** Paths the gate passes on without judging the session (whole-segment prefixes). */
export function publicPrefixes() {
  return ROUTES.filter((r) => r.gate === "public").map((r) => r.path);
}

/** Unmatched files served at the root that classify() also treats as public if they ever reach the gate. */
export const PUBLIC_FILES = ROUTES.filter((r) => r.gate === "unmatched" && /\.\w+$/.test(r.path)).map((r) => r.path);
