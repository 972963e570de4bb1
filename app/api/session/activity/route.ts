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
import { apiSession } from "@/lib/auth/api-session";
import { recordHeartbeat } from "@/lib/auth/heartbeat";
import { noStoreJson } from "@/lib/http/json";
import { readJson } from "@/lib/http/body";
import { crossOriginRefusal } from "@/lib/http/same-origin";
import { activityBody } from "./schema";

export async function POST(request: Request) {
  const refused = crossOriginRefusal(request);
  if (refused) return refused;
  const body = await readJson(request, activityBody);
  if (!body.ok) return body.error.toResponse();
  const result = await apiSession("heartbeat");
  if (!result.ok) return result.response;
  return noStoreJson(200, { ...(await recordHeartbeat(result.session, body.value)) });
}
