-- Indexes for the admin area's reads of security_audit (lib/admin/queries.ts, lib/admin/insights.ts).
-- 001's (event_type, created_at DESC, id DESC) and (identity_id, created_at DESC, id DESC) answer the audit
-- log filtered by type or user and every chart (they all name event types and a time range). Two reads are
-- not covered:
--
-- 1. The audit log with no type and no user (the admin page's default view, the full CSV export, a time
--    range alone) orders by (created_at DESC, id DESC). Without this index every page is a (parallel)
--    sequential scan + top-N sort of the whole table (measured 180-230 ms at 1M rows, growing with the
--    table); with it, any page is an index range scan of 51 rows (< 1 ms), page 1 or page 10 000 alike.
CREATE INDEX IF NOT EXISTS security_audit_created_idx ON security_audit (created_at DESC, id DESC);

-- 2. "Idle expirations within N minutes after a warning for the same session": one look-up per expiration
--    by (session_id, created_at). Partial, over warning_shown rows only, so it stays small and other inserts
--    never touch it; without it each look-up scans every warning of the window across all sessions
--    (measured at 1M rows, 7 days: 200 ms without, 25 ms with).
CREATE INDEX IF NOT EXISTS security_audit_warning_session_idx ON security_audit (session_id, created_at)
  WHERE event_type = 'warning_shown';

-- Each migration runs in a transaction, so these are plain CREATE INDEX (they lock out writes while they
-- build). On a large production table create them first with CREATE INDEX CONCURRENTLY under the same names;
-- IF NOT EXISTS then makes this migration a no-op.
