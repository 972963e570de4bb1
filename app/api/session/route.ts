/**
 * GET /api/session: the deadlines the client counts down to, on the server's clock.
 * A status poll: it never counts as activity, so polling cannot keep a session alive.
 */
import { apiSession } from "@/lib/auth/api-session";
import { readPolicy } from "@/lib/config/env.js";
import { noStoreJson } from "@/lib/http/json";
import { sessionStatus } from "@/lib/session/status";

export async function GET() {
  const result = await apiSession("poll");
  if (!result.ok) return result.response;
  return noStoreJson(200, { ...sessionStatus(result.session, readPolicy(), Date.now()) });
}
