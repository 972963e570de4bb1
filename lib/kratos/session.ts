/**
 * whoami, mapped to the app's Session (lib/session/session.ts). Web APIs only (used by the Edge gate and by Node code).
 */
import type { Session as KratosSession } from "@ory/client-fetch";
import { isIdlePreference } from "@/lib/policy/idle-rule";
import { describeError, frontendApi, requestInit, statusOf } from "./client";
import type { Session } from "@/lib/session/session";
import type { WhoamiResult } from "./types";

export function toSession(session: KratosSession): Session | null {
  const identity = session.identity;
  // issued_at too: without the session's start the "sign-in" absolute limit could not be kept (fail closed).
  if (!identity || !session.active || !session.expires_at || !session.authenticated_at || !session.issued_at)
    return null;
  const traits = (identity.traits ?? {}) as Record<string, unknown>;
  const meta = (identity.metadata_public ?? {}) as Record<string, unknown>;
  const preference = traits.idle_timeout_minutes;
  return {
    sessionId: session.id,
    identityId: identity.id,
    email: typeof traits.email === "string" ? traits.email : "",
    name: typeof traits.name === "string" ? traits.name : "",
    // Roles live in metadata_public, which users cannot edit; anything but "admin" is a plain user.
    role: meta.role === "admin" ? "admin" : "user",
    preference: isIdlePreference(preference) ? preference : undefined,
    issuedAt: new Date(session.issued_at).getTime(),
    authenticatedAt: new Date(session.authenticated_at).getTime(),
    expiresAt: new Date(session.expires_at).getTime(),
  };
}

/** Asks Kratos who owns this Cookie header. Never throws. */
export async function whoami(cookieHeader: string): Promise<WhoamiResult> {
  try {
    const session = await frontendApi().toSession({ cookie: cookieHeader }, requestInit());
    const info = toSession(session);
    return info ? { status: "ok", session: info } : { status: "none" };
  } catch (error) {
    // 401: no session, or expired/revoked. 403: a second factor is required (aal2) - not signed in either.
    const status = statusOf(error);
    if (status === 401 || status === 403) return { status: "none" };
    return { status: "unavailable", detail: describeError(error) };
  }
}
