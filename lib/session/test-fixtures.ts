/**
 * Test data shared by the record's unit tests (activity-record, record-keys): one genuine record at a fixed
 * epoch. Not imported by application code.
 */
import type { ActivityRecord } from "./activity-record";

/** Fixed epoch: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

export const SAMPLE_RECORD: ActivityRecord = {
  sessionId: "3f0c2a4e-8b1d-4c6e-9a2f-5d7e1b3c4a60",
  kratosToken: "AbCdEfGhIjKlMnOpQrSt_-",
  identityId: "7b9e1c2d-4a5f-4e6b-8c7d-9e0f1a2b3c4d",
  email: "ada@example.com",
  name: "Ada Lovelace",
  role: "user",
  preference: undefined,
  issuedAt: T0,
  authenticatedAt: T0,
  expiresAt: T0 + 86_400_000,
  lastActivityAt: T0 + 60_000,
  lastPath: "/dashboard",
  checkedAt: T0 + 60_000,
  stepUpSince: null,
  longestGapMs: 0,
};
