/**
 * The audit trail's vocabulary. Pure: zod schemas shared by the writers and by the internal channel.
 * IMPORTANT: metadata never holds passwords, tokens or cookie values: only ids, paths, numbers and labels.
 */
import { z } from "zod";

export const AUDIT_EVENT_TYPES = [
  "session_expired_idle",
  "session_expired_absolute",
  "session_extended",
  "signed_out",
  "step_up_required",
  "step_up_completed",
  "idle_preference_changed",
  "sessions_revoked_by_admin",
  "role_granted",
  "account_deleted",
  "billing_details_changed",
  "warning_shown",
  "warning_answered",
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

const scalar = z.union([z.string().max(300), z.number(), z.boolean(), z.null()]);

export const auditEventSchema = z
  .object({
    eventType: z.enum(AUDIT_EVENT_TYPES),
    identityId: z.uuid().nullable(),
    sessionId: z.uuid().nullable(),
    metadata: z
      .record(z.string().regex(/^[a-z_]{1,40}$/), scalar)
      .refine((m) => Object.keys(m).length <= 20, "too many keys"),
  })
  .strict();

export type AuditEvent = z.infer<typeof auditEventSchema>;

/** A session ended by the idle rule: the claim and its audit row are written together, exactly once. */
export const sessionEndSchema = z
  .object({
    sessionId: z.uuid(),
    identityId: z.uuid(),
    reason: z.enum(["idle", "absolute"]),
    detectedBy: z.enum(["gate", "request", "sweeper"]),
    lastPath: z.string().startsWith("/").max(256),
    area: z.string().max(40),
    idleSeconds: z.number().nonnegative().nullable(),
    budgetSeconds: z.number().int().positive().nullable(),
    absoluteDeadline: z.number().int().nonnegative(),
  })
  .strict();

export type SessionEnd = z.infer<typeof sessionEndSchema>;

export function sessionEndAudit(end: SessionEnd): AuditEvent {
  return {
    eventType: end.reason === "idle" ? "session_expired_idle" : "session_expired_absolute",
    identityId: end.identityId,
    sessionId: end.sessionId,
    metadata: {
      detected_by: end.detectedBy,
      page: end.lastPath,
      area: end.area,
      idle_minutes: end.idleSeconds === null ? null : Math.round((end.idleSeconds / 60) * 100) / 100,
      budget_seconds: end.budgetSeconds,
    },
  };
}
