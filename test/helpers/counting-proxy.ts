/**
 * HTTP pass-throughs in front of a real service: how the tests count Kratos calls (whoami) instead of
 * estimating them, and how the benchmark records when each session's whoami happened.
 */
import http from "node:http";

export interface PassThrough {
  url: string;
  close: () => Promise<void>;
}

/** Forwards every request to `target` unchanged after showing it to `observe`. */
export async function passThrough(target: string, observe: (req: http.IncomingMessage) => void): Promise<PassThrough> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    observe(req);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
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
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface CountingProxy extends PassThrough {
  count: (pathPrefix: string) => number;
  reset: () => void;
}

/** Counts requests by path. */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const proxy = await passThrough(target, (req) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  return {
    ...proxy,
    count: (prefix) => [...counts].filter(([p]) => p.startsWith(prefix)).reduce((n, [, c]) => n + c, 0),
    reset: () => counts.clear(),
  };
}
