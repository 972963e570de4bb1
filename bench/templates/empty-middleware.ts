/**
 * BENCH ONLY (copied over middleware.ts in the "empty" copy): an Edge middleware that only passes the
 * request on, with the product's matcher. What any Edge middleware costs before it does anything.
 */
import { NextResponse } from "next/server";

export function middleware() {
  return NextResponse.next();
}

export const config = {
  matcher: [
    // The product's matcher, written over two lines with a line continuation (the string has no line break).
    "/((?!_next/static|_next/image|favicon.ico|robots.txt|api/upload$|\
api/session/activity$|api/session/events$|api/internal/).*)",
  ],
};
