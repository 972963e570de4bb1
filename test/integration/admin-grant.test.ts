/**
 * `npm run admin:grant -- <email>` (scripts/admin-grant.ts), run as production runs it: the built JS
 * (dist/runtime/admin-grant.mjs) with plain node, no tsx, no --conditions. It sets the role in Kratos,
 * writes one role_granted audit row, changes nothing for an admin, and refuses an unknown email (exit 2)
 * or a malformed argument (exit 1) with a message.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { findIdentityByEmail } from "../../lib/kratos/admin";
import { createUser, pool } from "../helpers/stack";

const ROOT = path.resolve(import.meta.dirname, "../..");

function grant(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "dist/runtime/admin-grant.mjs"), ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const db = pool();

async function grants(identityId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM security_audit WHERE event_type = 'role_granted' AND identity_id = $1",
    [identityId],
  );
  return Number(rows[0]?.n);
}

describe("admin:grant", () => {
  before(() => {
    execFileSync(process.execPath, ["scripts/build-runtime.mjs"], { cwd: ROOT });
  });
  after(async () => {
    await db.end();
  });

  it("makes an existing user an admin through Kratos and audits it once", async () => {
    const user = await createUser("user");
    const first = grant(user.email.toUpperCase());
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /is now an admin/);
    assert.equal((await findIdentityByEmail(user.email))?.role, "admin");
    assert.equal(await grants(user.id), 1);

    const again = grant(user.email);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /already an admin; nothing changed/);
    assert.equal(await grants(user.id), 1, "no second row when nothing changed");
  });

  it("refuses an unknown email (exit 2) and a malformed argument (exit 1), with a message", () => {
    const email = `nobody-${randomUUID()}@example.com`;
    const unknown = grant(email);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, new RegExp(`no account with the email ${email}.*sign up first`, "s"));
    const malformed = grant("not-an-email");
    assert.equal(malformed.status, 1);
    assert.match(malformed.stderr, /give the account's email address/);
    assert.equal(grant().status, 1);
  });
});
