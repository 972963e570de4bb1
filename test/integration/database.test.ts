import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { migrate } from "../../db/migrate";
import { DATABASE_URL } from "../helpers/stack";

const base = new URL(DATABASE_URL);
const scratchName = `app_migrate_${process.pid}`;
const scratchUrl = Object.assign(new URL(base), { pathname: `/${scratchName}` }).toString();
const admin = new pg.Client({ connectionString: Object.assign(new URL(base), { pathname: "/postgres" }).toString() });

describe("migrations on a scratch database", () => {
  before(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${scratchName}`);
  });
  after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
    await admin.end();
  });

  it("applies every migration once and is idempotent", async () => {
    const first = await migrate(scratchUrl, () => undefined);
    assert.ok(first.includes("001_security_audit"), `first run applied ${first.join(", ")}`);
    const second = await migrate(scratchUrl, () => undefined);
    assert.deepEqual(second, []);
  });

  it("fails loudly (rejects) when the database does not exist", async () => {
    const missing = Object.assign(new URL(base), { pathname: "/no_such_database_xyz" }).toString();
    await assert.rejects(
      migrate(missing, () => undefined),
      /does not exist/,
    );
  });

  it("security_audit is append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    const client = new pg.Client({ connectionString: scratchUrl });
    await client.connect();
    try {
      await client.query(
        "INSERT INTO security_audit (event_type, metadata) VALUES ('signed_out', '{\"by\":\"test\"}')",
      );
      await assert.rejects(client.query("UPDATE security_audit SET event_type = 'x_y'"), /append-only/);
      await assert.rejects(client.query("DELETE FROM security_audit"), /append-only/);
      await assert.rejects(client.query("TRUNCATE security_audit"), /append-only/);
      const { rows } = await client.query("SELECT count(*)::int AS n FROM security_audit");
      assert.equal(rows[0].n, 1);
    } finally {
      await client.end();
    }
  });

  it("has the (event_type, created_at) and (identity_id, created_at) indexes", async () => {
    const client = new pg.Client({ connectionString: scratchUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'security_audit'",
      );
      const defs = rows.map((r) => r.indexdef).join("\n");
      assert.match(defs, /\(event_type, created_at DESC/);
      assert.match(defs, /\(identity_id, created_at DESC/);
    } finally {
      await client.end();
    }
  });
});
