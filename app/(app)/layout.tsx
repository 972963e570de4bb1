import Link from "next/link";
import { IdleSessionProvider } from "@/components/idle/idle-session-provider";
import { SignOutButton } from "@/components/idle/sign-out-button";
import { signOut } from "./actions";

/**
 * Chrome for signed-in pages, and the idle session provider (countdown, warning, tabs in step).
 * IMPORTANT: it checks nothing; every page calls verifySession() itself.
 */
export default function AppLayout({ children }: { children: React.ReactNode }) {
  return (
    <IdleSessionProvider signOutAction={signOut}>
      <header className="app-header">
        <nav aria-label="Main">
          <Link href="/dashboard">Dashboard</Link>
          <Link href="/billing">Billing</Link>
          <Link href="/settings">Settings</Link>
          <Link href="/admin">Admin</Link>
        </nav>
        <SignOutButton action={signOut} />
      </header>
      <main className="app-main">{children}</main>
    </IdleSessionProvider>
  );
}
