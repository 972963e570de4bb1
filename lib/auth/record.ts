import "server-only";
/**
 * The Node side's hand on the browser's cookies (in a server action or a route handler): the one place it
 * signs the activity record. Pages and routes call these, never encodeRecord() themselves.
 */
import { cookies } from "next/headers";
import { readEdgeEnv } from "@/lib/config/env.js";
import { clearActivityCookie, setActivityCookie } from "@/lib/session/activity-cookie";
import { encodeRecord, type ActivityRecord } from "@/lib/session/activity-record";

/** Re-issues the activity record with this answer. */
export async function saveRecord(record: ActivityRecord): Promise<void> {
  setActivityCookie(await cookies(), encodeRecord(record, readEdgeEnv().SESSION_SECRET));
}

/** After a sign-out Kratos confirmed, or a deleted account: both session cookies go. */
export async function clearSessionCookies(): Promise<void> {
  const jar = await cookies();
  clearActivityCookie(jar);
  jar.delete(readEdgeEnv().KRATOS_SESSION_COOKIE);
}
