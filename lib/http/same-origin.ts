/**
 * Browser-only endpoints (the heartbeat, "I'm still here", the warning reports) accept requests from this
 * app's own pages only. Browsers say where a request comes from in Sec-Fetch-Site (fetch metadata, sent by
 * every current browser and not settable by page scripts): anything but "same-origin" (a same-site page on
 * another port or subdomain, another site, a typed URL or bookmark: "none") is refused before the body is
 * read or the session is looked at, so such a request is never activity and never writes a row.
 * No header (an old browser, curl, a server) is let through to the usual checks: the session cookie is
 * SameSite=Lax, so a cross-site POST from an old browser carries no session anyway.
 */
import { NextResponse } from "next/server";
import { NO_STORE } from "@/lib/gate/responses";

export function crossOriginRefusal(request: Request): NextResponse | null {
  const site = request.headers.get("sec-fetch-site");
  if (site === null || site === "same-origin") return null;
  return NextResponse.json(
    {
      error: "cross_origin_refused",
      message: `This endpoint only accepts requests from the app's own pages (Sec-Fetch-Site was "${site.slice(0, 20)}", expected "same-origin").`,
    },
    { status: 403, headers: { "cache-control": NO_STORE } },
  );
}
