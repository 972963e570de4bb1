/**
 * One page of the audit trail, newest first, with "Next page" (keyset cursor) and the CSV export of the
 * same filters. Metadata is shown as text (React escapes it): it may hold paths a user could influence.
 */
import Link from "next/link";
import type { AuditRow } from "@/lib/admin/queries";

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function Metadata({ value }: { value: Record<string, unknown> }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {entries.map(([k, v]) => (
        <span key={k} style={{ display: "block" }}>
          <span className="muted">{k}:</span>{" "}
          {v === null ? "null" : typeof v === "object" ? JSON.stringify(v) : String(v)}
        </span>
      ))}
    </>
  );
}

export function AuditTable({
  rows,
  nextHref,
  firstHref,
  exportHref,
}: {
  rows: AuditRow[];
  nextHref: string | null;
  firstHref: string | null;
  exportHref: string;
}) {
  return (
    <>
      <p style={{ display: "flex", gap: "1rem", flexWrap: "wrap" }}>
        <a href={exportHref} className="button secondary" data-testid="audit-export" download>
          Export CSV
        </a>
        {firstHref && (
          <Link prefetch={false} href={firstHref}>
            First page
          </Link>
        )}
      </p>
      {rows.length === 0 ? (
        <p data-testid="audit-empty">No audit events match these filters.</p>
      ) : (
        <div style={{ overflowX: "auto" }}>
          <table data-testid="audit-table">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">User (identity id)</th>
                <th scope="col">Session</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="audit-row">
                  <td>
                    <time dateTime={r.createdAt}>{when(r.createdAt)}</time>
                  </td>
                  <td>
                    <code>{r.eventType}</code>
                  </td>
                  <td>{r.identityId ? <code>{r.identityId}</code> : <span className="muted">—</span>}</td>
                  <td>
                    {r.sessionId ? (
                      <code title={r.sessionId}>{r.sessionId.slice(0, 8)}…</code>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <Metadata value={r.metadata} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextHref && (
        <p>
          <Link prefetch={false} href={nextHref} data-testid="audit-next" rel="next">
            Next page
          </Link>
        </p>
      )}
    </>
  );
}
