import { NextResponse } from "next/server";
import { outboxStats } from "@/lib/activity/outbox";

/** Liveness plus the outbox backlog (writes waiting for PostgreSQL). No session data. */
export function GET() {
  return NextResponse.json({ ok: true, outbox: outboxStats() }, { headers: { "cache-control": "no-store" } });
}
