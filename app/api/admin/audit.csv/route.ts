/**
 * GET /api/admin/audit.csv?type=…&user=…&from=…&to=…: the filtered audit trail as a CSV download,
 * streamed page by page (lib/admin/queries.ts streamAuditCsv), never held in memory whole.
 * Admins only (403 JSON otherwise); bad filters -> 400 JSON naming the field.
 */
import { adminApiSession, queryObject } from "@/lib/admin/api";
import { auditExportParams, messagesOf } from "@/lib/admin/filters";
import { identityIdFor } from "@/lib/admin/identities";
import { streamAuditCsv } from "@/lib/admin/queries";
import { AppError } from "@/lib/errors";
import { NO_STORE } from "@/lib/http/json";
import { KratosUnavailableError } from "@/lib/kratos/types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const auth = await adminApiSession();
  if (!auth.ok) return auth.response;
  const parsed = auditExportParams.safeParse(queryObject(request.url));
  if (!parsed.success) return new AppError("invalid_filters").toResponse({ messages: messagesOf(parsed.error) });
  const { type, user, from, to } = parsed.data;
  let identityId: string | null = null;
  if (user) {
    try {
      identityId = await identityIdFor(user);
    } catch (error) {
      if (error instanceof KratosUnavailableError) return new AppError("auth_unavailable").toResponse();
      throw error;
    }
    if (!identityId) return new AppError("unknown_user").toResponse();
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const body = streamAuditCsv({ types: type, identityId, from: from ?? null, to: to ?? null });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="security-audit-${stamp}.csv"`,
      "cache-control": NO_STORE,
      "x-content-type-options": "nosniff",
    },
  });
}
