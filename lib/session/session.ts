/**
 * THE SESSION, as the whole app names it: who is signed in, and the Kratos times the idle rule needs.
 * Kratos' answer is mapped to it (lib/kratos/session.ts), the signed activity record carries it
 * (lib/session/activity-record.ts), and verifySession() / apiSession() hand it out with its deadlines.
 */
import type { IdlePreference, Role } from "@/lib/policy/idle-rule";

export interface Session {
  sessionId: string;
  identityId: string;
  email: string;
  name: string;
  role: Role;
  /** the user's own idle choice (Kratos trait); undefined: unset or unexpected, the policy's default applies */
  preference: IdlePreference | undefined;
  /** Kratos issued_at (epoch ms): the session's creation, kept by a refresh login (absoluteFrom "sign-in") */
  issuedAt: number;
  /** Kratos authenticated_at (epoch ms): authentication counts as activity */
  authenticatedAt: number;
  /** Kratos expires_at (epoch ms): its absolute deadline */
  expiresAt: number;
}
