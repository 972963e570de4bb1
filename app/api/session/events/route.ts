/**
 * POST /api/session/events: the browser reports "warning shown" / "warning answered" for the admins'
 * friction insights. Never activity (the gate classifies it as a report), so it cannot keep a session alive.
 *
 * Bounded (issue 13): only from the app's own pages (Sec-Fetch-Site), only while a warning is really open
 * on the server's view of the session, at most one row per session, kind and warning (database-enforced,
 * lib/audit/warning-events.ts), and the area is the policy's label for the page whose budget governs, never
 * the text the browser sent (`area` is still accepted for older clients and ignored).
 */
import { z } from "zod";
import { apiSession } from "@/lib/auth/api-session";
import { auditOncePerWarning } from "@/lib/audit/warning-events";
import { openWarning } from "@/lib/audit/warning-window";
import { readPolicy } from "@/lib/config/env.js";
import { noStoreJson } from "@/lib/http/json";
import { readJson } from "@/lib/http/body";
import { crossOriginRefusal } from "@/lib/http/same-origin";

const body = z
  .object({
    type: z.enum(["warning_shown", "warning_answered"]),
    path: z.string().regex(/^\/(?!\/)[^\s?#\\]{0,255}$/, "must be a path such as /billing"),
    /** ignored: the server derives the area from the policy */
    area: z.string().max(40).optional(),
    /** seconds left on the countdown when it happened */
    secondsLeft: z.number().int().min(0).max(3600),
  })
  .strict();

export async function POST(request: Request) {
  const refused = crossOriginRefusal(request);
  if (refused) return refused;
  const parsed = await readJson(request, body, 1024);
  if (!parsed.ok) return parsed.error.toResponse();
  const result = await apiSession("report");
  if (!result.ok) return result.response;
  const { session } = result;
  const policy = readPolicy();
  const warning = openWarning(Date.now(), session.idleDeadline, policy.warningSeconds);
  // Not an error (a tab's clock may be off, a report may arrive after another tab extended the session):
  // answered plainly, and nothing is written.
  if (!warning) return noStoreJson(200, { recorded: false, reason: "no_open_warning" });
  auditOncePerWarning({
    eventType: parsed.value.type,
    identityId: session.identityId,
    sessionId: session.sessionId,
    warning,
    area: session.budget.area.label,
    // The page whose budget the warning counts down (the server's record), not the browser's text.
    details: { page: session.record.lastPath, seconds_left: parsed.value.secondsLeft },
  });
  // Queued; the database keeps only the first report of this kind for this warning.
  return noStoreJson(202, { accepted: true });
}
