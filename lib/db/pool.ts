import "server-only";
/**
 * The app's PostgreSQL pool. Cached on globalThis so `next dev` hot reloads don't open a new pool each time.
 */
import pg, { type PoolClient } from "pg";
import { readServerEnv } from "@/lib/config/env.js";

const globalForPool = globalThis as unknown as { __appPool?: pg.Pool };

export function db(): pg.Pool {
  if (!globalForPool.__appPool) {
    globalForPool.__appPool = new pg.Pool({
      connectionString: readServerEnv().DATABASE_URL,
      max: 10,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
    });
    // A dropped connection must not crash the process; the next query reconnects.
    globalForPool.__appPool.on("error", (error) => console.error(`[db] idle client error: ${error.message}`));
  }
  return globalForPool.__appPool;
}

/** Runs `work` in one transaction on a pooled client: committed whole or rolled back whole. */
export async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db().connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Whether PostgreSQL answers a trivial query within `timeoutMs` (readiness; never throws). */
export async function databaseReady(timeoutMs = 2_000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const query = db()
    .query("SELECT 1")
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
