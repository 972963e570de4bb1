import { AdminHeader, AuditSection, InvalidFilters, SessionsSection } from "@/components/admin/admin-sections";
import { InsightsSection } from "@/components/admin/insights-section";
import {
  adminPageParams,
  auditFields,
  messagesOf,
  rangeEndingNow,
  rawFilterValues,
  type AdminPageParams,
} from "@/lib/admin/filters";
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
  const header = <AdminHeader email={session.email} valid={parsed.success} />;
  if (!parsed.success) {
    return (
      <>
        {header}
        <InvalidFilters messages={messagesOf(parsed.error)} typed={typed} />
        <SessionsSection action={endUserSessions} />
      </>
    );
  }
  const p = parsed.data;
  const { page, userProblem } = await loadAudit(p);
  const query = { types: p.type, user: p.user, from: p.from, to: p.to };
  return (
    <>
      {header}
      <AuditSection params={p} typed={typed} page={page} userProblem={userProblem} />
      <InsightsSection period={p.period} range={rangeEndingNow(p.period, p.bucket)} keep={auditFields(query)} />
      <SessionsSection action={endUserSessions} />
    </>
  );
}

/** The audit page for these filters; a user filter that names nobody (or cannot be looked up) gives none. */
async function loadAudit(p: AdminPageParams): Promise<{ page: AuditPage; userProblem: string | null }> {
  const user = await resolveUser(p.user);
  if (user.problem) return { page: { rows: [], nextCursor: null }, userProblem: user.problem };
  const filters = { types: p.type, identityId: user.identityId, from: p.from ?? null, to: p.to ?? null };
  return { page: await auditPage(filters, p.cursor ?? null), userProblem: null };
}

type UserLookup = { identityId: string | null; problem: string | null };

async function resolveUser(user: AdminPageParams["user"]): Promise<UserLookup> {
  if (!user) return { identityId: null, problem: null };
  try {
    const identityId = await identityIdFor(user);
    const email = "email" in user ? user.email : "";
    return { identityId, problem: identityId ? null : `No user has the email address ${email}.` };
  } catch (error) {
    if (!(error instanceof KratosUnavailableError)) throw error;
    const problem =
      "The sign-in service is unavailable, so the email address cannot be looked up. " +
      "Filter by identity id, or try again.";
    return { identityId: null, problem };
  }
}
