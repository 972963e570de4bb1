/**
 * GET /api/session: the deadlines the client counts down to, on the server's clock.
 * A status poll: it never counts as activity, so polling cannot keep a session alive.
 */
import { NextResponse } from "next/server";
import { apiSession } from "@/lib/auth/api-session";
import { readPolicy } from "@/lib/config/env.js";
import { NO_STORE } from "@/lib/gate/responses";

export async function GET() {
  const result = await apiSession("poll");
  if (!result.ok) return result.response;
  const { session } = result;
  const policy = readPolicy();
  return NextResponse.json(
    {
      serverNow: Date.now(),
      idleExpiresAt: session.idleDeadline,
      absoluteExpiresAt: session.absoluteDeadline,
      idleBudgetSeconds: session.budget.seconds,
      area: session.budget.area.label,
      warningSeconds: policy.warningSeconds,
      absoluteWarningSeconds: policy.absoluteWarningSeconds,
    },
    { headers: { "cache-control": NO_STORE } },
  );
}
