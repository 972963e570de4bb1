/**
 * What a request is, and whether it counts as the person's activity. Pure; decided once per request by the
 * Edge gate and passed on to the Node side in KIND_HEADER (any value the browser sent is overwritten).
 * The table (also in docs/security.md, "What counts as activity"):
 *
 *   kind         what it is                                         activity?            where the clock moves
 *   page         a top-level navigation (Sec-Fetch-Dest: document,  yes                  gate
 *                Sec-Fetch-Mode: navigate), a same-origin in-app
 *                (RSC) navigation, or a client that sends no fetch
 *                metadata at all
 *   action       a server action (Next-Action header)               yes, if it exists    the action (Node)
 *   api          /api/* called by the app                           yes, if a handler    the handler (Node)
 *                                                                   accepts it
 *   heartbeat    POST /api/session/activity from a same-origin page yes                  its route (touch())
 *   prefetch     Next's router prefetch (rendered, never activity)  no                   -
 *   background   a browser prefetch/prerender (Purpose, Sec-Purpose) no: answered 204,    -
 *                or a page loaded as a subresource (<img>, <script>, without rendering
 *                <iframe>, a cross-origin fetch)
 *   poll, report the session-status poll, the warning reports       no                   -
 *   public, internal  sign-in pages, health, the gate's channel     not judged           -
 *
 * The gate moves the clock only for navigations: it cannot know whether an action id exists or an API call
 * succeeds (404, 405 and OPTIONS never reach a handler), so those count where they run.
 */
import { INTERNAL_PREFIX, PUBLIC_FILES, publicPrefixes } from "@/lib/config/routes.js";

export type RequestKind =
  "public" | "internal" | "poll" | "report" | "heartbeat" | "api" | "action" | "prefetch" | "background" | "page";

/** Set by the gate on every request it passes on; any value sent by the browser is overwritten. */
export const KIND_HEADER = "x-app-request-kind";

/** From the route table (lib/config/routes.js), like the middleware matcher and next.config.js's header list. */
const PUBLIC_PREFIXES = publicPrefixes();

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

export interface RequestFacts {
  method: string;
  path: string;
  /** header lookup, case-insensitive */
  header: (name: string) => string | null;
}

/** Sec-Purpose / Purpose: a browser fetching ahead of a navigation that may never happen. */
function browserPrefetch(header: RequestFacts["header"]): boolean {
  const purpose =
    `${header("sec-purpose") ?? ""} ${header("purpose") ?? ""} ${header("x-purpose") ?? ""}`.toLowerCase();
  return purpose.includes("prefetch") || purpose.includes("prerender") || purpose.includes("preview");
}

/**
 * A page request that is not a navigation by the person: fetch metadata says it is a subresource (an <img>,
 * <script> or <iframe> pointing at a page), or a fetch that is not Next's own same-origin RSC request.
 * Clients that send no Sec-Fetch-Dest (non-browsers, old browsers) fall back to "navigation".
 */
function notANavigation(header: RequestFacts["header"]): boolean {
  const dest = header("sec-fetch-dest");
  if (dest === null || dest === "document") return false;
  if (dest === "empty") return !(header("rsc") === "1" && header("sec-fetch-site") === "same-origin");
  return true;
}

export function classify({ method, path, header }: RequestFacts): RequestKind {
  if (under(path, INTERNAL_PREFIX)) return "internal";
  if (PUBLIC_PREFIXES.some((p) => under(path, p)) || PUBLIC_FILES.includes(path)) return "public";
  if (path === "/api/session" && (method === "GET" || method === "HEAD")) return "poll";
  if (path === "/api/session/activity") return "heartbeat";
  if (path === "/api/session/events" && method === "POST") return "report";
  if (under(path, "/api")) return "api";
  if (method === "POST" && header("next-action") !== null) return "action";
  if (browserPrefetch(header)) return "background";
  if (header("next-router-prefetch") !== null) return "prefetch";
  if (notANavigation(header)) return "background";
  return "page";
}

export type ApiKind = Extract<RequestKind, "poll" | "report" | "heartbeat" | "api">;
/** The kinds verifySession() judges (a page route: rendered, prefetched, or a server action posted to it). */
export type PageKind = Extract<RequestKind, "page" | "prefetch" | "action">;

/** Kinds the Node side may receive in KIND_HEADER for a page route (anything else is ignored). */
export function pageKindFrom(value: string | null): PageKind | undefined {
  return value === "page" || value === "prefetch" || value === "action" ? value : undefined;
}

/** Does this request move the idle clock where it is judged? The gate: navigations only (see the table). */
export function movesClock(kind: RequestKind, where: "gate" | "handler"): boolean {
  if (where === "gate") return kind === "page";
  // The heartbeat moves it in its own route (touch() in activity-record.ts), after reading the deadline the
  // request found (was a warning open?), so the check does not.
  return kind === "page" || kind === "action" || kind === "api";
}

/**
 * THE "API-like" predicate: requests answered with JSON (401/503) rather than a redirect or an HTML page,
 * judged against the page the user is on and their own area (judgedPath() in lib/policy/idle-rule.ts).
 */
export function isApiLike(kind: RequestKind): kind is ApiKind {
  return kind === "poll" || kind === "report" || kind === "heartbeat" || kind === "api";
}
