/**
 * The browser half of idle sign-out as a pure state machine: `reduce(state, event, now)` gives the next state
 * and the commands for the shell (components/idle/controller.ts), which owns the timers, fetch and the tab bus.
 * `now` is performance.now(): Date.now() is never read. No DOM, no I/O: table-tested in idle-machine.test.ts.
 *
 * - Deadlines are the server's (GET /api/session), placed on the monotonic clock (deadlines.ts).
 * - No ticking while far from a deadline: one timer to the next point (warning, absolute warning, end);
 *   one-second ticks only while the warning shows (steps.ts: schedule).
 * - Input (pointer down, key, input, wheel, scroll, touch, and pointer movement when the policy counts it;
 *   throttled to one look a second, idle-input.ts) sends a heartbeat at most once per heartbeat interval
 *   (≤ 30 s). Status polls are never activity (the server agrees).
 * - Every tab in step through the tab bus: activity, new deadlines, the warning, "I'm here" and sign-outs.
 *   A sign-out heard on the bus is only a reason to ask the server: a plain link to /signed-out (its page
 *   announces on the bus) must not take a live session's tabs off their pages.
 * - Before showing the warning it asks the server (another tab may have moved the deadline); at the deadline
 *   it asks again, and the server ends the session (revocation in Kratos, audit) and names the page to show.
 * - Waking up (visible, bfcache restore, online, resume, a timer that fired late: sleep) asks the server first.
 * - One machine per tab: a client navigation is a `path` event, not a new machine (same tab id, same bus).
 * - A sign-out submitted in this tab holds any "leave" for a moment: a heartbeat that the sign-out overtook
 *   answers 401, and navigating on it would abort the sign-out's own redirect (IdleState.holdLeaveUntil).
 */
import { secondsLeft, type SessionStatus } from "./deadlines";
import { heartbeatEvery, INPUT_THROTTLE_MS, onInput, onMove } from "./idle-input";
import {
  ACTIVE,
  apply,
  arm,
  confirmSignOut,
  dismissAbsoluteWarning,
  leave,
  openAbsoluteWarning,
  openWarning,
  post,
  report,
  schedule,
  sync,
  then,
  type Step,
} from "./idle-steps";
import type { Command, IdleEvent, IdleState, SyncAfter } from "./idle-types";
import { leaveUrl } from "./leave-url";
import type { TabMessage } from "./tab-bus";

export type { Command, IdleEvent, IdleState, Phase, SyncAfter, SyncAnswer, SyncKind } from "./idle-types";

/** A timer that fires this much after it was due means the tab slept or was throttled: ask before acting. */
export const LATE_MS = 2_000;
/** After a failed request ("retry": offline, 5xx, timeout): ask again this much later. Never a sign-out. */
export const RETRY_MS = 5_000;
/** A sign-out submitted in this tab has this long to take the tab away itself (its redirect). */
export const SIGN_OUT_HOLD_MS = 10_000;
export { INPUT_THROTTLE_MS };

export function initialState(tab: string, path: string, visible: boolean): IdleState {
  return {
    tab,
    path,
    visible,
    paths: { [tab]: path },
    deadlines: null,
    phase: ACTIVE,
    timerAt: null,
    lastHeartbeatAt: Number.NEGATIVE_INFINITY,
    lastInputAt: 0,
    inputSinceHeartbeat: false,
    pointer: null,
    absoluteDismissed: null,
    leases: 0,
    confirming: null,
    holdLeaveUntil: null,
    leaving: false,
    stopped: false,
  };
}

export function reduce(s: IdleState, e: IdleEvent, now: number): Step {
  if (s.stopped) return [s, []];
  switch (e.type) {
    case "start":
      return then(post(s, { type: "path", tab: s.tab, path: s.path }), (x) => sync(x, now, "poll"));
    case "path":
      return onPath(s, e.path, now);
    case "input":
      return onInput(s, now);
    case "move":
      return onMove(s, e, now);
    case "absolute-dismiss":
      return dismissAbsoluteWarning(s, now);
    case "timer":
      return onTimer(s, now);
    case "answer":
      return onAnswer(s, e, now);
    case "message":
      return onMessage(s, e.message, now);
    case "visibility":
    case "wake":
      return wake(s, e.visible, now);
    case "pageshow":
      return e.persisted ? wake(s, e.visible, now) : [{ ...s, visible: e.visible }, []];
    case "hide":
      return post(s, { type: "closed", tab: s.tab });
    case "still-here":
      return onStillHere(s, now);
    case "signing-out":
      return schedule({ ...s, holdLeaveUntil: now + SIGN_OUT_HOLD_MS }, now);
    case "lease-start":
      return onLeaseStart(s, now);
    case "lease-end":
      return onLeaseEnd(s, now);
    case "lease-tick":
      return s.leases > 0 ? sync(s, now, "lease") : [s, []];
    case "stop":
      return onStop(s);
  }
}

/** A client navigation: the other tabs learn the page, and the server's answer names this page's budget. */
function onPath(s: IdleState, path: string, now: number): Step {
  if (path === s.path) return [s, []];
  const moved = { ...s, path, paths: { ...s.paths, [s.tab]: path } };
  return then(post(moved, { type: "path", tab: s.tab, path }), (x) => sync(x, now, "poll"));
}

function onTimer(s: IdleState, now: number): Step {
  const d = s.deadlines;
  const late = s.timerAt !== null && now - s.timerAt > LATE_MS;
  const fired: IdleState = { ...s, timerAt: null };
  const holdOver = s.holdLeaveUntil !== null && now >= s.holdLeaveUntil;
  if (holdOver) return sync({ ...fired, holdLeaveUntil: null }, now, "poll"); // a sign-out here that did not leave
  if (!d || late) return sync(fired, now, "poll"); // woke from sleep (or a throttled tab): ask first
  // At a deadline: the server ends the session (revocation, audit) and names the page to show.
  if (now >= d.absoluteAt || (d.idleAt !== null && now >= d.idleAt)) return sync(fired, now, "poll");
  // A countdown tick: a new tick time, so the dialog shows the new number.
  if (s.phase.kind === "warning") return schedule({ ...fired, phase: { ...s.phase, at: now } }, now);
  if (d.warnAt !== null && now >= d.warnAt) {
    // Until the answer comes, the next point (the deadline itself) stays armed. Input since the last heartbeat
    // (or a lease) is sent first; else another tab may have moved the deadline: ask the server before warning.
    const busy = s.inputSinceHeartbeat || s.leases > 0;
    return then(schedule(fired, now), (x) => (busy ? sync(x, now, "heartbeat") : sync(x, now, "poll", "warn")));
  }
  return openAbsoluteWarning(fired, now);
}

function onAnswer(s: IdleState, e: Extract<IdleEvent, { type: "answer" }>, now: number): Step {
  const settled = e.after === "confirm" ? { ...s, confirming: null } : s;
  if (s.leaving) return [settled, []];
  const answer = e.answer;
  const hint = e.after === "confirm" ? s.confirming : null;
  // A sign-out submitted here leaves by its own redirect; the timer asks again when the hold ends.
  if (answer.kind === "leave" && s.holdLeaveUntil !== null && now < s.holdLeaveUntil) return [settled, []];
  if (answer.kind === "leave") return leave(settled, leaveTo(answer.url, hint));
  if (answer.kind === "retry") return arm(settled, now + RETRY_MS); // never a sign-out by itself
  const applied = apply(settled, answer.status, e.sentAt, now);
  const status = answer.status;
  const told = e.kind === "poll" ? applied : then(applied, (x) => post(x, { type: "status", tab: s.tab, status }));
  return then(told, (x) => AFTER[e.after](x, status, now));
}

/** `hint`: where the tab that said "signed out" went; used only because the server agreed (leave-url.ts). */
function leaveTo(serverUrl: string, hint: string | null): string {
  return hint === null ? serverUrl : leaveUrl(serverUrl, hint);
}

/** What a status answer leads to, by why it was asked. */
const AFTER: Record<SyncAfter, (s: IdleState, status: SessionStatus, now: number) => Step> = {
  none: (s) => [s, []],
  confirm: (s) => [s, []],
  // Coming back within the deadline counts as activity (the server decides either way).
  wake: (s, _status, now) => sync(s, now, "heartbeat"),
  "still-here": (s, status) => post(s, { type: "extended", tab: s.tab, status }),
  warn: (s, status, now) => {
    const step = openWarning(s, now, 0);
    const phase = step[0].phase;
    if (phase === s.phase || phase.kind !== "warning") return step;
    const shown = s.visible ? report(step[0], "warning_shown", phase.startLeft)[1] : []; // one row per warning
    // Every other tab warns too, on this answer: tabs stay in step even where one's timer runs late.
    return [step[0], [...step[1], ...shown, { type: "post", message: { type: "warning", tab: s.tab, status } }]];
  },
};

function onMessage(s: IdleState, m: TabMessage, now: number): Step {
  if (m.tab === s.tab) return [s, []];
  switch (m.type) {
    case "activity":
      return [{ ...s, lastInputAt: now }, []];
    case "status":
      return apply(s, m.status, now, now);
    case "extended":
      return apply(s.phase.kind === "warning" ? { ...s, phase: ACTIVE } : s, m.status, now, now);
    case "signed-out":
      return confirmSignOut(s, m.url, now);
    case "path":
      return onTabPath(s, m.tab, m.path);
    case "closed":
      return [{ ...s, paths: withoutKey(s.paths, m.tab) }, []];
    // Another tab just asked the server and warns: so does this one (reported once, by that tab).
    case "warning":
      return then(apply(s, m.status, now, now), (x) => openWarning(x, now, 1_000));
  }
}

/** A tab we did not know: tell it where we are, so both report the strictest page. */
function onTabPath(s: IdleState, tab: string, path: string): Step {
  const known = tab in s.paths;
  const next = { ...s, paths: { ...s.paths, [tab]: path } };
  return known ? [next, []] : post(next, { type: "path", tab: s.tab, path: s.path });
}

function wake(s: IdleState, visible: boolean, now: number): Step {
  const seen = { ...s, visible };
  if (!visible) return [seen, []];
  return then(post(seen, { type: "path", tab: s.tab, path: s.path }), (x) => sync(x, now, "poll", "wake"));
}

/** "I'm here, keep me signed in": the server sets the new deadline; every tab closes its warning. */
function onStillHere(s: IdleState, now: number): Step {
  const p = s.phase;
  const answered: Step = p.kind === "warning" ? report(s, "warning_answered", secondsLeft(p.idleAt, now)) : [s, []];
  return then(answered, (x) => sync(x, now, "still-here", "still-here"));
}

/** Keeps the session alive while work runs (uploads), still bounded by the absolute lifetime. */
function onLeaseStart(s: IdleState, now: number): Step {
  const next = { ...s, leases: s.leases + 1 };
  if (next.leases > 1) return [next, []];
  return then(sync(next, now, "lease"), (x) => [x, [{ type: "lease-ticks", every: heartbeatEvery(x) }]]);
}

/** The last lease ended: idle counting resumes from the end of the work. */
function onLeaseEnd(s: IdleState, now: number): Step {
  const next = { ...s, leases: Math.max(0, s.leases - 1) };
  if (next.leases > 0) return [next, []];
  return then([next, [{ type: "lease-ticks", every: null }]], (x) => sync(x, now, "heartbeat"));
}

function onStop(s: IdleState): Step {
  const cmds: Command[] = [{ type: "disarm" }, { type: "post", message: { type: "closed", tab: s.tab } }];
  if (s.leases > 0) cmds.push({ type: "lease-ticks", every: null });
  return [{ ...s, stopped: true, timerAt: null }, cmds];
}

function withoutKey(paths: Readonly<Record<string, string>>, key: string): Record<string, string> {
  const rest = { ...paths };
  delete rest[key];
  return rest;
}
