/**
 * POST /api/internal/events: the Edge gate's reports (session ends, step-ups) for the audit trail.
 * Only signed requests from the gate are accepted, each once (lib/session/internal-receive.ts). Answers 202 as soon as
 * the event is queued: the outbox writes it, retrying while PostgreSQL is down.
 */
import { NextResponse } from "next/server";
import { z } from "zod";
import { recordSessionEnd } from "@/lib/activity/store";
import { auditEventSchema, sessionEndSchema } from "@/lib/audit/events";
import { audit } from "@/lib/audit/write";
import { AppError } from "@/lib/errors";
import { readText } from "@/lib/http/body";
import { receiveInternal } from "@/lib/session/internal-receive";

const message = z.discriminatedUnion("type", [
  z.object({ type: z.literal("session_end"), end: sessionEndSchema }).strict(),
  z
    .object({
      type: z.literal("audit"),
      event: auditEventSchema.refine((e) => e.eventType.startsWith("step_up_"), "only step-up events"),
    })
    .strict(),
]);

export async function POST(request: Request) {
  // Bounded before the signature is checked: an unsigned sender must not make the server read a large body.
  const body = await readText(request, 8192);
  if (!body.ok) return body.error.toResponse();
  const text = body.text;
  const received = receiveInternal(request, "POST", text);
  if (!received.ok) return received.response;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return new AppError("invalid_json").toResponse();
  }
  const parsed = message.safeParse(data);
  if (!parsed.success) return new AppError("invalid_body", parsed.error.issues[0]?.message ?? "invalid").toResponse();
  if (parsed.data.type === "session_end") recordSessionEnd(parsed.data.end);
  else audit(parsed.data.event);
  return NextResponse.json({ queued: true }, { status: 202 });
}
