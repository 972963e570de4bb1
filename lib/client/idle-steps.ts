/**
 * The small steps the idle state machine (idle-machine.ts) is made of. Each takes a state and gives the next
 * state with its commands; `then` chains them. Pure.
 */
import { msToNextTick, secondsLeft, toDeadlines, type SessionStatus } from "./deadlines";
import type { Command, IdleState, Phase, SyncAfter, SyncKind } from "./idle-types";
import type { TabMessage } from "./tab-bus";

export type Step = readonly [IdleState, readonly Command[]];

export const ACTIVE: Phase = { kind: "active" };

/**
 * Runs `next` on the state `step` left, and adds its commands after `step`'s. There is one timer: when `next`
 * sets it, an earlier setting in `step` is dropped.
 */
export function then(step: Step, next: (s: IdleState) => Step): Step {
  const [s, more] = next(step[0]);
  const earlier = more.some(isTimer) ? step[1].filter((c) => !isTimer(c)) : step[1];
  return [s, [...earlier, ...more]];
}

const isTimer = (c: Command) => c.type === "arm" || c.type === "disarm";

export function post(s: IdleState, message: TabMessage): Step {
  return [s, [{ type: "post", message }]];
}

/** Asks the server. Anything but a poll is a heartbeat: the interval counts from when it was sent. */
export function sync(s: IdleState, now: number, kind: SyncKind, after: SyncAfter = "none"): Step {
  if (s.leaving) return [s, []];
  const next = kind === "poll" ? s : { ...s, lastHeartbeatAt: now, inputSinceHeartbeat: false };
  return [next, [{ type: "sync", kind, after, paths: Object.values(s.paths) }]];
}

export function arm(s: IdleState, at: number): Step {
  return [{ ...s, timerAt: at }, [{ type: "arm", at }]];
}

/** The one timer: to the next point (warning, absolute warning, end), or the next second while warning. */
export function schedule(s: IdleState, now: number): Step {
  const d = s.deadlines;
  if (!d) return [s, []];
  if (s.phase.kind === "warning") return arm(s, now + msToNextTick(d.idleAt ?? now, now));
  const points = [d.warnAt, d.absoluteWarnAt, d.absoluteAt, d.idleAt, s.holdLeaveUntil];
  const ahead = points.filter((p): p is number => p !== null && p > now);
  return arm(s, ahead.length ? Math.min(...ahead) : now + 1_000);
}

/** New deadlines from the server (or another tab): a warning they no longer call for closes. */
export function apply(s: IdleState, status: SessionStatus, sentAt: number, now: number): Step {
  const deadlines = toDeadlines(status, sentAt, now);
  const early = deadlines.warnAt === null || now < deadlines.warnAt;
  return schedule({ ...s, deadlines, phase: s.phase.kind === "warning" && early ? ACTIVE : s.phase }, now);
}

/** Opens the warning if the deadlines say it is due (within `toleranceMs`). */
export function openWarning(s: IdleState, now: number, toleranceMs: number): Step {
  const d = s.deadlines;
  if (s.phase.kind === "warning" || s.leaving || !d || d.warnAt === null || d.idleAt === null) return [s, []];
  if (now < d.warnAt - toleranceMs) return [s, []];
  const phase: Phase = { kind: "warning", idleAt: d.idleAt, at: now, startLeft: secondsLeft(d.idleAt, now) };
  return schedule({ ...s, phase }, now);
}

/** At the absolute warning point: "your session ends at …", unless the user closed it for this deadline. */
export function openAbsoluteWarning(s: IdleState, now: number): Step {
  const d = s.deadlines;
  if (!d || now < d.absoluteWarnAt || s.phase.kind !== "active" || s.absoluteDismissed === d.absoluteEndsAt)
    return schedule(s, now);
  const phase: Phase = { kind: "absolute-warning", absoluteAt: d.absoluteAt, from: d.absoluteFrom };
  return schedule({ ...s, phase }, now);
}

/** "Continue" on the absolute warning: closed for this deadline; the end itself stays armed. */
export function dismissAbsoluteWarning(s: IdleState, now: number): Step {
  if (s.phase.kind !== "absolute-warning" || !s.deadlines) return [s, []];
  return schedule({ ...s, phase: ACTIVE, absoluteDismissed: s.deadlines.absoluteEndsAt }, now);
}

export function report(s: IdleState, event: "warning_shown" | "warning_answered", left: number): Step {
  const area = s.deadlines?.area ?? "normal pages";
  return [s, [{ type: "report", event, path: s.path, area, secondsLeft: left }]];
}

/** "Signed out" from the bus: leave only if the server agrees ("retry" is no proof); one question at a time. */
export function confirmSignOut(s: IdleState, hint: string, now: number): Step {
  if (s.confirming !== null || s.leaving) return [s, []];
  return sync({ ...s, confirming: hint }, now, "poll", "confirm");
}

/** The server said the session is over: tell the other tabs (they check for themselves) and go. */
export function leave(s: IdleState, url: string): Step {
  if (s.leaving) return [s, []];
  const cmds: Command[] = [
    { type: "disarm" },
    { type: "post", message: { type: "signed-out", tab: s.tab, url } },
    { type: "leave", url },
  ];
  return [{ ...s, leaving: true, timerAt: null }, cmds];
}
