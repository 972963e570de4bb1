import "server-only";
/**
 * The audit rows that browsers cause: warning shown / answered (POST /api/session/events) and "I'm still
 * here" (session_extended, POST /api/session/activity). Each is written only while a warning is really
 * open, at most once per session, kind and warning (lib/audit/warning-window.ts has the rule and the bound),
 * with an area taken from the policy's labels, never from the browser.
 *
 * "Once" is enforced by the database (unique index, db/migrations/005) and ON CONFLICT DO NOTHING, so it
 * holds across app instances and across the outbox's retries.
 */
import { enqueue } from "@/lib/activity/outbox";
import { db } from "@/lib/db/pool";
import type { AuditEvent } from "./events";
import type { OpenWarning } from "./warning-window";

export type WarningEventType = "warning_shown" | "warning_answered" | "session_extended";

export interface WarningEvent {
  eventType: WarningEventType;
  identityId: string;
  sessionId: string;
  warning: OpenWarning;
  /** a policy label (areaFor / budgetFor), never text from the request */
  area: string;
  /** other numbers and paths for the row; never free text */
  details: Record<string, string | number | null>;
}

export function warningAuditEvent(e: WarningEvent): AuditEvent {
  return {
    eventType: e.eventType,
    identityId: e.identityId,
    sessionId: e.sessionId,
    metadata: {
      ...e.details,
      area: e.area,
      idle_deadline: new Date(e.warning.deadline).toISOString(),
      // the key of the unique index: text, so the index expression never needs a cast
      warning_slot: String(e.warning.slot),
    },
  };
}

/** Queued like every audit row (retried while PostgreSQL is down); a second copy is dropped by the database. */
export function auditOncePerWarning(e: WarningEvent): void {
  const event = warningAuditEvent(e);
  enqueue(`audit ${event.eventType}`, async () => {
    await db().query(
      "INSERT INTO security_audit (event_type, identity_id, session_id, metadata) VALUES ($1, $2, $3, $4) " +
        "ON CONFLICT DO NOTHING",
      [event.eventType, event.identityId, event.sessionId, JSON.stringify(event.metadata)],
    );
  });
}
