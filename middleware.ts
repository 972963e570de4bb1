/**
 * Edge middleware: thin on purpose. The logic lives in lib/gate/gate.ts (Web APIs only) and the idle rule
 * in lib/policy/idle-rule.ts. Next 16 prints a deprecation warning for middleware.ts (in favour of the
 * Node-only proxy.ts); we keep the Edge runtime by design.
 */
import type { NextRequest } from "next/server";
import { gate } from "@/lib/gate/gate";

export function middleware(request: NextRequest) {
  return gate(request);
}

export const config = {
  // Everything but static assets: pages, server actions and API routes.
  // IMPORTANT: not the routes that take a body and check the session themselves. For a matched route Next
  // waits for the whole request body (buffering up to 10 MB, then truncating) before anything answers, so an
  // oversized or trickled body would hold the request until its last byte, and an upload would be cut.
  // - /api/upload streams: apiSession() before reading a byte.
  // - /api/session/activity (heartbeat) and /api/session/events (warning reports): read at most 8 KB
  //   (413 as soon as it is known), then apiSession(). API calls never move the idle clock in the gate and
  //   are judged against the page the user is on, so the gate adds nothing there.
  // - /api/internal/*: the gate's own signed channel; the gate passes it through anyway.
  // Those routes get their security headers from next.config.js (keep its UNMATCHED list in step).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/upload$|api/session/activity$|api/session/events$|api/internal/).*)"],
};
