import Link from "next/link";
import { AuditFiltersForm } from "@/components/admin/audit-filters-form";
import { AuditTable } from "@/components/admin/audit-table";
import { EndSessionsForm } from "@/components/admin/end-sessions-form";
import { InsightsSection } from "@/components/admin/insights-section";
import { adminPageParams, auditFields, auditSearch, messagesOf, rangeEndingNow, rawFilterValues } from "@/lib/admin/filters";
import { identityIdFor } from "@/lib/admin/identities";
import { auditPage, type AuditPage } from "@/lib/admin/queries";
import type { SearchParams } from "@/lib/auth/search-params";
import { verifyAdmin } from "@/lib/auth/verify-session";
import { KratosUnavailableError } from "@/lib/kratos/types";
import { endUserSessions } from "./actions";

export const metadata = { title: "Admin" };

/**
 * The admin area: audit log (filters, keyset pages, CSV export), idle-expiry insights, session control.
 * Admins only: verifyAdmin() answers 403 to anyone else, before any query runs.
 */
export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await verifyAdmin();
  const raw = await searchParams;
  const parsed = adminPageParams.safeParse(raw);
  const typed = rawFilterValues(raw);

  const sessionsSection = (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <h3>End all sessions of a user</h3>
      <EndSessionsForm action={endUserSessions} />
    </section>
  );
  const header = (
    <>
      <h1>Admin</h1>
      <p data-testid="admin-welcome">Administrator: {session.email}</p>
      <nav aria-label="Admin sections">
        <a href="#audit-title">Audit log</a> · {parsed.success && <a href="#insights-title">Insights</a>}
        {parsed.success && " · "}
        <a href="#sessions-title">Sessions</a>
      </nav>
    </>
  );

  if (!parsed.success) {
    return (
      <>
        {header}
        <section aria-labelledby="audit-title">
          <h2 id="audit-title">Audit log</h2>
          <div role="alert" className="error-text" data-testid="admin-params-error">
            <p>These filters could not be used:</p>
            <ul>
              {messagesOf(parsed.error).map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
            <p>
              <Link href="/admin">Reset all filters</Link>
            </p>
          </div>
          <AuditFiltersForm values={typed} keep={{}} />
        </section>
        {sessionsSection}
      </>
    );
  }

  const p = parsed.data;
  let identityId: string | null = null;
  let userProblem: string | null = null;
  if (p.user) {
    try {
      identityId = await identityIdFor(p.user);
      if (!identityId) userProblem = `No user has the email address ${"email" in p.user ? p.user.email : ""}.`;
    } catch (error) {
      if (!(error instanceof KratosUnavailableError)) throw error;
      userProblem = "The sign-in service is unavailable, so the email address cannot be looked up. Filter by identity id, or try again.";
    }
  }
  const query = { types: p.type, user: p.user, from: p.from, to: p.to };
  const chartKeep = { period: [p.period], ...(p.bucket ? { bucket: [p.bucket] } : {}) };
  const page: AuditPage = userProblem
    ? { rows: [], nextCursor: null }
    : await auditPage({ types: p.type, identityId, from: p.from ?? null, to: p.to ?? null }, p.cursor ?? null);

  return (
    <>
      {header}
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        <AuditFiltersForm values={typed} keep={chartKeep} />
        {userProblem && (
          <p role="alert" className="error-text" data-testid="admin-user-problem">
            {userProblem}
          </p>
        )}
        <AuditTable
          rows={page.rows}
          nextHref={page.nextCursor ? `/admin${auditSearch(query, { cursor: page.nextCursor, period: p.period, bucket: p.bucket })}` : null}
          firstHref={p.cursor ? `/admin${auditSearch(query, { period: p.period, bucket: p.bucket })}` : null}
          exportHref={`/api/admin/audit.csv${auditSearch(query)}`}
        />
      </section>
      <InsightsSection period={p.period} range={rangeEndingNow(p.period, p.bucket)} keep={auditFields(query)} />
      {sessionsSection}
    </>
  );
}
