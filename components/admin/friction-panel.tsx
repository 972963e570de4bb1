/**
 * Friction insights: signs that the idle policy hurts people rather than protects them.
 */
import Link from "next/link";
import type { FrictionInsights } from "@/lib/admin/queries";

const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

function RepeatList({ title, rows, testId }: { title: string; rows: FrictionInsights["repeatToday"]; testId: string }) {
  return (
    <div data-testid={testId}>
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p className="muted">Nobody.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">User (identity id)</th>
              <th scope="col">Idle expirations</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.identityId}>
                <td>
                  <Link prefetch={false} href={`/admin?user=${r.identityId}&type=session_expired_idle`}>
                    <code>{r.identityId}</code>
                  </Link>
                </td>
                <td>{r.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function FrictionPanel({ insights }: { insights: FrictionInsights }) {
  const { idleExpirations, afterWarning, withinMinutes } = insights;
  return (
    <section aria-labelledby="friction-title" data-testid="friction">
      <h3 id="friction-title">Friction</h3>
      <p data-testid="friction-after-warning">
        <strong>{pct(insights.afterWarningShare)}</strong> of idle expirations in this period ({afterWarning} of{" "}
        {idleExpirations}) came within {withinMinutes} minutes after a warning in the same session: people saw “Are you
        still here?” and did not answer in time.
      </p>
      <RepeatList
        title="Signed out for inactivity at least twice today (UTC)"
        rows={insights.repeatToday}
        testId="friction-repeat-today"
      />
      <RepeatList
        title="… and this week (since Monday, UTC)"
        rows={insights.repeatThisWeek}
        testId="friction-repeat-week"
      />
      <h4>Expirations just past the budget, by area</h4>
      <p className="muted">
        Idle expirations up to 60 seconds after the area&apos;s budget. A high share suggests the budget is a little too
        short for the work done there.
      </p>
      {insights.justPastBudget.length === 0 ? (
        <p className="muted">No idle expirations in this period.</p>
      ) : (
        <table data-testid="friction-just-past">
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Idle expirations</th>
              <th scope="col">Within 60 s past the budget</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {insights.justPastBudget.map((a) => (
              <tr key={a.area}>
                <th scope="row">{a.area}</th>
                <td>{a.total}</td>
                <td>{a.justPast}</td>
                <td>{pct(a.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
