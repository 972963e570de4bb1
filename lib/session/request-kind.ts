/**
 * What a request is, and whether it counts as the user's activity. Pure.
 *
 * Activity: page navigations, server actions, user-initiated API calls and the heartbeat (the heartbeat
 * route records it itself, with the strictest page open in the browser).
 * NOT activity: the session-status poll (GET /api/session), the client's reports about the warning
 * (POST /api/session/events: "warning shown/answered", for the admins' friction insights), router prefetches (a <Link> in view must never
 * keep a session alive), public pages and internal calls.
 */
export type RequestKind = "public" | "internal" | "poll" | "report" | "heartbeat" | "api" | "action" | "prefetch" | "page";

const PUBLIC_PREFIXES = ["/login", "/registration", "/error", "/signed-out", "/api/health"];

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

export interface RequestFacts {
  method: string;
  path: string;
  /** header lookup, case-insensitive */
  header: (name: string) => string | null;
}

export function classify({ method, path, header }: RequestFacts): RequestKind {
  if (under(path, "/api/internal")) return "internal";
  if (PUBLIC_PREFIXES.some((p) => under(path, p)) || path === "/favicon.ico" || path === "/robots.txt") return "public";
  if (path === "/api/session" && (method === "GET" || method === "HEAD")) return "poll";
  if (path === "/api/session/activity") return "heartbeat";
  if (path === "/api/session/events" && method === "POST") return "report";
  if (under(path, "/api")) return "api";
  if (method === "POST" && header("next-action") !== null) return "action";
  if (
    header("next-router-prefetch") !== null ||
    header("purpose") === "prefetch" ||
    (header("sec-purpose") ?? "").includes("prefetch")
  ) {
    return "prefetch";
  }
  return "page";
}

/** Does this request move the idle clock (in the gate)? The heartbeat route moves it itself. */
export function isActivity(kind: RequestKind): boolean {
  return kind === "page" || kind === "action" || kind === "api";
}

/** Requests answered with JSON (401/503) rather than a redirect or an HTML page. */
export function wantsJson(kind: RequestKind): boolean {
  return kind === "poll" || kind === "report" || kind === "heartbeat" || kind === "api";
}
