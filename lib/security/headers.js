// @ts-check
/**
 * The security headers, in one place: the Edge gate (lib/gate/gate.ts) sends them with every response it
 * produces, and next.config.js sends them for the routes the middleware matcher skips (static files,
 * /api/upload). Plain JS with JSDoc types because next.config.js imports it; Web APIs only (Edge).
 *
 * Decisions (docs/security.md, "Headers", says the same):
 * - script-src: a fresh nonce per request + 'strict-dynamic', never 'unsafe-inline'. Next reads the nonce
 *   from the request's Content-Security-Policy header and puts it on its own scripts, which then load the
 *   rest (strict-dynamic). 'unsafe-eval' only in development (React's dev error overlay needs it).
 * - style-src 'self' 'unsafe-inline', and deliberately no nonce: React `style={...}` props and
 *   @ory/elements-react render inline style attributes, which a nonce cannot allow, and a nonce in
 *   style-src would switch 'unsafe-inline' off. Inline styles cannot run code; scripts stay strict.
 * - connect-src and form-action: the app and the Kratos public origin (elements-react calls Kratos from the
 *   browser and Kratos' browser flows post forms to it).
 * - Referrer-Policy strict-origin-when-cross-origin, not no-referrer: cross-origin requests (Kratos) get the
 *   origin only, never a path with a flow id or return_to; with no-referrer browsers send `Origin: null`
 *   on form posts, which breaks Origin-based CSRF checks (Next's server actions).
 * - HSTS only in production and only when APP_URL is https: it is ignored over http, and a development
 *   machine must not pin localhost to https. Behind a TLS-terminating proxy APP_URL is the https URL the
 *   browser sees, so the app sends it and the proxy passes it on. No includeSubDomains/preload: those
 *   bind every subdomain of the deployment's domain, the domain owner's decision.
 */
import { z } from "zod";

export const REFERRER_POLICY = "strict-origin-when-cross-origin";

/** Browser features this app never uses, denied to the page and to anything it embeds. */
export const DENIED_FEATURES = Object.freeze([
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "usb",
]);
export const PERMISSIONS_POLICY = DENIED_FEATURES.map((f) => `${f}=()`).join(", ");

/** One year; without includeSubDomains/preload (see above). */
export const HSTS = "max-age=31536000";

/**
 * For responses that are never a page (static files, JSON from routes the middleware skips): nothing may
 * load, and nobody may frame them.
 */
export const STATIC_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const optionsSchema = z.object({
  appUrl: z.url({ protocol: /^https?$/ }),
  kratosPublicUrl: z.url({ protocol: /^https?$/ }),
  mode: z.enum(["development", "production", "test"]),
});

/** @typedef {z.input<typeof optionsSchema>} HeaderOptions */
/**
 * Header name (lower case) -> value.
 * @typedef {Record<string, string> & { "content-security-policy": string }} HeaderSet
 */

// A nonce is 128 random bits in base64: nothing else may ever reach the header.
const nonceSchema = z.string().regex(/^[A-Za-z0-9+/]{22}==$/, "a nonce must be 16 random bytes in base64");

/** A fresh nonce for one response: 128 bits from the Web Crypto CSPRNG, base64. */
export function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * NODE_ENV as a mode. Anything unknown counts as production: the strict choice (no 'unsafe-eval').
 * @param {string | undefined} nodeEnv
 * @returns {"development" | "production" | "test"}
 */
export function modeOf(nodeEnv) {
  return nodeEnv === "development" || nodeEnv === "test" ? nodeEnv : "production";
}

/**
 * Builds the header sets for one configuration (validated once); only the nonce changes per request.
 * @param {HeaderOptions} options
 */
export function securityHeaders(options) {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new Error(
      `security headers: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const { mode } = parsed.data;
  // Origins only (scheme://host:port): a URL's path or query can never reach the policy.
  const app = new URL(parsed.data.appUrl);
  const kratos = new URL(parsed.data.kratosPublicUrl).origin;
  const https = app.protocol === "https:";
  // Same origin as the app (Kratos mounted under a path of it): 'self' already covers it.
  const kratosSource = kratos === app.origin ? "" : ` ${kratos}`;

  /** @type {Record<string, string>} */
  const common = {
    "x-content-type-options": "nosniff",
    "referrer-policy": REFERRER_POLICY,
    "permissions-policy": PERMISSIONS_POLICY,
    // Legacy twin of frame-ancestors for browsers without CSP level 2.
    "x-frame-options": "DENY",
    ...(mode === "production" && https ? { "strict-transport-security": HSTS } : {}),
  };

  /**
   * @param {string} nonce
   * @returns {string}
   */
  function pageCsp(nonce) {
    const checked = nonceSchema.parse(nonce);
    return [
      "default-src 'self'",
      `script-src 'self' 'nonce-${checked}' 'strict-dynamic'${mode === "development" ? " 'unsafe-eval'" : ""}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src 'self'${kratosSource}`,
      `form-action 'self'${kratosSource}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
      ...(https ? ["upgrade-insecure-requests"] : []),
    ].join("; ");
  }

  /** @type {HeaderSet} */
  const staticSet = { ...common, "content-security-policy": STATIC_CSP };
  return {
    /**
     * Headers for anything the gate answers (pages, redirects, JSON, the 503 page), with this nonce.
     * @param {string} nonce
     * @returns {HeaderSet}
     */
    page: (nonce) => ({ ...common, "content-security-policy": pageCsp(nonce) }),
    /** Headers for responses that are never a page (static files, /api/upload). */
    static: staticSet,
    pageCsp,
  };
}
