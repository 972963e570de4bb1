/**
 * Item 4's database: the migrated schema with 10 million seeded audit rows (1 million with --quick). Seeding
 * takes minutes, so the result is kept as a PostgreSQL database named after what made it (the migrations'
 * text and the seed): the next bench run reuses it, and any change to a migration or the seed builds a new
 * one. Reads never change it. Free the space with `dropdb bench_audit_<...>` (about 4 GB at 10 million).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { migrate } from "../db/migrate";
import { seedAuditRows, type AuditSeed } from "../test/helpers/audit-seed";
import { ROOT } from "./config";
import { log } from "./log";

function nameFor(seed: AuditSeed): string {
  const dir = path.join(ROOT, "db", "migrations");
  const hash = createHash("sha256");
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(path.join(dir, file)));
  hash.update(JSON.stringify(seed)).update(readFileSync(path.join(ROOT, "test", "helpers", "audit-seed.ts")));
  return `bench_audit_${seed.rows}_${hash.digest("hex").slice(0, 10)}`;
}

function urlOf(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withServer<T>(base: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlOf(base, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The seeded database's URL: reused when it exists, else built (under a temporary name, renamed when whole). */
export async function seededAuditDatabase(baseUrl: string, seed: AuditSeed): Promise<string> {
  const name = nameFor(seed);
  const exists = await withServer(baseUrl, async (c) => {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return rowCount === 1;
  });
  if (exists) {
    log(`audit: reusing ${name}`);
    return urlOf(baseUrl, name);
  }
  const building = `${name}_building`;
  await withServer(baseUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${building}`);
  });
  await migrate(urlOf(baseUrl, building), () => undefined);
  const pool = new pg.Pool({ connectionString: urlOf(baseUrl, building), max: 1 });
  try {
    const started = Date.now();
    await seedAuditRows(pool, seed, { log });
    log(`audit: seeded ${seed.rows.toLocaleString("en")} rows in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  } finally {
    await pool.end();
  }
  await withServer(baseUrl, (c) => c.query(`ALTER DATABASE ${building} RENAME TO ${name}`));
  return urlOf(baseUrl, name);
}
