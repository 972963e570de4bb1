/**
 * The gate's admission: how a page, prefetch or server action the gate admitted tells verifySession() "judged
 * at this instant, with this record". verifySession() judges the record's freshness at the admitted instant:
 * the record the gate found fresh (or just confirmed with Kratos, and forwarded) is fresh there too, so the
 * Node side never asks Kratos for a request the gate admitted, and a Kratos outage starting in between cannot
 * turn the gate's allow into an error. (The bound for such a request is the gate's: revalidateSeconds at the
 * instant it was judged.)
 * (It replaces a 5 s "recheck grace" that existed only because a page was judged twice at two instants.)
 *
 * Signed (HMAC-SHA256, a key derived from SESSION_SECRET for this purpose only) and bound to the request's
 * kind, path and exact activity-record cookie, so it admits nothing else. It travels only in the request
 * the gate passes on (the gate always overwrites whatever the browser sent) and is never sent to a browser.
 * A request without a valid admission (a route the matcher misses) is judged at the Node side's own clock.
 * Web APIs only.
 */
import { hmacKey, sign, verify } from "./crypto";

export const ADMISSION_HEADER = "x-app-admission";
const LABEL = "gate-admission-v1";

export interface Admitted {
  kind: string;
  /** the path header the gate passes on */
  path: string;
  /** the activity-record cookie the Node side will read ("" when none) */
  record: string;
}

const data = (at: number, a: Admitted) => `${at}\n${a.kind}\n${a.path}\n${a.record}`;

export function signAdmission(secret: string, at: number, admitted: Admitted): string {
  return `${at}.${sign(hmacKey(secret, LABEL), data(at, admitted))}`;
}

/** The instant the gate judged this very request at, or undefined (absent, altered, or for another request). */
export function admittedAt(secret: string, header: string | null, admitted: Admitted): number | undefined {
  if (!header) return undefined;
  const dot = header.indexOf(".");
  const at = Number(header.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(at) || at < 0) return undefined;
  return verify(hmacKey(secret, LABEL), data(at, admitted), header.slice(dot + 1)) ? at : undefined;
}
