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
  // IMPORTANT: not /api/upload. For a matched route Next buffers the whole request body (up to 10 MB, then
  // truncates) before the route runs, which breaks streaming uploads and checks the session only once the
  // last byte arrived. The upload route runs the same session check itself (apiSession) before reading.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/upload$).*)"],
};
