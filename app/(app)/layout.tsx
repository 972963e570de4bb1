import Link from "next/link";
import { signOut } from "./actions";

/**
 * Chrome for signed-in pages. IMPORTANT: it checks nothing; every page calls verifySession() itself.
 */
export default function AppLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <header className="app-header">
        <nav aria-label="Main">
          <Link href="/dashboard">Dashboard</Link>
          <Link href="/billing">Billing</Link>
          <Link href="/settings">Settings</Link>
          <Link href="/admin">Admin</Link>
        </nav>
        <form action={signOut}>
          <button type="submit" className="secondary">
            Sign out
          </button>
        </form>
      </header>
      <main className="app-main">{children}</main>
    </>
  );
}
