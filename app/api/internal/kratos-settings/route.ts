/**
 * POST /api/internal/kratos-settings: Kratos' web hook after a profile change in its settings flow
 * (kratos/hooks/settings-changed.jsonnet). It reports the idle-timeout trait as saved, so a change made
 * through Kratos' own form or API, without the app's settings page, is audited like one made there
 * (lib/audit/preference-change.ts; queued like every audit write, so 202). Authenticated by a shared secret
 * Kratos sends in a header (KRATOS_HOOK_SECRET, compared in constant time); anything else is refused before the
 * body is read.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { reportPreferenceChange } from "@/lib/audit/preference-change";
import { readServerEnv } from "@/lib/config/env.js";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http/body";

const KRATOS_HOOK_HEADER = "x-kratos-hook-secret";

const hookBody = z
  .object({
    identity_id: z.uuid(),
    idle_timeout_minutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .nullable(),
  })
  .strict();

const digest = (value: string) => createHash("sha256").update(value).digest();

function fromKratos(request: Request): boolean {
  const sent = request.headers.get(KRATOS_HOOK_HEADER);
  return sent !== null && timingSafeEqual(digest(sent), digest(readServerEnv().KRATOS_HOOK_SECRET));
}

export async function POST(request: Request) {
  if (!fromKratos(request)) return new AppError("invalid_hook_secret").toResponse();
  const body = await readJson(request, hookBody);
  if (!body.ok) return body.error.toResponse();
  reportPreferenceChange({
    identityId: body.value.identity_id,
    sessionId: null,
    to: body.value.idle_timeout_minutes,
    via: "kratos_settings_flow",
  });
  return NextResponse.json({ queued: true }, { status: 202 });
}
