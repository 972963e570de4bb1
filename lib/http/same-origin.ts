/**
 * Browser-only endpoints (the heartbeat, "I'm still here", the warning reports) accept requests from this
 * app's own pages only. Browsers say where a request comes from in Sec-Fetch-Site (fetch metadata, sent by
 * every current browser and not settable by page scripts): anything but "same-origin" (a same-site page on
 * another port or subdomain, another site, a typed URL or bookmark: "none") is refused before the body is
 * read or the session is looked at, so such a request is never activity and never writes a row.
 * No header (an old browser, curl, a server) is let through to the usual checks: the session cookie is
 * SameSite=Lax, so a cross-site POST from an old browser carries no session anyway.
 */
import type { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";

export function crossOriginRefusal(request: Request): NextResponse | null {
  const site = request.headers.get("sec-fetch-site");
  if (site === null || site === "same-origin") return null;
  return new AppError("cross_origin_refused", site.slice(0, 20)).toResponse();
}
