-- At most one warning_shown, one warning_answered and one session_extended per warning (issue 13, item 5).
-- These rows come from the browser (POST /api/session/events, "I'm still here"), so any signed-in user could
-- otherwise add rows to this append-only table as fast as they can send requests. The writers
-- (lib/audit/warning-events.ts) key each such row by the warning it belongs to: metadata.warning_slot, the
-- session's idle deadline rounded down to a multiple of the warning length. This index makes the database
-- itself refuse a second row for the same session, event and warning, whichever app instance sends it
-- (the writers use ON CONFLICT DO NOTHING), so the bound holds across instances without any shared memory.
--
-- Partial: older rows (written before this migration, without the key) and every other event type are not
-- in it, so it stays small and other inserts never touch it. The key is compared as text, so an odd value
-- can never make an insert fail on a cast.
CREATE UNIQUE INDEX IF NOT EXISTS security_audit_once_per_warning_idx
  ON security_audit (session_id, event_type, (metadata->>'warning_slot'))
  WHERE event_type IN ('warning_shown', 'warning_answered', 'session_extended') AND metadata ? 'warning_slot';
