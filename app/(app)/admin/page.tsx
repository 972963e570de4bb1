import { verifyAdmin } from "@/lib/auth/verify-session";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  const session = await verifyAdmin();
  return (
    <>
      <h1>Admin</h1>
      <p data-testid="admin-welcome">Administrator: {session.email}</p>
    </>
  );
}
