/**
 * Where a tab goes when another tab said "signed out" AND the server confirmed the session is over
 * (lib/client/idle-machine.ts). Pure.
 *
 * The server's answer wins when it names the signed-out page (it knows the reason). After a manual sign-out
 * the cookies are gone, so the server can only say "sign in" (/login?…); then the other tab's page explains
 * it better, and it is used if it is a path of our own /signed-out page, never anything else (a message on
 * the tab bus is not trusted: any page of the origin can post one).
 */
export function leaveUrl(serverUrl: string, hint: string): string {
  if (isSignedOutPath(serverUrl)) return serverUrl;
  return isSignedOutPath(hint) ? hint : serverUrl;
}

function isSignedOutPath(url: string): boolean {
  // Printable ASCII only (no controls, spaces or non-ASCII), and no fragment or backslash.
  return /^\/signed-out(?:\?[!-~]*)?$/.test(url) && !/[#\\]/.test(url);
}
