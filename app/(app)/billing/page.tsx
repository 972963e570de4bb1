import { verifySession } from "@/lib/auth/verify-session";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  await verifySession();
  return (
    <>
      <h1>Billing</h1>
      <p>Payment details live here. This area signs you out sooner when you step away.</p>
    </>
  );
}
