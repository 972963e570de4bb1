import Link from "next/link";

/**
 * Instead of a sign-in or sign-up form when this browser does not send Kratos' anti-CSRF cookie back
 * (lib/auth/flow-restart.ts): starting yet another flow would fail the same way.
 */
export function CookiesOff({ retry }: { retry: string }) {
  return (
    <main className="auth-page">
      <section className="card" aria-labelledby="cookies-off-title">
        <h1 id="cookies-off-title">Cookies are needed to sign in</h1>
        <p data-testid="cookies-off-message">
          Your browser did not send the sign-in cookie, so the form cannot be shown safely. Enable cookies for this site
          (or leave private mode) and try again.
        </p>
        <p>
          <Link className="button" href={retry}>
            Try again
          </Link>
        </p>
      </section>
    </main>
  );
}
