/**
 * JSON answers that no cache keeps. Web APIs + next/server only: the Edge gate and the Node side both use it.
 */
import { NextResponse } from "next/server";

/** Every answer about a session, a page for a signed-in person or an API call. */
export const NO_STORE = "private, no-store, max-age=0, must-revalidate";

export function noStoreJson(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): NextResponse {
  return NextResponse.json(body, { status, headers: { "cache-control": NO_STORE, ...headers } });
}
