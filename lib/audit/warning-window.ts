/**
 * Which warning a browser's report belongs to, decided on the server. Pure (no I/O, `now` passed in).
 *
 * The browser reports "warning shown", "warning answered" and "I'm still here"; each may add an audit row,
 * so each must belong to a warning that is really open, and add at most one row per warning and kind:
 *
 * - A warning is open when the session's idle deadline (as this request's check computed it: the signed
 *   record's last activity plus the governing budget) is at most warningSeconds (+ CLOCK_SLACK_MS for the
 *   browser's clock and the trip) away. Past the deadline the check has already ended the session.
 * - The warning's key is its deadline rounded down to a multiple of warningSeconds. Not the exact deadline:
 *   a client holding several older signed records of its session (all validly signed, each with another
 *   last activity) could present a different exact deadline per request; every deadline it can present
 *   while a warning is open lies within warningSeconds (+ slack) of now, so they fall into at most two keys.
 *   The database refuses a second row per (session, event, key) (db/migrations/005).
 *
 * Bound (per session, per event kind): in any window of T seconds the open deadlines span T + W + S
 * seconds (W = warningSeconds, S = slack), which meets at most ceil((T + W + S) / W) + 1 keys. With the
 * three kinds: at most 3 * (ceil((60 + W + S) / W) + 1) rows per minute: 12 with W = 60 s (the presets),
 * 18 with the smallest W the policy allows (20 s). See rowsPerMinuteBound().
 *
 * Cost for real users: two warnings of one session share a key only if the second deadline comes less
 * than W after the first rounded down, i.e. a budget shorter than 2 W after answering; the second
 * warning's rows are then not written (fewer rows, never more).
 */

/** How early (server clock) a report may come before the warning opens: the browser's clock and the trip. */
export const CLOCK_SLACK_MS = 5_000;

export interface OpenWarning {
  /** the idle deadline the warning counts down to (epoch ms) */
  deadline: number;
  /** the key of that warning: floor(deadline / warning length) */
  slot: number;
}

/** The warning open at `now` for a session whose idle deadline is `idleDeadline`, or null when none is. */
export function openWarning(now: number, idleDeadline: number | null, warningSeconds: number): OpenWarning | null {
  if (idleDeadline === null || !Number.isFinite(idleDeadline)) return null;
  if (idleDeadline < now) return null;
  if (idleDeadline - now > warningSeconds * 1000 + CLOCK_SLACK_MS) return null;
  return { deadline: idleDeadline, slot: Math.floor(idleDeadline / (warningSeconds * 1000)) };
}

/** The most audit rows one session can add per `windowSeconds` through warning reports and "still here". */
export function rowsPerWindowBound(warningSeconds: number, windowSeconds = 60): number {
  const span = windowSeconds + warningSeconds + CLOCK_SLACK_MS / 1000;
  return 3 * (Math.ceil(span / warningSeconds) + 1);
}
