import "server-only";
import type { PoolClient } from "pg";
import { db } from "@/lib/db/pool";
import { enqueue } from "@/lib/activity/outbox";
import type { AuditEvent } from "./events";

type Queryable = Pick<PoolClient, "query">;

export async function insertAudit(client: Queryable, event: AuditEvent): Promise<void> {
  await client.query(
    "INSERT INTO security_audit (event_type, identity_id, session_id, metadata) VALUES ($1, $2, $3, $4)",
    [event.eventType, event.identityId, event.sessionId, JSON.stringify(event.metadata)],
  );
}

/**
 * Records an audit event. Never blocks the request on the database and never drops the event: when
 * PostgreSQL is down it waits in the outbox and is retried while the process lives.
 */
export function audit(event: AuditEvent): void {
  enqueue(`audit ${event.eventType}`, () => insertAudit(db(), event));
}
