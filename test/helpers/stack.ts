/**
 * Helpers for integration tests against the real stack that scripts/test.sh starts
 * (Kratos on KRATOS_PUBLIC_URL / KRATOS_ADMIN_URL, PostgreSQL at DATABASE_URL, the app at APP_URL).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createPasswordIdentity } from "../../lib/kratos/admin";

export const APP_URL = required("APP_URL");
export const KRATOS_PUBLIC_URL = required("KRATOS_PUBLIC_URL");
export const KRATOS_ADMIN_URL = required("KRATOS_ADMIN_URL");
export const DATABASE_URL = required("DATABASE_URL");

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through scripts/test.sh (npm test)`);
  return value;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function createUser(role: "user" | "admin" = "user"): Promise<TestUser> {
  const email = `it-${randomUUID()}@example.com`;
  const password = "integration-passphrase-42";
  const id = await createPasswordIdentity({ email, name: `IT ${role}`, password, role });
  return { id, email, password };
}

/** The cookies a response sets, as `name=value` pairs for a Cookie header. */
export function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
}

/**
 * Signs in through Kratos' real browser login flow (JSON variant) and returns the Cookie header a browser
 * would send: the Kratos session cookie.
 */
export async function signIn(
  user: Pick<TestUser, "email" | "password">,
  opts: { refresh?: boolean; cookie?: string } = {},
): Promise<string> {
  const init = await fetch(`${KRATOS_PUBLIC_URL}/self-service/login/browser${opts.refresh ? "?refresh=true" : ""}`, {
    headers: { accept: "application/json", ...(opts.cookie ? { cookie: opts.cookie } : {}) },
  });
  if (!init.ok) throw new Error(`creating a login flow failed: ${init.status} ${await init.text()}`);
  const flow = (await init.json()) as {
    id: string;
    ui: { nodes: { attributes: { name?: string; value?: string } }[] };
  };
  const csrf = flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value;
  const jar = [...cookiesFrom(init), ...(opts.cookie ? [opts.cookie] : [])].join("; ");
  const submit = await fetch(`${KRATOS_PUBLIC_URL}/self-service/login?flow=${flow.id}`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json", cookie: jar },
    body: JSON.stringify({ method: "password", identifier: user.email, password: user.password, csrf_token: csrf }),
  });
  if (!submit.ok) throw new Error(`login failed: ${submit.status} ${await submit.text()}`);
  const session = cookiesFrom(submit).find((c) => c.startsWith("ory_kratos_session="));
  if (!session) throw new Error("login answered without a session cookie");
  return session;
}

/** Kratos' own verdict on a cookie: the HTTP status of whoami (200 signed in, 401 not). */
export async function whoamiStatus(cookie: string): Promise<number> {
  const response = await fetch(`${KRATOS_PUBLIC_URL}/sessions/whoami`, { headers: { cookie } });
  await response.body?.cancel();
  return response.status;
}

export function pool(): pg.Pool {
  const p = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  p.on("error", () => undefined);
  return p;
}

/** A fresh, migrated database for one test file, so its app instance's sweeper sees only its sessions. */
export async function scratchDatabase(
  name: string,
): Promise<{ url: string; pool: pg.Pool; drop: () => Promise<void> }> {
  const { migrate } = await import("../../db/migrate");
  const admin = new URL(DATABASE_URL);
  admin.pathname = "/postgres";
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  await migrate(url.toString(), () => undefined);
  const db = new pg.Pool({ connectionString: url.toString(), max: 4 });
  // DROP DATABASE ... WITH (FORCE) at the end terminates idle clients: expected, not a test failure.
  db.on("error", () => undefined);
  return {
    url: url.toString(),
    pool: db,
    drop: async () => {
      await db.end();
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function sessionIdOf(cookie: string): Promise<string> {
  const response = await fetch(`${KRATOS_PUBLIC_URL}/sessions/whoami`, { headers: { cookie } });
  if (!response.ok) throw new Error(`whoami ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

export interface AuditRow {
  event_type: string;
  session_id: string | null;
  identity_id: string | null;
  metadata: Record<string, unknown>;
}

export async function auditRows(db: pg.Pool, sessionId: string): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    "SELECT event_type, session_id, identity_id, metadata FROM security_audit WHERE session_id = $1 ORDER BY id",
    [sessionId],
  );
  return rows;
}
