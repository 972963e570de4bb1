/**
 * The app's own small view of Kratos. Nothing outside lib/kratos sees the SDK's types: swap the adapter,
 * keep the app.
 */
import type { IdlePreference, Role } from "@/lib/policy/idle-rule";

export interface SessionInfo {
  sessionId: string;
  identityId: string;
  email: string;
  name: string;
  role: Role;
  /** undefined when the trait is unset (the policy's default applies) or holds an unexpected value. */
  preference: IdlePreference | undefined;
  /** epoch ms */
  authenticatedAt: number;
  /** epoch ms: Kratos' absolute deadline */
  expiresAt: number;
  aal: string;
}

/**
 * IMPORTANT: "none" (Kratos said 401: no valid session) and "unavailable" (Kratos did not answer, or
 * answered with anything else) are different. Both deny access; only "none" is a sign-out.
 */
export type WhoamiResult =
  | { status: "ok"; session: SessionInfo }
  | { status: "none" }
  | { status: "unavailable"; detail: string };

export class KratosUnavailableError extends Error {
  constructor(detail: string) {
    super(`The sign-in service (Ory Kratos) is unavailable: ${detail}`);
    this.name = "KratosUnavailableError";
  }
}
