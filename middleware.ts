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
  // Everything but the routes the table in lib/config/routes.js marks "unmatched" (static assets, and the
  // routes that take a body and check the session themselves; the table says why). Next requires a literal
  // here: lib/config/routes.test.ts checks that it equals matcherSource() from the table.
  matcher: [
    // line-length: allowed (Next reads this literal statically; it cannot be split or computed)
    "/((?!_next/static|_next/image|favicon.ico|robots.txt|api/upload$|api/session/activity$|api/session/events$|api/internal/).*)",
  ],
};
