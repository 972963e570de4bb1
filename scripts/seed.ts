/**
 * Creates the demo accounts through the Kratos admin API. Idempotent: existing accounts are kept, and
 * their role (metadata_public.role) is put right if it drifted. Their addresses are created verified: they are
 * example.com addresses nobody reads, and signing in never requires a verified address (docs/decisions.md).
 */
import { createPasswordIdentity, findIdentityByEmail, setRole } from "../lib/kratos/admin";
import { DEMO_ACCOUNTS } from "./demo-accounts";

async function main() {
  for (const account of DEMO_ACCOUNTS) {
    const existing = await findIdentityByEmail(account.email);
    if (!existing) {
      await createPasswordIdentity({ ...account, verified: true });
      console.log(`  created demo ${account.role}: ${account.email}`);
    } else if (existing.role !== account.role) {
      await setRole(existing.id, account.role);
      console.log(`  demo ${account.role} ${account.email}: role restored`);
    }
  }
}

main().catch((error: Error) => {
  console.error(`Could not create the demo accounts: ${error.message}`);
  process.exit(1);
});
