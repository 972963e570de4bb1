import "server-only";
/**
 * A small in-process outbox for writes that must not be lost when PostgreSQL is briefly down: audit rows,
 * session-end claims and activity records. Jobs run in order; a failing job is retried with backoff
 * (250 ms doubling to 5 s) and blocks the ones behind it, so nothing is reordered or dropped while the
 * process lives. Every job must be idempotent (they are: GREATEST upserts, claim-once ends, plain inserts
 * that ran zero times until they succeed).
 *
 * Bound: a process killed outright (SIGKILL, a crash) with jobs queued loses them; on SIGTERM it drains first
 * (shutdown.ts). The sweeper still revokes abandoned sessions from what reached the database.
 */

type Job = { label: string; run: () => Promise<void>; attempts: number };

interface State {
  queue: Job[];
  running: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  produced: number;
  completed: number;
  lastError: string | undefined;
  waiters: (() => void)[];
  /** settled() callers: each waits until `completed` reaches the `produced` count of its call */
  marks?: { target: number; resolve: () => void }[];
}

const g = globalThis as unknown as { __outbox?: State };
const state: State = (g.__outbox ??= {
  queue: [],
  running: false,
  timer: undefined,
  produced: 0,
  completed: 0,
  lastError: undefined,
  waiters: [],
});

/** The longest wait between two attempts: a job is retried at most this long after PostgreSQL is back. */
export const OUTBOX_MAX_RETRY_MS = 5_000;
const MAX_DELAY_MS = OUTBOX_MAX_RETRY_MS;

export function enqueue(label: string, run: () => Promise<void>): void {
  state.produced += 1;
  state.queue.push({ label, run, attempts: 0 });
  if (!state.running && state.timer === undefined) void drain();
}

async function drain(): Promise<void> {
  if (state.running) return;
  state.running = true;
  state.timer = undefined;
  try {
    while (state.queue.length > 0) {
      const job = state.queue[0]!;
      try {
        await job.run();
        state.queue.shift();
        state.completed += 1;
        state.lastError = undefined;
        releaseMarks();
      } catch (error) {
        job.attempts += 1;
        const message = (error as Error).message;
        if (state.lastError !== message)
          console.error(`[outbox] ${job.label} failed (attempt ${job.attempts}), will retry: ${message}`);
        state.lastError = message;
        const delay = Math.min(MAX_DELAY_MS, 250 * 2 ** Math.min(job.attempts, 5));
        state.timer = setTimeout(() => void drain(), delay);
        state.timer.unref?.();
        return;
      }
    }
    for (const w of state.waiters.splice(0)) w();
  } finally {
    state.running = false;
  }
}

export function outboxStats() {
  return {
    pending: state.queue.length,
    produced: state.produced,
    completed: state.completed,
    lastError: state.lastError ?? null,
  };
}

function releaseMarks(): void {
  if (!state.marks?.length) return;
  const due = state.marks.filter((m) => m.target <= state.completed);
  state.marks = state.marks.filter((m) => m.target > state.completed);
  for (const m of due) m.resolve();
}

/**
 * Resolves once every job queued before this call has run. Jobs run in order, so that is when `completed`
 * reaches the `produced` count of the call; unlike drained(), jobs queued later (steady traffic) cannot delay it.
 */
export function settled(): Promise<void> {
  const target = state.produced;
  if (state.completed >= target) return Promise.resolve();
  return new Promise((resolve) => (state.marks ??= []).push({ target, resolve }));
}

/** Resolves when the queue is empty (tests and graceful shutdown). */
export function drained(): Promise<void> {
  if (state.queue.length === 0) return Promise.resolve();
  return new Promise((resolve) => state.waiters.push(resolve));
}
