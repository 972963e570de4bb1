/**
 * GET /api/health: public liveness, nothing else ({ ok: true }): no backlog, no error text, no counts.
 * The outbox backlog (writes waiting for PostgreSQL) is operational detail: it is answered only to a
 * request signed like the gate's internal calls (x-internal-auth with SESSION_SECRET, each signature usable
 * once; lib/session/internal-receive.ts), e.g. a monitoring job on the same host or the resilience tests.
 */
import { NextResponse } from "next/server";
import { outboxStats } from "@/lib/activity/outbox";
import { INTERNAL_AUTH_HEADER } from "@/lib/session/internal-channel";
import { receiveInternal } from "@/lib/session/internal-receive";

const NO_STORE = { "cache-control": "no-store" };

export function GET(request: Request) {
  if (request.headers.get(INTERNAL_AUTH_HEADER) === null) return NextResponse.json({ ok: true }, { headers: NO_STORE });
  const received = receiveInternal(request, "GET", "");
  if (!received.ok) return received.response;
  return NextResponse.json({ ok: true, outbox: outboxStats() }, { headers: NO_STORE });
}
