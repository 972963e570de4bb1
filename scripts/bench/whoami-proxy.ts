/**
 * A pass-through in front of the real Kratos public API that records every whoami: when, and for which
 * session cookie. Counting per session shows the spacing of the checks, not only their total.
 */
import http from "node:http";

export interface WhoamiProxy {
  url: string;
  /** whoami times (ms) per Kratos cookie value */
  calls: () => Map<string, number[]>;
  /** whoami calls by caller: the Edge gate ("Next.js Middleware") or the Node side (verifySession/apiSession) */
  byCaller: () => { gate: number; node: number };
  reset: () => void;
  close: () => Promise<void>;
}

export async function whoamiProxy(target: string): Promise<WhoamiProxy> {
  const upstream = new URL(target);
  let seen = new Map<string, number[]>();
  let callers = { gate: 0, node: 0 };
  const server = http.createServer((req, res) => {
    if ((req.url ?? "").startsWith("/sessions/whoami")) {
      const key = /ory_kratos_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1] ?? "(none)";
      seen.set(key, [...(seen.get(key) ?? []), Date.now()]);
      // Next's Edge sandbox sends its fetches as "Next.js Middleware"; Node's fetch says "node".
      if ((req.headers["user-agent"] ?? "").includes("Middleware")) callers.gate += 1;
      else callers.node += 1;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    forward.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => seen,
    byCaller: () => callers,
    reset: () => {
      seen = new Map();
      callers = { gate: 0, node: 0 };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
