/**
 * The parts of the admin page (app/(app)/admin/page.tsx): its header, the audit section with valid or
 * invalid filters, and the sessions section. Server components, no data loading: the page loads, these show.
 */
import Link from "next/link";
import { auditSearch, type AdminPageParams } from "@/lib/admin/filters";
import type { AuditPage } from "@/lib/admin/queries";
import type { FormResult } from "@/lib/forms/result";
import { AuditFiltersForm, type FilterValues } from "./audit-filters-form";
import { AuditTable } from "./audit-table";
import { EndSessionsForm } from "./end-sessions-form";

/** `valid`: the filters parsed, so the insights section is shown and linked. */
export function AdminHeader({ email, valid }: { email: string; valid: boolean }) {
  return (
    <>
      <h1>Admin</h1>
      <p data-testid="admin-welcome">Administrator: {email}</p>
      <nav aria-label="Admin sections">
        <a href="#audit-title">Audit log</a> · {valid && <a href="#insights-title">Insights</a>}
        {valid && " · "}
        <a href="#sessions-title">Sessions</a>
      </nav>
    </>
  );
}

export function SessionsSection({ action }: { action: (previous: FormResult, data: FormData) => Promise<FormResult> }) {
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <h3>End all sessions of a user</h3>
      <EndSessionsForm action={action} />
    </section>
  );
}

/** Filters that could not be used: what was wrong, a reset link, and the form with what was typed. */
export function InvalidFilters({ messages, typed }: { messages: string[]; typed: FilterValues }) {
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <div role="alert" className="error-text" data-testid="admin-params-error">
        <p>These filters could not be used:</p>
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
        <p>
          <Link href="/admin">Reset all filters</Link>
        </p>
      </div>
      <AuditFiltersForm values={typed} keep={{}} />
    </section>
  );
}

interface AuditSectionProps {
  params: AdminPageParams;
  typed: FilterValues;
  page: AuditPage;
  userProblem: string | null;
}

/** One page of the audit log under its filters; the chart's period and bucket are kept across pages. */
export function AuditSection({ params: p, typed, page, userProblem }: AuditSectionProps) {
  const query = { types: p.type, user: p.user, from: p.from, to: p.to };
  const chart = { period: p.period, bucket: p.bucket };
  const chartKeep = { period: [p.period], ...(p.bucket ? { bucket: [p.bucket] } : {}) };
  return (
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
        nextHref={page.nextCursor ? `/admin${auditSearch(query, { cursor: page.nextCursor, ...chart })}` : null}
        firstHref={p.cursor ? `/admin${auditSearch(query, chart)}` : null}
        exportHref={`/api/admin/audit.csv${auditSearch(query)}`}
      />
    </section>
  );
}
