/**
 * A pass-through in front of the real Kratos public API that records every whoami: when, and for which
 * session cookie. Counting per session shows the spacing of the checks, not only their total.
 */
import { passThrough, type PassThrough } from "../test/helpers/counting-proxy";

export interface WhoamiProxy extends PassThrough {
  /** whoami times (ms) per Kratos cookie value */
  calls: () => Map<string, number[]>;
  /** whoami calls by caller: the Edge gate ("Next.js Middleware") or the Node side (verifySession/apiSession) */
  byCaller: () => { gate: number; node: number };
  reset: () => void;
}

export async function whoamiProxy(target: string): Promise<WhoamiProxy> {
  let seen = new Map<string, number[]>();
  let callers = { gate: 0, node: 0 };
  const proxy = await passThrough(target, (req) => {
    if (!(req.url ?? "").startsWith("/sessions/whoami")) return;
    const key = /ory_kratos_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1] ?? "(none)";
    seen.set(key, [...(seen.get(key) ?? []), Date.now()]);
    // Next's Edge sandbox sends its fetches as "Next.js Middleware"; Node's fetch says "node".
    if ((req.headers["user-agent"] ?? "").includes("Middleware")) callers.gate += 1;
    else callers.node += 1;
  });
  return {
    ...proxy,
    calls: () => seen,
    byCaller: () => callers,
    reset: () => {
      seen = new Map();
      callers = { gate: 0, node: 0 };
    },
  };
}
