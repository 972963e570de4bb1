import "server-only";
import { db } from "@/lib/db/pool";

export interface BillingDetails {
  company: string;
  billingEmail: string;
  vatId: string | null;
}

export async function readBillingDetails(identityId: string): Promise<BillingDetails | null> {
  const { rows } = await db().query<{ company: string; billing_email: string; vat_id: string | null }>(
    "SELECT company, billing_email, vat_id FROM billing_details WHERE identity_id = $1",
    [identityId],
  );
  const row = rows[0];
  return row ? { company: row.company, billingEmail: row.billing_email, vatId: row.vat_id } : null;
}

/** One statement: the whole change is written or none of it. */
export async function saveBillingDetails(identityId: string, details: BillingDetails): Promise<void> {
  await db().query(
    `INSERT INTO billing_details (identity_id, company, billing_email, vat_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (identity_id) DO UPDATE SET company = EXCLUDED.company, billing_email = EXCLUDED.billing_email,
       vat_id = EXCLUDED.vat_id, updated_at = now()`,
    [identityId, details.company, details.billingEmail, details.vatId],
  );
}
