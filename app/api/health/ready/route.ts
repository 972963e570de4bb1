/**
 * GET /api/health/ready: readiness, for a load balancer or an orchestrator. 200 when PostgreSQL and Kratos
 * (public and admin API) answer; otherwise 503 naming which did not ("postgres", "kratos"), or 503
 * "shutting_down" once the instance has received SIGTERM (lib/activity/shutdown.ts). Names only: no error
 * text, URL, version or count. GET /api/health stays the liveness probe (the process answers at all).
 */
import { NextResponse } from "next/server";
import { shuttingDown } from "@/lib/activity/shutdown";
import { databaseReady } from "@/lib/db/pool";
import { kratosReady } from "@/lib/kratos/health";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

export async function GET() {
  let failed = ["shutting_down"];
  if (!shuttingDown()) {
    const [postgres, kratos] = await Promise.all([databaseReady(), kratosReady()]);
    failed = [...(postgres ? [] : ["postgres"]), ...(kratos ? [] : ["kratos"])];
  }
  if (failed.length > 0) return NextResponse.json({ ready: false, failed }, { status: 503, headers: NO_STORE });
  return NextResponse.json({ ready: true }, { headers: NO_STORE });
}
