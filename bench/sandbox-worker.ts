/**
 * The middleware alone (child side of sandbox.ts): one variant's built middleware, loaded into Next's own
 * Edge sandbox (the `vm` context `next start` runs it in) and called in a loop with the ping request of a
 * signed-in browser, which keeps every record the middleware sets, as the load generator does. No sockets,
 * no route, no load generator sharing the cores: what is left is the middleware and Next's adapter around it.
 * Prints one JSON line: CPU and wall time per call.
 *
 * The Kratos cookie is made up and Kratos is never asked: the record is signed here with the run's
 * SESSION_SECRET and marked checked now, again every 5 s (inside revalidateSeconds), so every call takes the
 * common path (fresh record, allow) plus one re-issue a second. Uses Next internals
 * (next/dist/server/web/sandbox/context): a Next upgrade that moves them fails here, loudly.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";
import { ACTIVITY_COOKIE, cookieToken, encodeRecord } from "../lib/session/activity-record";

const args = z
  .object({
    dir: z.string().min(1),
    seconds: z.coerce.number().positive(),
    warmupCalls: z.coerce.number().int().nonnegative(),
    withRecord: z.enum(["yes", "no"]),
  })
  .parse({ dir: process.argv[2], seconds: process.argv[3], warmupCalls: process.argv[4], withRecord: process.argv[5] });
const secret = z.string().min(32).parse(process.env.SESSION_SECRET);
const cookieName = process.env.KRATOS_SESSION_COOKIE ?? "ory_kratos_session";

type EdgeFunction = (params: { request: Record<string, unknown> }) => Promise<{ response: Response }>;
const nextRequire = createRequire(path.join(args.dir, "package.json"));
const { getModuleContext } = nextRequire("next/dist/server/web/sandbox/context") as {
  getModuleContext: (
    options: Record<string, unknown>,
  ) => Promise<{ runtime: { context: Record<string, unknown> }; evaluateInContext: (file: string) => void }>;
};
const distDir = path.join(args.dir, ".next");
const manifest = JSON.parse(readFileSync(path.join(distDir, "server/middleware-manifest.json"), "utf8")) as {
  middleware: Record<string, { name: string; files: string[]; env: Record<string, string> }>;
};
const info = manifest.middleware["/"];
if (!info) throw new Error(`${args.dir}: no middleware in the build`);
const entry = {
  name: info.name,
  paths: info.files.map((f) => path.join(distDir, f)),
  wasm: [],
  assets: [],
  env: info.env,
};
const { runtime, evaluateInContext } = await getModuleContext({
  moduleName: entry.name,
  onWarning() {},
  onError() {},
  useCache: true,
  edgeFunctionEntry: entry,
  distDir,
});
for (const file of entry.paths) evaluateInContext(file);
const entries = runtime.context._ENTRIES as Record<string, Promise<{ default: EdgeFunction }>>;
const edgeFunction = (await entries[`middleware_${entry.name}`]!).default;

// A made-up Kratos cookie of a real one's length, and the record a signed-in browser would hold.
const kratosCookie = Buffer.from("bench-sandbox-session-".repeat(12)).toString("base64").slice(0, 240);
const fresh = () => {
  const now = Date.now();
  return encodeRecord(
    {
      sessionId: "6f1c3a2e-1b2c-4d3e-8f4a-5b6c7d8e9f00",
      kratosToken: cookieToken(kratosCookie),
      identityId: "7f1c3a2e-1b2c-4d3e-8f4a-5b6c7d8e9f01",
      email: "bench-user-00000000@example.com",
      name: "Bench User",
      longestGapMs: 0,
      role: "user",
      preference: undefined,
      issuedAt: now - 60_000,
      authenticatedAt: now - 60_000,
      expiresAt: now + 4 * 3_600_000,
      lastActivityAt: now,
      lastPath: "/dashboard",
      checkedAt: now,
      stepUpSince: null,
    },
    secret,
  );
};
let record = args.withRecord === "yes" ? fresh() : undefined;
let signedAt = Date.now();
let reissues = 0;
const nextConfig = { basePath: "", trailingSlash: false, experimental: {} };

async function call(): Promise<void> {
  const cookie = record
    ? `${cookieName}=${kratosCookie}; ${ACTIVITY_COOKIE}=${record}`
    : `${cookieName}=${kratosCookie}`;
  const headers = {
    host: "localhost:3000",
    "user-agent": "autocannon",
    accept: "*/*",
    connection: "keep-alive",
    cookie,
  };
  const { response } = await edgeFunction({
    request: {
      headers,
      method: "GET",
      nextConfig,
      url: "http://localhost:3000/api/bench/ping",
      page: { name: "/api/bench/ping" },
      body: undefined,
      signal: new AbortController().signal,
    },
  });
  if (!response.headers.get("x-middleware-next"))
    throw new Error(
      "the middleware did not pass the ping on " +
        `(status ${response.status}, location ${response.headers.get("location")})`,
    );
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${ACTIVITY_COOKIE}=`));
  if (set) {
    record = set.split(";")[0]!.slice(ACTIVITY_COOKIE.length + 1);
    reissues += 1;
  }
}

for (let i = 0; i < args.warmupCalls; i++) await call();
reissues = 0;
const wall0 = performance.now();
const cpu0 = process.cpuUsage();
let calls = 0;
while (performance.now() - wall0 < args.seconds * 1000) {
  for (let i = 0; i < 100; i++) await call();
  calls += 100;
  if (record && Date.now() - signedAt > 5_000) {
    record = fresh();
    signedAt = Date.now();
  }
}
const wallMs = performance.now() - wall0;
const cpu = process.cpuUsage(cpu0);
const cpuUsPerCall = (cpu.user + cpu.system) / calls;
const figures = { calls, reissues, cpuUsPerCall, wallUsPerCall: (wallMs * 1000) / calls };
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
