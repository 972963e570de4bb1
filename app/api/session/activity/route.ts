/**
 * POST /api/session/activity: records activity (heartbeat, "I'm still here", a long operation's lease).
 * It may carry the pages open in the browser; the strictest one's budget then governs. A bad body is a
 * 400 with the reason and records nothing. An expired session stays expired (checked first).
 *
 * Only from the app's own pages (Sec-Fetch-Site): a heartbeat sent from another site or a same-site page on
 * another origin is refused before anything else, so it never counts as activity. "I'm still here" writes
 * session_extended only when a warning was open on the server's view of the session when it came (the
 * deadline before this request moved it), once per warning (lib/audit/warning-events.ts).
 */
import { NextResponse } from "next/server";
import { apiSession } from "@/lib/auth/api-session";
import { noteActivity } from "@/lib/activity/store";
import { auditOncePerWarning } from "@/lib/audit/warning-events";
import { openWarning } from "@/lib/audit/warning-window";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import { NO_STORE } from "@/lib/gate/responses";
import { readJson } from "@/lib/http/body";
import { crossOriginRefusal } from "@/lib/http/same-origin";
import { budgetFor, strictestPath } from "@/lib/policy/idle-rule";
import { ACTIVITY_COOKIE, activityCookieOptions, encodeRecord, touch } from "@/lib/session/activity-record";
import { activityBody } from "./schema";

export async function POST(request: Request) {
  const refused = crossOriginRefusal(request);
  if (refused) return refused;
  const body = await readJson(request, activityBody);
  if (!body.ok) return NextResponse.json({ error: body.error, message: body.message }, { status: body.status, headers: { "cache-control": NO_STORE } });
  const result = await apiSession("heartbeat");
  if (!result.ok) return result.response;

  const { session } = result;
  const policy = readPolicy();
  const now = Date.now();
  const subject = { role: session.role, preference: session.preference, device: session.device };
  const governing = strictestPath(body.value.paths ?? [], subject, policy) ?? session.record.lp;
  const record = touch(session.record, now, governing);
  const budget = budgetFor(governing, subject, policy);
  noteActivity(
    {
      sessionId: session.sessionId,
      identityId: session.identityId,
      lastActivityAt: now,
      lastPath: governing,
      budgetSeconds: budget.seconds,
      absoluteDeadline: session.absoluteDeadline,
    },
    policy.activityWriteSeconds * 1000,
    body.value.reason === "still-here",
  );
  // The check does not count this request as activity (the route records it itself), so the session's
  // idle deadline is still the one before this request: was its warning open?
  const warning = body.value.reason === "still-here" ? openWarning(now, session.idleDeadline, policy.warningSeconds) : null;
  if (warning) {
    auditOncePerWarning({
      eventType: "session_extended",
      identityId: session.identityId,
      sessionId: session.sessionId,
      warning,
      area: budget.area.label,
      details: { page: governing, budget_seconds: budget.seconds },
    });
  }
  const response = NextResponse.json(
    {
      serverNow: now,
      idleExpiresAt: budget.seconds === null ? null : now + budget.seconds * 1000,
      absoluteExpiresAt: session.absoluteDeadline,
      idleBudgetSeconds: budget.seconds,
      area: budget.area.label,
      warningSeconds: policy.warningSeconds,
      absoluteWarningSeconds: policy.absoluteWarningSeconds,
    },
    { headers: { "cache-control": NO_STORE } },
  );
  response.cookies.set(ACTIVITY_COOKIE, encodeRecord(record, readEdgeEnv().SESSION_SECRET), activityCookieOptions(process.env.NODE_ENV === "production"));
  return response;
}
