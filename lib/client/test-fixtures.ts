/** Test data shared by the client's unit tests (deadlines, idle-machine). Not imported by application code. */
import type { SessionStatus } from "./deadlines";

export const SEC = 1000;
export const HOUR = 3600 * SEC;
/** Fixed epoch: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

/** A status as the server sends it at T0: 40 s idle budget, 4 h absolute, 20 s warnings. */
export function status(overrides: Partial<SessionStatus> = {}): SessionStatus {
  return {
    serverNow: T0,
    idleExpiresAt: T0 + 40 * SEC,
    absoluteExpiresAt: T0 + 4 * HOUR,
    idleBudgetSeconds: 40,
    area: "normal pages",
    warningSeconds: 20,
    absoluteWarningSeconds: 60,
    absoluteFrom: "sign-in",
    pointerMovement: true,
    ...overrides,
  };
}
