/**
 * Same-origin return_to only. Pure; used on login, sign-out, step-up and the signed-out page.
 * Anything that is not a path on the app's own origin is dropped (never followed): other hosts,
 * protocol-relative "//evil", "/\evil" (browsers read "\" as "/"), javascript: and data: URLs,
 * control characters (CRLF header injection) and over-long values.
 */
export const DEFAULT_RETURN_PATH = "/dashboard";
const MAX_LENGTH = 2048;

/** Returns a safe same-origin path ("/billing?x=1#y"), or null when `input` must be dropped. */
export function safeReturnPath(input: string | null | undefined, appUrl: string): string | null {
  if (typeof input !== "string" || input.length === 0 || input.length > MAX_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(input)) return null;
  if (input.includes("\\")) return null;
  const origin = new URL(appUrl).origin;
  let url: URL;
  try {
    url = new URL(input, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  // A relative input must be a rooted path; an absolute one must be on our origin (checked above).
  const isAbsolute = /^[a-z][a-z0-9+.-]*:/i.test(input);
  if (!isAbsolute && (!input.startsWith("/") || input.startsWith("//"))) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith("//")) return null;
  return path;
}

/** The absolute URL Kratos needs for return_to (it checks allowed_return_urls), or the default page. */
export function returnUrl(input: string | null | undefined, appUrl: string, fallback = DEFAULT_RETURN_PATH): string {
  return new URL(safeReturnPath(input, appUrl) ?? fallback, new URL(appUrl).origin).toString();
}
