/**
 * Input as the idle state machine (idle-machine.ts) sees it: what counts as the person being there, and how
 * little it costs. Pure.
 *
 * - Clicks, keys, typing, wheel, touch and scroll always count. Pointer movement counts when the policy says
 *   so (policy.activity.pointerMovement, delivered with every session status); until the first status
 *   arrives it does not.
 * - Throttled so that a moving mouse costs nothing: input is looked at once a second at most (one comparison
 *   per event otherwise: no new state, no command, no render); a look tells the other tabs, and a heartbeat
 *   goes out at most once per heartbeat interval (≤ 30 s, deadlines.ts). A `pointermove` at 120 Hz is one
 *   look a second and one request per interval, the same as typing.
 * - A "move" to where the pointer already was is not the person: browsers re-check hover after a scroll or a
 *   layout change under a still mouse. Only a new position counts.
 * - While the warning shows, input is seen but extends nothing: the warning wants an explicit answer.
 */
import { heartbeatInterval } from "./deadlines";
import { post, sync, then, type Step } from "./idle-steps";
import type { IdleState } from "./idle-types";

/** Input is looked at once a second at most. */
export const INPUT_THROTTLE_MS = 1_000;

export function onInput(s: IdleState, now: number): Step {
  if (now - s.lastInputAt < INPUT_THROTTLE_MS) return [s, []];
  const seen = { ...s, lastInputAt: now };
  if (s.phase.kind === "warning" || s.leaving) return [seen, []]; // the warning wants an explicit answer
  const step = post({ ...seen, inputSinceHeartbeat: true }, { type: "activity", tab: s.tab });
  return now - s.lastHeartbeatAt >= heartbeatEvery(s) ? then(step, (x) => sync(x, now, "heartbeat")) : step;
}

/** The pointer moved to (x, y): input when the policy counts movement and the pointer really moved. */
export function onMove(s: IdleState, at: { x: number; y: number }, now: number): Step {
  if (now - s.lastInputAt < INPUT_THROTTLE_MS || !s.deadlines?.pointerMovement) return [s, []];
  if (s.pointer !== null && s.pointer.x === at.x && s.pointer.y === at.y) return [s, []];
  return onInput({ ...s, pointer: { x: at.x, y: at.y } }, now);
}

export function heartbeatEvery(s: IdleState): number {
  return heartbeatInterval(s.deadlines?.budgetSeconds ?? null, s.deadlines?.warningSeconds ?? 20);
}
