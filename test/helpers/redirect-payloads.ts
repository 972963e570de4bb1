/**
 * Open-redirect payloads for return_to (test/resilience/open-redirect.test.ts). Every payload that
 * could lead anywhere names the host "evil.example" (or a non-http scheme), so "followed" is easy to
 * recognise wherever the value ends up: a Location, a rendered link, a meta refresh, a flow's return_to.
 */
const EVIL = "evil.example";

export function redirectPayloads(appHostPort: string): string[] {
  const list = [
    // protocol-relative and absolute
    `//${EVIL}`,
    `///${EVIL}`,
    `////${EVIL}`,
    `//${EVIL}/dashboard`,
    `https://${EVIL}`,
    `http://${EVIL}/dashboard`,
    `HTTPS://${EVIL.toUpperCase()}`,
    `hTtPs://${EVIL}`,
    `https:${EVIL}`,
    `http:${EVIL}`,
    `https:/${EVIL}`,
    `https:///${EVIL}`,
    `ftp://${EVIL}`,
    `ws://${EVIL}`,
    `file://${EVIL}/etc/passwd`,
    `https://${EVIL}:443`,
    // backslashes (browsers read "\" as "/")
    `/\\${EVIL}`,
    `\\/${EVIL}`,
    `\\\\${EVIL}`,
    `/\\/${EVIL}`,
    `https:\\\\${EVIL}`,
    `/\\\\/${EVIL}`,
    // percent-encoded slashes and backslashes, single and double
    `%2F%2F${EVIL}`,
    `%2f%2f${EVIL}`,
    `/%2F${EVIL}`,
    `/%2F/${EVIL}`,
    `%5C%5C${EVIL}`,
    `/%5C${EVIL}`,
    `/%5c%5c${EVIL}`,
    `%2F%5C${EVIL}`,
    `%252F%252F${EVIL}`,
    `https%3A%2F%2F${EVIL}`,
    // whitespace and control characters inside
    `/%09/${EVIL}`,
    `/\t/${EVIL}`,
    `/\n/${EVIL}`,
    `\t//${EVIL}`,
    ` //${EVIL}`,
    `//${EVIL}%00`,
    `/%0a/${EVIL}`,
    // CRLF header injection
    `/\r\nLocation: https://${EVIL}`,
    `/%0d%0aLocation:%20https://${EVIL}`,
    `/x%0d%0aSet-Cookie:%20ory_kratos_session=stolen`,
    // script and data schemes, mixed case and encoded
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    `javascript://${EVIL}/%0aalert(1)`,
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "%6A%61%76%61%73%63%72%69%70%74:alert(1)",
    "javascript%3Aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    // userinfo and look-alike hosts
    `//${EVIL}@${appHostPort}`,
    `//${appHostPort}@${EVIL}`,
    `http://${appHostPort}@${EVIL}/`,
    `http://${appHostPort}.${EVIL}/`,
    `http://${EVIL}#@${appHostPort}`,
    `http://${EVIL}?@${appHostPort}`,
    `https://${EVIL}\\@${appHostPort}`,
    `http://${EVIL}:${appHostPort.split(":")[1] ?? "80"}/`,
    // unicode slashes and dots (some normalise to ASCII in URL parsers)
    `／／${EVIL}`,
    `⁄⁄${EVIL}`,
    `∕∕${EVIL}`,
    `//evil。example`,
    `//ｅｖｉｌ.example`,
    `/\u3002/${EVIL}`,
    `//evil%E3%80%82example`,
    // path tricks that normalise to "//"
    `/./${"/"}${EVIL}`,
    `/.//${EVIL}`,
    `/..//${EVIL}`,
    `/dashboard/../..//${EVIL}`,
    `/%2e%2e//${EVIL}`,
    // markup injection into a rendered link
    `/"><script>location='//${EVIL}'</script>`,
    `/dashboard" onmouseover="location='https://${EVIL}'`,
    `/dashboard'><meta http-equiv="refresh" content="0;url=https://${EVIL}">`,
    // long
    `/${"a".repeat(3000)}//${EVIL}`,
    `//${EVIL}/${"a".repeat(2100)}`,
  ];
  return [...new Set(list)];
}

/** Does `target` (absolute) lead off the allowed origins, or to a scheme that runs code? */
export function offOrigin(target: URL, allowedOrigins: ReadonlySet<string>): boolean {
  if (target.protocol !== "http:" && target.protocol !== "https:") return true;
  return !allowedOrigins.has(target.origin);
}

/** Navigation targets a page carries: links, form actions, meta refresh, script location assignments. */
export function pageTargets(html: string): string[] {
  const unescape = (s: string) =>
    s
      .replace(/&amp;/g, "&")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">");
  const out: string[] = [];
  for (const m of html.matchAll(/<(?:a|link|form|area|base|iframe)\b[^>]*?\s(?:href|action|src)\s*=\s*"([^"]*)"/gi))
    out.push(unescape(m[1] ?? ""));
  for (const m of html.matchAll(
    /<meta\b[^>]*http-equiv\s*=\s*"?refresh"?[^>]*content\s*=\s*"[^"]*?url\s*=\s*([^"]*)"/gi,
  ))
    out.push(unescape(m[1] ?? ""));
  // Inline scripts: location assignments. Next's flight data (self.__next_f.push([...])) holds the page's
  // props as escaped JSON strings, not code, so a payload quoted there is data (links are checked above).
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    if ((m[1] ?? "").includes("self.__next_f")) continue;
    for (const l of (m[1] ?? "").matchAll(
      /location(?:\.href)?\s*=\s*['"]([^'"]*)['"]|location\.(?:assign|replace)\(\s*['"]([^'"]*)['"]/g,
    ))
      out.push(l[1] ?? l[2] ?? "");
  }
  return out;
}
