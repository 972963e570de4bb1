/**
 * Table tests for pointer movement as activity (lib/client/idle-input.ts: the policy's
 * activity.pointerMovement, the one-second look and the heartbeat interval) and for the absolute warning's
 * "Continue" (lib/client/idle-steps.ts). Same shape as idle-machine.test.ts: state before, event, time, the
 * exact commands and state fields after. Times are performance.now() readings; the status fixture is the
 * test run's policy (40 s idle budget, so heartbeats every 10 s; 4 h absolute, warned 60 s before).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toDeadlines, type SessionStatus } from "./deadlines";
import { INPUT_THROTTLE_MS, initialState, reduce, type Command, type IdleEvent, type IdleState } from "./idle-machine";
import { HOUR, SEC, T0, status } from "./test-fixtures";

const ME = "me";
const deadlinesAt = (at: number, overrides: Partial<SessionStatus> = {}) => toDeadlines(status(overrides), at, at);
const MOVES_COUNT = deadlinesAt(0, { pointerMovement: true });
const MOVES_DO_NOT = deadlinesAt(0, { pointerMovement: false });

function state(overrides: Partial<IdleState> = {}): IdleState {
  return { ...initialState(ME, "/dashboard", true), deadlines: MOVES_COUNT, timerAt: 20 * SEC, ...overrides };
}

const move = (x: number, y: number): IdleEvent => ({ type: "move", x, y });
const activity: Command = { type: "post", message: { type: "activity", tab: ME } };
const heartbeat: Command = { type: "sync", kind: "heartbeat", after: "none", paths: ["/dashboard"] };

interface Row {
  name: string;
  before?: Partial<IdleState>;
  event: IdleEvent;
  now: number;
  commands: Command[];
  after?: Partial<IdleState>;
  /** the state object itself comes back (nothing to store, nothing to render) */
  same?: boolean;
}

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    for (const row of rows) {
      it(row.name, () => {
        const before = state(row.before);
        const [next, commands] = reduce(before, row.event, row.now);
        assert.deepEqual(commands, row.commands);
        for (const [key, value] of Object.entries(row.after ?? {})) {
          assert.deepEqual(next[key as keyof IdleState], value, key);
        }
        if (row.same) assert.equal(next, before, "the same state object");
      });
    }
  });
}

table("pointer movement, the policy counting it (activity.pointerMovement: true)", [
  {
    name: "a move, no heartbeat yet: activity on the bus and a heartbeat, the position remembered",
    event: move(10, 20),
    now: 5 * SEC,
    commands: [activity, heartbeat],
    after: { pointer: { x: 10, y: 20 }, lastInputAt: 5 * SEC, lastHeartbeatAt: 5 * SEC, inputSinceHeartbeat: false },
  },
  {
    name: "a move within the heartbeat interval (10 s): activity on the bus only",
    before: { lastHeartbeatAt: 1 * SEC, lastInputAt: 1 * SEC, pointer: { x: 10, y: 20 } },
    event: move(11, 20),
    now: 10 * SEC,
    commands: [activity],
    after: { pointer: { x: 11, y: 20 }, inputSinceHeartbeat: true, lastHeartbeatAt: 1 * SEC },
  },
  {
    name: "a move once the heartbeat interval has passed: a heartbeat",
    before: { lastHeartbeatAt: 1 * SEC, lastInputAt: 1 * SEC, pointer: { x: 10, y: 20 } },
    event: move(200, 300),
    now: 11 * SEC,
    commands: [activity, heartbeat],
  },
  {
    name: "throttle: a move 999 ms after the last look costs nothing (same state, no command)",
    before: { lastInputAt: 5 * SEC, pointer: { x: 10, y: 20 } },
    event: move(50, 60),
    now: 5 * SEC + INPUT_THROTTLE_MS - 1,
    commands: [],
    same: true,
  },
  {
    name: "throttle: a move exactly a second after the last look is looked at",
    before: { lastInputAt: 5 * SEC, lastHeartbeatAt: 5 * SEC, pointer: { x: 10, y: 20 } },
    event: move(50, 60),
    now: 5 * SEC + INPUT_THROTTLE_MS,
    commands: [activity],
    after: { lastInputAt: 6 * SEC, pointer: { x: 50, y: 60 } },
  },
  {
    name: "a 'move' to where the pointer was (hover re-checked after a scroll or layout change): not the person",
    before: { lastInputAt: 1 * SEC, pointer: { x: 10, y: 20 } },
    event: move(10, 20),
    now: 30 * SEC,
    commands: [],
    same: true,
  },
  {
    name: "moves while the idle warning shows extend nothing: the warning wants an explicit answer",
    before: { phase: { kind: "warning", idleAt: 40 * SEC, at: 20 * SEC, startLeft: 20 } },
    event: move(10, 20),
    now: 25 * SEC,
    commands: [],
    after: { inputSinceHeartbeat: false, phase: { kind: "warning", idleAt: 40 * SEC, at: 20 * SEC, startLeft: 20 } },
  },
]);

table("pointer movement, the policy not counting it (activity.pointerMovement: false)", [
  {
    name: "a move: nothing (same state, no heartbeat)",
    before: { deadlines: MOVES_DO_NOT },
    event: move(10, 20),
    now: 30 * SEC,
    commands: [],
    same: true,
  },
  {
    name: "a click at the same moment still counts (the control)",
    before: { deadlines: MOVES_DO_NOT },
    event: { type: "input" },
    now: 30 * SEC,
    commands: [activity, heartbeat],
  },
  {
    name: "no status yet (the policy unknown): a move does not count",
    before: { deadlines: null, timerAt: null },
    event: move(10, 20),
    now: 30 * SEC,
    commands: [],
    same: true,
  },
]);

describe("pointer movement keeps a session alive only where the policy says so (a sequence)", () => {
  /** A mouse moving one pixel every 200 ms for 60 s (past the 40 s budget): what goes to the server. */
  function heartbeatsFor(deadlines: IdleState["deadlines"]): number[] {
    let s = state({ deadlines, lastHeartbeatAt: 0 });
    const sent: number[] = [];
    for (let now = 200; now <= 60 * SEC; now += 200) {
      const [next, commands] = reduce(s, move(now / 200, 5), now);
      s = next;
      if (commands.some((c) => c.type === "sync")) sent.push(now);
    }
    return sent;
  }
  it("counted: a heartbeat every 10 s (the interval for a 40 s budget), never more", () => {
    assert.deepEqual(
      heartbeatsFor(MOVES_COUNT),
      [10, 20, 30, 40, 50, 60].map((s) => s * SEC),
    );
  });
  it("not counted: none", () => {
    assert.deepEqual(heartbeatsFor(MOVES_DO_NOT), []);
  });
});

const ABSOLUTE = { kind: "absolute-warning", absoluteAt: 4 * HOUR, from: "sign-in" } as const;
const NO_IDLE_LIMIT = deadlinesAt(0, { idleExpiresAt: null, idleBudgetSeconds: null });

table("the absolute warning: Continue", [
  {
    name: "Continue: the warning closes for this deadline, the end stays armed",
    before: { deadlines: NO_IDLE_LIMIT, phase: ABSOLUTE, timerAt: 4 * HOUR },
    event: { type: "absolute-dismiss" },
    now: 4 * HOUR - 50 * SEC,
    commands: [{ type: "arm", at: 4 * HOUR }],
    after: { phase: { kind: "active" }, absoluteDismissed: T0 + 4 * HOUR },
  },
  {
    name: "closed for this deadline: a later timer before the end does not open it again",
    before: { deadlines: NO_IDLE_LIMIT, absoluteDismissed: T0 + 4 * HOUR, timerAt: 4 * HOUR - 30 * SEC },
    event: { type: "timer" },
    now: 4 * HOUR - 30 * SEC,
    commands: [{ type: "arm", at: 4 * HOUR }],
    after: { phase: { kind: "active" } },
  },
  {
    name: "a new deadline (signed in again, last-authentication): its own warning opens",
    before: {
      deadlines: deadlinesAt(0, { idleExpiresAt: null, idleBudgetSeconds: null, absoluteFrom: "last-authentication" }),
      absoluteDismissed: T0 + 3 * HOUR,
      timerAt: 4 * HOUR - 60 * SEC,
    },
    event: { type: "timer" },
    now: 4 * HOUR - 60 * SEC,
    commands: [{ type: "arm", at: 4 * HOUR }],
    after: { phase: { kind: "absolute-warning", absoluteAt: 4 * HOUR, from: "last-authentication" } },
  },
  {
    name: "at the deadline itself the tab asks the server, which ends the session",
    before: { deadlines: NO_IDLE_LIMIT, absoluteDismissed: T0 + 4 * HOUR, timerAt: 4 * HOUR },
    event: { type: "timer" },
    now: 4 * HOUR,
    commands: [{ type: "sync", kind: "poll", after: "none", paths: ["/dashboard"] }],
  },
  {
    name: "Continue without the absolute warning open: nothing",
    event: { type: "absolute-dismiss" },
    now: 5 * SEC,
    commands: [],
    same: true,
  },
]);
