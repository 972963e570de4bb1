import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="auth-page">
      <section className="card">
        <h1>403 — Not allowed</h1>
        <p data-testid="forbidden">This area is for administrators only.</p>
        <Link href="/dashboard">Back to the dashboard</Link>
      </section>
    </main>
  );
}
