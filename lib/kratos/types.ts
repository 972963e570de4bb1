/**
 * The app's own small view of Kratos. Nothing outside lib/kratos sees the SDK's types: swap the adapter,
 * keep the app.
 */
import type { Session } from "@/lib/session/session";

/**
 * IMPORTANT: "none" (Kratos said 401: no valid session) and "unavailable" (Kratos did not answer, or
 * answered with anything else) are different. Both deny access; only "none" is a sign-out.
 */
export type WhoamiResult =
  { status: "ok"; session: Session } | { status: "none" } | { status: "unavailable"; detail: string };

export class KratosUnavailableError extends Error {
  constructor(detail: string) {
    super(`The sign-in service (Ory Kratos) is unavailable: ${detail}`);
    this.name = "KratosUnavailableError";
  }
}
