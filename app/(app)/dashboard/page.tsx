import Link from "next/link";
import { verifySession } from "@/lib/auth/verify-session";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const session = await verifySession();
  return (
    <>
      <h1>Dashboard</h1>
      <p data-testid="welcome">Signed in as {session.name || session.email}.</p>
      <p>
        Need to send a large file? <Link href="/dashboard/upload">Upload a file</Link> without being signed out
        mid-upload.
      </p>
    </>
  );
}
