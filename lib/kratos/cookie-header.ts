/**
 * The Cookie header to forward to Kratos from server code: only Kratos' own cookies (the session and the
 * CSRF cookies), rebuilt from parsed values. IMPORTANT: Next re-serializes the request's Cookie header after
 * middleware sets a cookie (URL-encoding "=" as "%3D"), and Kratos cannot read its cookies that way; its
 * values are base64, so the parsed value is exactly what Kratos issued. Pure.
 */
export function kratosCookieHeader(
  cookies: readonly { name: string; value: string }[],
  sessionCookieName: string,
): string {
  return cookies
    .filter((c) => c.name === sessionCookieName || c.name.startsWith("csrf_token"))
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
}
