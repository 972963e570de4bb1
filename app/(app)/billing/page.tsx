import { BillingForm } from "@/components/billing/billing-form";
import { verifySession } from "@/lib/auth/verify-session";
import { readBillingDetails } from "@/lib/billing/store";
import { updateBillingDetails } from "./actions";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const session = await verifySession();
  const current = await readBillingDetails(session.identityId);
  return (
    <>
      <h1>Billing</h1>
      <p>Payment details live here. This area signs you out sooner when you step away.</p>
      <h2>Billing details</h2>
      <p className="muted">Changing them asks you to confirm it&apos;s you if you signed in a while ago.</p>
      <BillingForm identityId={session.identityId} action={updateBillingDetails} current={current} />
    </>
  );
}
