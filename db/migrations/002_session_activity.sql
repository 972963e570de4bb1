-- The server's record of each session's last activity, so sessions whose browser never comes back
-- (closed laptop) are still revoked by the sweeper. Written at most once per activityWriteSeconds per
-- session (the record may lag real activity by that much; the sweeper waits that long past the deadline).
CREATE TABLE session_activity (
  session_id        uuid PRIMARY KEY,
  identity_id       uuid        NOT NULL,
  last_activity_at  timestamptz NOT NULL,
  -- the path whose budget governs (the strictest page open in the browser)
  last_path         text        NOT NULL CHECK (last_path LIKE '/%' AND length(last_path) <= 256),
  -- null: no idle limit (the user chose "never"); the absolute deadline still applies
  budget_seconds    integer     CHECK (budget_seconds > 0),
  -- last_activity_at + budget_seconds, kept by the writer (timestamptz arithmetic is not immutable)
  idle_deadline     timestamptz CHECK ((budget_seconds IS NULL) = (idle_deadline IS NULL)),
  absolute_deadline timestamptz NOT NULL,
  ended_at          timestamptz,
  end_reason        text        CHECK (end_reason IN ('idle', 'absolute', 'manual', 'admin')),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- The sweeper's two questions, answered from small partial indexes over live sessions only.
CREATE INDEX session_activity_idle_due_idx ON session_activity (idle_deadline) WHERE ended_at IS NULL;
CREATE INDEX session_activity_absolute_due_idx ON session_activity (absolute_deadline) WHERE ended_at IS NULL;
CREATE INDEX session_activity_identity_idx ON session_activity (identity_id) WHERE ended_at IS NULL;
