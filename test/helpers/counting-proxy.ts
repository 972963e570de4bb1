/**
 * An HTTP pass-through in front of a real service that counts requests by path: how the tests count
 * Kratos calls (whoami) instead of estimating them.
 */
import http from "node:http";

export interface CountingProxy {
  url: string;
  count: (pathPrefix: string) => number;
  reset: () => void;
  close: () => Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
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
    count: (prefix) => [...counts].filter(([p]) => p.startsWith(prefix)).reduce((n, [, c]) => n + c, 0),
    reset: () => counts.clear(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
