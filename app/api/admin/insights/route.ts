/**
 * GET /api/admin/insights?period=24h|7d|30d | from=…&to=…, bucket=hour|day, within=1..60: the admin
 * charts' data as JSON (sessions ended per bucket by reason and by area, idle minutes at expiry, friction).
 * Admins only (403 JSON otherwise); bad parameters -> 400 JSON naming the field.
 */
import { adminApiSession, queryObject } from "@/lib/admin/api";
import { checkRange, insightsParams, messagesOf, rangeEndingNow, type ChartRange } from "@/lib/admin/filters";
import { AppError } from "@/lib/errors";
import { noStoreJson } from "@/lib/http/json";
import { expirationsOverTime, frictionInsights, idleMinutesDistribution } from "@/lib/admin/queries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const invalid = (messages: string[]) => new AppError("invalid_parameters").toResponse({ messages });

export async function GET(request: Request) {
  const auth = await adminApiSession();
  if (!auth.ok) return auth.response;
  const parsed = insightsParams.safeParse(queryObject(request.url));
  if (!parsed.success) return invalid(messagesOf(parsed.error));
  const { period, from, to, bucket, within } = parsed.data;
  if (period && (from || to)) return invalid(["Give a period or from/to, not both."]);
  let range: ChartRange;
  if (from || to) {
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 7 * 86_400_000);
    range = {
      from: start,
      to: end,
      bucket: bucket ?? (end.getTime() - start.getTime() <= 2 * 86_400_000 ? "hour" : "day"),
    };
  } else {
    range = rangeEndingNow(period ?? "7d", bucket);
  }
  const problem = checkRange(range);
  if (problem) return invalid([problem]);

  const [over, idleMinutes, friction] = await Promise.all([
    expirationsOverTime(range, range.bucket),
    idleMinutesDistribution(range),
    frictionInsights(range, { withinMinutes: within }),
  ]);
  return noStoreJson(200, {
    range: { from: range.from.toISOString(), to: range.to.toISOString(), bucket: range.bucket },
    expirationsByReason: over.byReason,
    expirationsByArea: over.byArea,
    idleMinutes,
    friction,
  });
}
