-- The last idle-timeout choice the app knows for each identity (issue 16, item 4: one audited control).
-- The choice lives in the Kratos trait `idle_timeout_minutes`; it can change through the app's settings page,
-- through Kratos' own settings flow (which calls the app back: /api/internal/kratos-settings) or through the
-- admin API. Every writer goes through lib/audit/preference-change.ts, which compares the new value with this
-- row under a row lock and writes `idle_preference_changed` only when it differs, in the same transaction as
-- the update: one change, one audit row, whichever path and instance saw it (and none for a save that changed
-- something else). No row = not known yet. minutes: NULL = no choice (the policy's default), 0 = "Never".
CREATE TABLE IF NOT EXISTS idle_preference (
  identity_id uuid PRIMARY KEY,
  minutes smallint,
  updated_at timestamptz NOT NULL DEFAULT now()
);
