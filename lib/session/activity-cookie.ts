/**
 * The one place the activity record is put into, or taken out of, the browser's cookies: the gate's
 * answers (a NextResponse's cookies) and the Node side's (next/headers' cookies() in an action or a route
 * handler) both come here. Edge-safe.
 * Cookie: HttpOnly, SameSite=Lax, Path=/, Secure in production, 48 h (the record itself says how old it is).
 */
import { ACTIVITY_COOKIE } from "./activity-record";

interface CookieOptions {
  httpOnly: boolean;
  sameSite: "lax";
  path: string;
  secure: boolean;
  maxAge: number;
}

/** What both cookie stores have in common. */
export interface CookieJar {
  set(name: string, value: string, options: CookieOptions): unknown;
}

function options(maxAge: number): CookieOptions {
  return { httpOnly: true, sameSite: "lax", path: "/", secure: process.env.NODE_ENV === "production", maxAge };
}

/** `value`: the signed record (encodeRecord()). */
export function setActivityCookie(jar: CookieJar, value: string): void {
  jar.set(ACTIVITY_COOKIE, value, options(60 * 60 * 48));
}

/** Same attributes as when it was set (Secure in production), or the browser may keep the old one. */
export function clearActivityCookie(jar: CookieJar): void {
  jar.set(ACTIVITY_COOKIE, "", options(0));
}
