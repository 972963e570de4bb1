-- Hourly counts of security_audit for the admin charts and insights (issue 18, item 4: 10 million rows).
--
-- Every chart and insight is a count over a time range. At 10 million rows a 30-day range holds millions of
-- rows, and counting them row by row took seconds. These tables keep the counts per UTC hour, so a range
-- reads its whole hours here (a few thousand rows) and only its partial first and last hour from
-- security_audit itself: the answer is exact, the same as counting the rows (test/integration/admin-queries).
--
-- Reads: lib/admin/counts.ts (whole hours from the two tables, partial hours from audit_rollup_facts).
-- How the counts stay exact without slowing or blocking any audit write:
--   * security_audit's AFTER INSERT trigger (per statement) adds one row per group of the inserted rows to
--     audit_rollup_pending, in the inserting transaction: plain inserts, no row is ever updated there, so
--     writers never wait for each other (an upsert into shared counters would make every expiry of one hour
--     queue behind the sweeper's open transaction).
--   * audit_rollup_compact() (the sweeper calls it on every pass) moves committed pending rows into
--     audit_rollup in one transaction. Readers sum both tables, in one snapshot, so a compaction running
--     meanwhile never shows a row twice or not at all.
-- The counts are derived data: security_audit stays the evidence (and append-only). If they were ever
-- doubted, `TRUNCATE audit_rollup, audit_rollup_pending` followed by the INSERT at the end of this file
-- rebuilds them.

-- One row per audit row, with the dimensions the charts count by. The only definition of these facts:
-- the trigger, the backfill and the reads of partial hours all select from it.
--   area           where the session was (expirations, warnings), 'unknown' otherwise
--   idle_minute    session_expired_idle: whole idle minutes, capped at 60 (the histogram's last bin is "60 and
--                  more"); -1 when not an idle expiry or the value is missing or negative
--   just_past      session_expired_idle within [budget - 0.3 s, budget + 60 s] (lib/admin/insights.ts says why)
--   after_warning  session_expired_idle with a warning_shown of the same session stamped in the 5 minutes
--                  before it and recorded before it (a smaller id): what the trigger can know when the expiry
--                  is written, so the counts never change afterwards. In the app the warning is always written
--                  first (the browser reports it when it shows, at least 20 s before the deadline).
CREATE VIEW audit_rollup_facts AS
WITH typed AS (
  SELECT s.id, s.created_at, s.event_type, s.session_id,
         coalesce(s.metadata->>'area', 'unknown') AS area,
         CASE WHEN s.event_type = 'session_expired_idle' AND jsonb_typeof(s.metadata->'idle_minutes') = 'number'
              THEN (s.metadata->>'idle_minutes')::numeric END AS idle_minutes,
         CASE WHEN s.event_type = 'session_expired_idle' AND jsonb_typeof(s.metadata->'budget_seconds') = 'number'
              THEN (s.metadata->>'budget_seconds')::numeric END AS budget_seconds
  FROM security_audit s
)
SELECT t.id, t.created_at, date_trunc('hour', t.created_at, 'UTC') AS hour, t.event_type, t.area,
       CASE WHEN t.idle_minutes >= 0 THEN least(floor(t.idle_minutes), 60) ELSE -1 END::smallint AS idle_minute,
       coalesce(t.idle_minutes * 60 >= t.budget_seconds - 0.3 AND t.idle_minutes * 60 <= t.budget_seconds + 60,
                false) AS just_past,
       CASE WHEN t.event_type = 'session_expired_idle' THEN EXISTS (
         SELECT 1 FROM security_audit w
         WHERE w.event_type = 'warning_shown' AND w.session_id = t.session_id AND w.id < t.id
           AND w.created_at <= t.created_at AND w.created_at >= t.created_at - interval '5 minutes'
       ) ELSE false END AS after_warning
FROM typed t;

CREATE TABLE audit_rollup (
  hour          timestamptz NOT NULL,
  event_type    text        NOT NULL,
  area          text        NOT NULL,
  idle_minute   smallint    NOT NULL,
  just_past     boolean     NOT NULL,
  after_warning boolean     NOT NULL,
  count         bigint      NOT NULL CHECK (count > 0),
    -- event_type first: every read names its event types and a range of hours; INCLUDE (count) lets it read
  -- the index alone.
  PRIMARY KEY (event_type, hour, area, idle_minute, just_past, after_warning) INCLUDE (count)
);

CREATE TABLE audit_rollup_pending (LIKE audit_rollup INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE INDEX audit_rollup_pending_hour_idx ON audit_rollup_pending (hour);

CREATE FUNCTION audit_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_rollup_pending (hour, event_type, area, idle_minute, just_past, after_warning, count)
  SELECT f.hour, f.event_type, f.area, f.idle_minute, f.just_past, f.after_warning, count(*)
  FROM audit_rollup_facts f
  WHERE f.id IN (SELECT id FROM added)
  GROUP BY 1, 2, 3, 4, 5, 6;
  RETURN NULL;
END;
$$;

CREATE TRIGGER security_audit_rollup
  AFTER INSERT ON security_audit
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION audit_rollup_add();

-- Moves committed pending counts into audit_rollup; returns how many pending rows it moved. One compaction
-- at a time (a second caller returns 0 at once); a pending row committed meanwhile waits for the next one.
CREATE FUNCTION audit_rollup_compact() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  moved bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(4242018) THEN
    RETURN 0;
  END IF;
  WITH taken AS (
    DELETE FROM audit_rollup_pending RETURNING *
  ), summed AS (
    SELECT hour, event_type, area, idle_minute, just_past, after_warning, sum(count)::bigint AS count, count(*) AS n
    FROM taken GROUP BY 1, 2, 3, 4, 5, 6
  ), merged AS (
    INSERT INTO audit_rollup AS r (hour, event_type, area, idle_minute, just_past, after_warning, count)
    SELECT hour, event_type, area, idle_minute, just_past, after_warning, count FROM summed
    ORDER BY event_type, hour, area, idle_minute, just_past, after_warning
    ON CONFLICT (event_type, hour, area, idle_minute, just_past, after_warning)
      DO UPDATE SET count = r.count + EXCLUDED.count
  )
  SELECT coalesce(sum(n), 0) INTO moved FROM summed;
  RETURN moved;
END;
$$;

-- "Idle twice today / this week" counts per user from the rows: this partial index answers it with an
-- index-only scan of the week's idle expirations (a bitmap heap scan of them took over a second at 10 million).
CREATE INDEX security_audit_idle_identity_idx ON security_audit (created_at, identity_id)
  WHERE event_type = 'session_expired_idle';

-- Backfill: the counts of every row already there.
INSERT INTO audit_rollup (hour, event_type, area, idle_minute, just_past, after_warning, count)
SELECT hour, event_type, area, idle_minute, just_past, after_warning, count(*)
FROM audit_rollup_facts GROUP BY 1, 2, 3, 4, 5, 6;
