/**
 * Makes an existing account an admin: the first admin of a production deployment, where there is no demo
 * admin and the admin area cannot grant roles.
 *   npm run admin:grant -- someone@example.com
 * Sets the role through the Kratos admin API (metadata_public.role, which users cannot edit) and writes a
 * `role_granted` audit row (actor "cli", written directly, not through the outbox: a command must fail
 * loudly). An unknown email is refused with exit code 2 (the person signs up first); a bad environment or
 * an unreachable Kratos or PostgreSQL exits 1. Someone already admin: nothing changes, exit 0.
 * Runs with plain node from the build (dist/runtime/admin-grant.mjs, scripts/build-runtime.mjs).
 */
import pg from "pg";
import { z } from "zod";
import { ConfigError, readServerEnv } from "../lib/config/env.js";
import { insertAudit } from "../lib/audit/write";
import { findIdentityByEmail, setRole } from "../lib/kratos/admin";

const argsSchema = z.tuple([
  z.email({ error: "give the account's email address, e.g. npm run admin:grant -- someone@example.com" }),
]);

async function main(): Promise<number> {
  const args = argsSchema.safeParse(process.argv.slice(2));
  if (!args.success) {
    console.error(`admin:grant: ${args.error.issues[0]?.message ?? "one email address expected"}`);
    return 1;
  }
  const email = args.data[0].toLowerCase();
  const env = readServerEnv();
  const identity = await findIdentityByEmail(email);
  if (!identity) {
    console.error(`admin:grant: no account with the email ${email} in Kratos (${env.KRATOS_ADMIN_URL}).`);
    console.error("They sign up first (or an admin creates the account), then run this again.");
    return 2;
  }
  if (identity.role === "admin") {
    console.log(`${email} is already an admin; nothing changed.`);
    return 0;
  }
  await setRole(identity.id, "admin");
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const metadata = { role: "admin", actor: "cli" };
    await insertAudit(client, { eventType: "role_granted", identityId: identity.id, sessionId: null, metadata });
  } finally {
    await client.end();
  }
  console.log(`${email} is now an admin (audited). Their next request picks the role up.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error instanceof ConfigError ? error.message : `admin:grant failed: ${error.message}`);
    process.exit(1);
  },
);
