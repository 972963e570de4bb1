/**
 * Readiness (GET /api/health/ready) and liveness (GET /api/health) of an instance whose PostgreSQL and
 * Kratos (public and admin API) are reached through TCP pass-throughs the test cuts one at a time, and of an
 * instance pointed at closed ports: 503 names what failed and nothing more; liveness stays 200 throughout.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { APP_URL, DATABASE_URL, KRATOS_ADMIN_URL, KRATOS_PUBLIC_URL } from "../helpers/stack";
import { extraAppPort, startApp, type AppInstance } from "../helpers/processes";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

const POLICY = { idleDesktopSeconds: 60, warningSeconds: 20 };

async function ready(
  url: string,
): Promise<{ status: number; text: string; body: { ready: boolean; failed?: string[] } }> {
  const response = await fetch(`${url}/api/health/ready`);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { ready: boolean; failed?: string[] } };
}

async function live(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/api/health`);
  return { status: response.status, text: await response.text() };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const via = (url: string, proxy: TcpProxy) => {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString().replace(/\/$/, "");
};

describe("readiness", () => {
  const proxies: Record<"db" | "pub" | "admin", TcpProxy | undefined> = {
    db: undefined,
    pub: undefined,
    admin: undefined,
  };
  let app: AppInstance;

  before(async () => {
    const port = (url: string) => Number(new URL(url).port);
    proxies.db = await tcpProxy(port(DATABASE_URL) || 5432);
    proxies.pub = await tcpProxy(port(KRATOS_PUBLIC_URL));
    proxies.admin = await tcpProxy(port(KRATOS_ADMIN_URL));
    const env = {
      DATABASE_URL: via(DATABASE_URL, proxies.db),
      KRATOS_PUBLIC_INTERNAL_URL: via(KRATOS_PUBLIC_URL, proxies.pub),
      KRATOS_ADMIN_URL: via(KRATOS_ADMIN_URL, proxies.admin),
      SWEEPER_ENABLED: "false",
    };
    app = await startApp({ port: extraAppPort(8), policy: POLICY, env });
  });
  after(async () => {
    await app?.stop();
    for (const p of Object.values(proxies)) await p?.close();
  });

  it("is 200 on the test stack's own instance", async () => {
    const r = await ready(APP_URL);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { ready: true });
  });

  it("names PostgreSQL or Kratos when one is cut, recovers when it is back, and liveness stays 200", async () => {
    assert.deepEqual((await ready(app.url)).body, { ready: true });
    for (const [name, expected] of [
      ["db", "postgres"],
      ["pub", "kratos"],
      ["admin", "kratos"],
    ] as const) {
      await proxies[name]!.stop();
      const down = await ready(app.url);
      assert.equal(down.status, 503, `${name} cut: ${down.text}`);
      assert.deepEqual(down.body, { ready: false, failed: [expected] });
      const alive = await live(app.url);
      assert.equal(alive.status, 200);
      assert.equal(alive.text, '{"ok":true}', "liveness says nothing about dependencies");
      await proxies[name]!.start();
      assert.deepEqual((await ready(app.url)).body, { ready: true }, `${name} back`);
    }
  });

  it("an instance pointed at closed ports answers 503 naming both, without URLs or error text", async () => {
    const closed = await closedPort();
    const env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/app`,
      KRATOS_PUBLIC_INTERNAL_URL: `http://127.0.0.1:${closed}`,
      KRATOS_ADMIN_URL: `http://127.0.0.1:${closed}`,
      SWEEPER_ENABLED: "false",
    };
    const broken = await startApp({ port: extraAppPort(9), policy: POLICY, env });
    try {
      const r = await ready(broken.url);
      assert.equal(r.status, 503);
      assert.deepEqual(r.body, { ready: false, failed: ["postgres", "kratos"] });
      assert.doesNotMatch(r.text, new RegExp(`${closed}|127\\.0\\.0\\.1|ECONNREFUSED|postgres://`), "no internals");
      assert.equal((await live(broken.url)).status, 200);
    } finally {
      await broken.stop();
    }
  });
});
