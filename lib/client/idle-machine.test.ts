/**
 * Table tests for the idle state machine (lib/client/idle-machine.ts): one row per event and situation, with
 * the state before, the event, the time, and the exact commands and state fields after. Pure: no DOM, no timers.
 * Times are performance.now() readings; the status fixture is the test run's policy (40 s idle, 20 s warning).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toDeadlines, type SessionStatus } from "./deadlines";
import { initialState, reduce, type Command, type IdleEvent, type IdleState, type SyncAnswer } from "./idle-machine";
import type { TabMessage } from "./tab-bus";
import { HOUR, SEC, T0, status } from "./test-fixtures";

const ME = "me";
const OTHER = "other";

/** That status received at `at` with no round trip: idle at `at` + 40 s, warning at `at` + 20 s. */
const deadlinesAt = (at: number, overrides: Partial<SessionStatus> = {}) => toDeadlines(status(overrides), at, at);
const D0 = deadlinesAt(0);
const NO_IDLE_LIMIT = deadlinesAt(0, { idleExpiresAt: null, idleBudgetSeconds: null });
const WARNING = { kind: "warning", idleAt: 40 * SEC, at: 20 * SEC, startLeft: 20 } as const;

/** A tab on /dashboard that last heard the server at 0: the timer armed for the warning point. */
function state(overrides: Partial<IdleState> = {}): IdleState {
  return { ...initialState(ME, "/dashboard", true), deadlines: D0, timerAt: 20 * SEC, ...overrides };
}

const sync = (kind: "poll" | "heartbeat" | "still-here" | "lease", after = "none", paths = ["/dashboard"]): Command =>
  ({ type: "sync", kind, after, paths }) as Command;
const arm = (at: number): Command => ({ type: "arm", at });
const post = (message: TabMessage): Command => ({ type: "post", message });
const answer = (kind: "poll" | "heartbeat" | "still-here", after: string, sentAt: number, a: SyncAnswer): IdleEvent =>
  ({ type: "answer", kind, after, sentAt, answer: a }) as IdleEvent;
const ok = (overrides: Partial<SessionStatus> = {}): SyncAnswer => ({ kind: "status", status: status(overrides) });
const message = (m: TabMessage): IdleEvent => ({ type: "message", message: m });

interface Row {
  name: string;
  before?: Partial<IdleState>;
  event: IdleEvent;
  now: number;
  commands: Command[];
  after?: Partial<IdleState>;
}

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    for (const row of rows) {
      it(row.name, () => {
        const [next, commands] = reduce(state(row.before), row.event, row.now);
        assert.deepEqual(commands, row.commands);
        for (const [key, value] of Object.entries(row.after ?? {})) {
          assert.deepEqual(next[key as keyof IdleState], value, key);
        }
      });
    }
  });
}

table("start and client navigation (one machine per tab)", [
  {
    name: "start: tells the other tabs this tab's page and asks the server",
    before: { deadlines: null, timerAt: null },
    event: { type: "start" },
    now: 100,
    commands: [post({ type: "path", tab: ME, path: "/dashboard" }), sync("poll")],
  },
  {
    name: "a client navigation: the same tab id, the new page on the bus, a poll for its budget",
    event: { type: "path", path: "/billing" },
    now: 5 * SEC,
    commands: [post({ type: "path", tab: ME, path: "/billing" }), sync("poll", "none", ["/billing"])],
    after: { tab: ME, path: "/billing", paths: { [ME]: "/billing" } },
  },
  {
    name: "the same path again (the provider's first effect): nothing",
    event: { type: "path", path: "/dashboard" },
    now: 5 * SEC,
    commands: [],
  },
]);

table("input", [
  {
    name: "input, no heartbeat for an interval: activity on the bus and a heartbeat",
    event: { type: "input" },
    now: 5 * SEC,
    commands: [post({ type: "activity", tab: ME }), sync("heartbeat")],
    after: { lastInputAt: 5 * SEC, lastHeartbeatAt: 5 * SEC, inputSinceHeartbeat: false },
  },
  {
    name: "input within the heartbeat interval (10 s for a 40 s budget): activity on the bus only",
    before: { lastHeartbeatAt: 1 * SEC },
    event: { type: "input" },
    now: 10 * SEC,
    commands: [post({ type: "activity", tab: ME })],
    after: { lastInputAt: 10 * SEC, lastHeartbeatAt: 1 * SEC, inputSinceHeartbeat: true },
  },
  {
    name: "input once the interval has passed: a heartbeat",
    before: { lastHeartbeatAt: 1 * SEC },
    event: { type: "input" },
    now: 11 * SEC,
    commands: [post({ type: "activity", tab: ME }), sync("heartbeat")],
  },
  {
    name: "Billing's 25 s budget: heartbeats every 2.5 s",
    before: { lastHeartbeatAt: 1 * SEC, deadlines: deadlinesAt(0, { idleBudgetSeconds: 25, area: "Billing" }) },
    event: { type: "input" },
    now: 3_500,
    commands: [post({ type: "activity", tab: ME }), sync("heartbeat")],
  },
  {
    name: "no deadlines yet: heartbeats every 30 s at most",
    before: { lastHeartbeatAt: 1 * SEC, deadlines: null },
    event: { type: "input" },
    now: 30 * SEC,
    commands: [post({ type: "activity", tab: ME })],
  },
  {
    name: "input within a second of the last look: throttled",
    before: { lastInputAt: 4_500 },
    event: { type: "input" },
    now: 5 * SEC,
    commands: [],
    after: { lastInputAt: 4_500 },
  },
  {
    name: "input while the warning shows: not activity (the warning wants an explicit answer)",
    before: { phase: WARNING },
    event: { type: "input" },
    now: 25 * SEC,
    commands: [],
    after: { lastInputAt: 25 * SEC, inputSinceHeartbeat: false, phase: WARNING },
  },
  {
    name: "input while leaving: nothing is sent",
    before: { leaving: true },
    event: { type: "input" },
    now: 25 * SEC,
    commands: [],
  },
  {
    name: "a heartbeat names every open tab's page (the server governs by the strictest)",
    before: { paths: { [ME]: "/dashboard", [OTHER]: "/billing" } },
    event: { type: "input" },
    now: 5 * SEC,
    commands: [post({ type: "activity", tab: ME }), sync("heartbeat", "none", ["/dashboard", "/billing"])],
  },
]);

table("timer", [
  {
    name: "at the warning point, no input since the heartbeat: ask the server first; the deadline stays armed",
    event: { type: "timer" },
    now: 20 * SEC,
    commands: [arm(40 * SEC), sync("poll", "warn")],
    after: { timerAt: 40 * SEC, phase: { kind: "active" } },
  },
  {
    name: "at the warning point after input here or in a tab: a heartbeat instead of a warning",
    before: { inputSinceHeartbeat: true },
    event: { type: "timer" },
    now: 20 * SEC,
    commands: [arm(40 * SEC), sync("heartbeat")],
    after: { inputSinceHeartbeat: false, lastHeartbeatAt: 20 * SEC },
  },
  {
    name: "at the warning point during a lease: a heartbeat",
    before: { leases: 1 },
    event: { type: "timer" },
    now: 20 * SEC,
    commands: [arm(40 * SEC), sync("heartbeat")],
  },
  {
    name: "a late timer (the device slept): ask the server before anything, arm nothing",
    event: { type: "timer" },
    now: 22_001,
    commands: [sync("poll")],
    after: { timerAt: null, phase: { kind: "active" } },
  },
  {
    name: "a timer up to 2 s late is not sleep",
    event: { type: "timer" },
    now: 22 * SEC,
    commands: [arm(40 * SEC), sync("poll", "warn")],
  },
  {
    name: "no deadlines yet (the first poll failed): ask again",
    before: { deadlines: null, timerAt: 5 * SEC },
    event: { type: "timer" },
    now: 5 * SEC,
    commands: [sync("poll")],
  },
  {
    name: "at the idle deadline: ask the server, which ends the session and names the page",
    before: { timerAt: 40 * SEC, phase: WARNING },
    event: { type: "timer" },
    now: 40 * SEC,
    commands: [sync("poll")],
  },
  {
    name: "at the absolute deadline: ask the server",
    before: { deadlines: NO_IDLE_LIMIT, timerAt: 4 * HOUR },
    event: { type: "timer" },
    now: 4 * HOUR,
    commands: [sync("poll")],
  },
  {
    name: "a countdown tick while warning: the tick's time for the dialog, the next tick on the second",
    before: { phase: WARNING, timerAt: 25_000 },
    event: { type: "timer" },
    now: 25_300,
    commands: [arm(26 * SEC)],
    after: { phase: { ...WARNING, at: 25_300 }, timerAt: 26 * SEC },
  },
  {
    name: "at the absolute warning point: the absolute warning opens; the end stays armed",
    before: { deadlines: NO_IDLE_LIMIT, timerAt: 4 * HOUR - 60 * SEC },
    event: { type: "timer" },
    now: 4 * HOUR - 60 * SEC,
    commands: [arm(4 * HOUR)],
    after: { phase: { kind: "absolute-warning", absoluteAt: 4 * HOUR, from: "sign-in" } },
  },
  {
    name: "a timer before any point (moved deadlines): armed again for the next point",
    before: { timerAt: 10 * SEC },
    event: { type: "timer" },
    now: 10 * SEC,
    commands: [arm(20 * SEC)],
  },
]);

const IDLE_URL = "/signed-out?reason=idle&area=%2Fbilling";
const leaveCommands = (url: string): Command[] => [
  { type: "disarm" },
  post({ type: "signed-out", tab: ME, url }),
  { type: "leave", url },
];

table("answers from the server", [
  {
    name: "a poll answer: new deadlines, the timer armed for the warning point, nothing posted",
    event: answer("poll", "none", 1 * SEC, ok()),
    now: 1 * SEC,
    commands: [arm(21 * SEC)],
    after: { deadlines: deadlinesAt(1 * SEC), timerAt: 21 * SEC },
  },
  {
    name: "the round trip is measured: half of it counts as spent",
    event: answer("poll", "none", 1 * SEC, ok()),
    now: 1_400,
    commands: [arm(21_200)],
  },
  {
    name: "a heartbeat answer: the new deadlines go to the other tabs too",
    event: answer("heartbeat", "none", 1 * SEC, ok()),
    now: 1 * SEC,
    commands: [arm(21 * SEC), post({ type: "status", tab: ME, status: status() })],
  },
  {
    name: '"I\'m here" answered: the warning closes here and in every tab (status, then extended)',
    before: { phase: WARNING },
    event: answer("still-here", "still-here", 27 * SEC, ok()),
    now: 27 * SEC,
    commands: [
      arm(47 * SEC),
      post({ type: "status", tab: ME, status: status() }),
      post({ type: "extended", tab: ME, status: status() }),
    ],
    after: { phase: { kind: "active" } },
  },
  {
    name: "an answer whose deadline still calls for the warning keeps it open, ticking",
    before: { phase: WARNING },
    event: answer("poll", "none", 25 * SEC, ok({ idleExpiresAt: T0 + 15 * SEC })),
    now: 25 * SEC,
    commands: [arm(26 * SEC)],
    after: { phase: WARNING },
  },
  {
    name: "'leave': the timer stops, the other tabs hear it, the tab goes where the server said",
    event: answer("poll", "none", 30 * SEC, { kind: "leave", url: IDLE_URL }),
    now: 30 * SEC,
    commands: leaveCommands(IDLE_URL),
    after: { leaving: true, timerAt: null },
  },
  {
    name: "'retry' (offline, 5xx, timeout): asked again in 5 s, never a sign-out",
    event: answer("poll", "none", 30 * SEC, { kind: "retry" }),
    now: 38 * SEC,
    commands: [arm(43 * SEC)],
    after: { timerAt: 43 * SEC, leaving: false },
  },
  {
    name: "an answer arriving after leaving: ignored",
    before: { leaving: true },
    event: answer("poll", "none", 30 * SEC, ok()),
    now: 30 * SEC,
    commands: [],
  },
  {
    name: "asked before warning, still due: the warning opens, is reported once and opens in every tab",
    before: { timerAt: 40 * SEC },
    event: answer("poll", "warn", 20 * SEC, ok({ idleExpiresAt: T0 + 19_900 })),
    now: 20_100,
    commands: [
      arm(20_950),
      { type: "report", event: "warning_shown", path: "/dashboard", area: "normal pages", secondsLeft: 20 },
      post({ type: "warning", tab: ME, status: status({ idleExpiresAt: T0 + 19_900 }) }),
    ],
    after: { phase: { kind: "warning", idleAt: 39_950, at: 20_100, startLeft: 20 } },
  },
  {
    name: "the same in a hidden tab: the warning opens but is not reported (nobody saw it)",
    before: { timerAt: 40 * SEC, visible: false },
    event: answer("poll", "warn", 20 * SEC, ok({ idleExpiresAt: T0 + 19_900 })),
    now: 20_100,
    commands: [arm(20_950), post({ type: "warning", tab: ME, status: status({ idleExpiresAt: T0 + 19_900 }) })],
  },
  {
    name: "asked before warning, another tab had moved the deadline: no warning",
    event: answer("poll", "warn", 20 * SEC, ok()),
    now: 20 * SEC,
    commands: [arm(40 * SEC)],
    after: { phase: { kind: "active" } },
  },
  {
    name: "back from sleep within the deadline: coming back counts as activity (a heartbeat)",
    event: answer("poll", "wake", 5 * SEC, ok()),
    now: 5 * SEC,
    commands: [arm(25 * SEC), sync("heartbeat")],
  },
  {
    name: "back from sleep, the server unreachable: no heartbeat, asked again later",
    event: answer("poll", "wake", 5 * SEC, { kind: "retry" }),
    now: 5 * SEC,
    commands: [arm(10 * SEC)],
  },
  {
    name: "a sign-out heard on the bus, confirmed: the server's signed-out page (it knows the reason)",
    before: { confirming: "/signed-out?reason=manual" },
    event: answer("poll", "confirm", 5 * SEC, { kind: "leave", url: IDLE_URL }),
    now: 5 * SEC,
    commands: leaveCommands(IDLE_URL),
    after: { confirming: null, leaving: true },
  },
  {
    name: "confirmed, the server only says 'sign in' (cookies gone): the other tab's signed-out page",
    before: { confirming: "/signed-out?reason=manual" },
    event: answer("poll", "confirm", 5 * SEC, { kind: "leave", url: "/login?return_to=%2Fdashboard" }),
    now: 5 * SEC,
    commands: leaveCommands("/signed-out?reason=manual"),
  },
  {
    name: "not confirmed (a plain link to /signed-out): the tab stays and can be asked again",
    before: { confirming: "/signed-out?reason=manual" },
    event: answer("poll", "confirm", 5 * SEC, ok()),
    now: 5 * SEC,
    commands: [arm(25 * SEC)],
    after: { confirming: null, leaving: false },
  },
]);

table("messages from other tabs", [
  {
    name: "this tab's own message: ignored",
    event: message({ type: "activity", tab: ME }),
    now: 5 * SEC,
    commands: [],
    after: { lastInputAt: 0 },
  },
  {
    name: "activity in another tab: counts as this tab's last look (throttle), sends nothing",
    event: message({ type: "activity", tab: OTHER }),
    now: 5 * SEC,
    commands: [],
    after: { lastInputAt: 5 * SEC },
  },
  {
    name: "new deadlines from another tab: taken (received now), re-armed, not posted again",
    event: message({ type: "status", tab: OTHER, status: status() }),
    now: 5 * SEC,
    commands: [arm(25 * SEC)],
    after: { deadlines: deadlinesAt(5 * SEC) },
  },
  {
    name: 'another tab answered "I\'m here": the warning closes here',
    before: { phase: WARNING },
    event: message({ type: "extended", tab: OTHER, status: status() }),
    now: 27 * SEC,
    commands: [arm(47 * SEC)],
    after: { phase: { kind: "active" } },
  },
  {
    name: "another tab warns: so does this one, within a second of its own point (reported once, by that tab)",
    event: message({ type: "warning", tab: OTHER, status: status({ idleExpiresAt: T0 + 20_500 }) }),
    now: 20 * SEC,
    commands: [arm(20_500)],
    after: { phase: { kind: "warning", idleAt: 40_500, at: 20 * SEC, startLeft: 21 } },
  },
  {
    name: "another tab warns but this tab's warning point is further than a second: no warning",
    event: message({ type: "warning", tab: OTHER, status: status({ idleExpiresAt: T0 + 22 * SEC }) }),
    now: 20 * SEC,
    commands: [arm(22 * SEC)],
    after: { phase: { kind: "active" } },
  },
  {
    name: '"signed out" from another tab: only a reason to ask the server',
    event: message({ type: "signed-out", tab: OTHER, url: "/signed-out?reason=manual" }),
    now: 5 * SEC,
    commands: [sync("poll", "confirm")],
    after: { confirming: "/signed-out?reason=manual", leaving: false },
  },
  {
    name: '"signed out" again while asking: one question at a time',
    before: { confirming: "/signed-out?reason=manual" },
    event: message({ type: "signed-out", tab: OTHER, url: "/signed-out?reason=idle" }),
    now: 5 * SEC,
    commands: [],
    after: { confirming: "/signed-out?reason=manual" },
  },
  {
    name: "a tab not known yet: its page is recorded and this tab tells it where it is",
    event: message({ type: "path", tab: OTHER, path: "/billing" }),
    now: 5 * SEC,
    commands: [post({ type: "path", tab: ME, path: "/dashboard" })],
    after: { paths: { [ME]: "/dashboard", [OTHER]: "/billing" } },
  },
  {
    name: "a known tab navigated: its new page is recorded, no answer",
    before: { paths: { [ME]: "/dashboard", [OTHER]: "/settings" } },
    event: message({ type: "path", tab: OTHER, path: "/billing" }),
    now: 5 * SEC,
    commands: [],
    after: { paths: { [ME]: "/dashboard", [OTHER]: "/billing" } },
  },
  {
    name: "a tab closed: its page no longer counts",
    before: { paths: { [ME]: "/dashboard", [OTHER]: "/billing" } },
    event: message({ type: "closed", tab: OTHER }),
    now: 5 * SEC,
    commands: [],
    after: { paths: { [ME]: "/dashboard" } },
  },
]);

const WAKE: Command[] = [post({ type: "path", tab: ME, path: "/dashboard" }), sync("poll", "wake")];

table("visibility, pageshow, online, resume, pagehide, freeze", [
  {
    name: "visible again: this tab's page on the bus, then ask the server first",
    before: { visible: false },
    event: { type: "visibility", visible: true },
    now: 60 * SEC,
    commands: WAKE,
    after: { visible: true, phase: { kind: "active" } },
  },
  {
    name: "hidden: only noted (a warning in a hidden tab is not reported)",
    event: { type: "visibility", visible: false },
    now: 5 * SEC,
    commands: [],
    after: { visible: false },
  },
  {
    name: "pageshow from the back/forward cache: like waking up",
    event: { type: "pageshow", persisted: true, visible: true },
    now: 60 * SEC,
    commands: WAKE,
  },
  {
    name: "an ordinary pageshow (a fresh load): nothing more than the start",
    event: { type: "pageshow", persisted: false, visible: true },
    now: 100,
    commands: [],
  },
  {
    name: "online or resume while visible: ask the server first",
    event: { type: "wake", visible: true },
    now: 60 * SEC,
    commands: WAKE,
  },
  {
    name: "online or resume while hidden: nothing until visible",
    event: { type: "wake", visible: false },
    now: 60 * SEC,
    commands: [],
    after: { visible: false },
  },
  {
    name: "pagehide or freeze: the other tabs stop counting this page",
    event: { type: "hide" },
    now: 60 * SEC,
    commands: [post({ type: "closed", tab: ME })],
  },
]);

table("the warning answered, leases, stop", [
  {
    name: '"I\'m here" while warning: reported with the seconds left, then sent',
    before: { phase: WARNING },
    event: { type: "still-here" },
    now: 27_500,
    commands: [
      { type: "report", event: "warning_answered", path: "/dashboard", area: "normal pages", secondsLeft: 13 },
      sync("still-here", "still-here"),
    ],
    after: { lastHeartbeatAt: 27_500, phase: WARNING },
  },
  {
    name: '"I\'m here" with no warning open: sent, nothing reported',
    event: { type: "still-here" },
    now: 5 * SEC,
    commands: [sync("still-here", "still-here")],
  },
  {
    name: "a lease starts: a lease heartbeat now and every heartbeat interval",
    event: { type: "lease-start" },
    now: 5 * SEC,
    commands: [sync("lease"), { type: "lease-ticks", every: 10 * SEC }],
    after: { leases: 1, lastHeartbeatAt: 5 * SEC },
  },
  {
    name: "a second lease: already kept alive",
    before: { leases: 1 },
    event: { type: "lease-start" },
    now: 5 * SEC,
    commands: [],
    after: { leases: 2 },
  },
  {
    name: "a lease tick: a lease heartbeat",
    before: { leases: 1 },
    event: { type: "lease-tick" },
    now: 15 * SEC,
    commands: [sync("lease")],
  },
  {
    name: "a lease tick after the leases ended: nothing",
    event: { type: "lease-tick" },
    now: 15 * SEC,
    commands: [],
  },
  {
    name: "the last lease ends: ticks stop, and idle counting resumes from now (a heartbeat)",
    before: { leases: 1 },
    event: { type: "lease-end" },
    now: 60 * SEC,
    commands: [{ type: "lease-ticks", every: null }, sync("heartbeat")],
    after: { leases: 0 },
  },
  {
    name: "one of two leases ends: still kept alive",
    before: { leases: 2 },
    event: { type: "lease-end" },
    now: 60 * SEC,
    commands: [],
    after: { leases: 1 },
  },
  {
    name: "stop: the timer stops and the other tabs stop counting this page",
    event: { type: "stop" },
    now: 5 * SEC,
    commands: [{ type: "disarm" }, post({ type: "closed", tab: ME })],
    after: { stopped: true, timerAt: null },
  },
  {
    name: "stop during a lease: the lease ticks stop too",
    before: { leases: 1 },
    event: { type: "stop" },
    now: 5 * SEC,
    commands: [{ type: "disarm" }, post({ type: "closed", tab: ME }), { type: "lease-ticks", every: null }],
  },
  {
    name: "after stop: every event is ignored (an answer still in flight too)",
    before: { stopped: true },
    event: answer("poll", "none", 5 * SEC, { kind: "leave", url: IDLE_URL }),
    now: 5 * SEC,
    commands: [],
  },
]);

const REVOKED = "/signed-out?reason=revoked&area=%2Fdashboard";

table("a sign-out submitted in this tab", [
  {
    name: "the sign-out is submitted: the timer also wakes when the hold ends",
    event: { type: "signing-out" },
    now: 5 * SEC,
    commands: [arm(15 * SEC)],
    after: { holdLeaveUntil: 15 * SEC },
  },
  {
    name: "a heartbeat the sign-out overtook answers 'leave': no navigation (the sign-out's redirect goes)",
    before: { holdLeaveUntil: 15 * SEC, timerAt: 15 * SEC },
    event: answer("heartbeat", "none", 5 * SEC, { kind: "leave", url: REVOKED }),
    now: 5_400,
    commands: [],
    after: { leaving: false, timerAt: 15 * SEC },
  },
  {
    name: "the hold ends with the tab still here (the sign-out failed): ask the server",
    before: { holdLeaveUntil: 15 * SEC, timerAt: 15 * SEC },
    event: { type: "timer" },
    now: 15 * SEC,
    commands: [sync("poll")],
    after: { holdLeaveUntil: null },
  },
  {
    name: "a 'leave' answer once the hold is over: the tab leaves",
    before: { holdLeaveUntil: 15 * SEC },
    event: answer("poll", "none", 15 * SEC, { kind: "leave", url: REVOKED }),
    now: 15_200,
    commands: leaveCommands(REVOKED),
  },
]);

/** Runs events through the machine in order, each at its time; gives the last state and all commands. */
function run(s: IdleState, steps: [number, IdleEvent][]): [IdleState, Command[][]] {
  const all: Command[][] = [];
  for (const [now, event] of steps) {
    const [next, commands] = reduce(s, event, now);
    all.push([...commands]);
    s = next;
  }
  return [s, all];
}

describe("sequences", () => {
  it("walk away: poll, warning, a tick each second, the deadline asks, the server ends it", () => {
    const fresh = { ...initialState(ME, "/dashboard", true) };
    const [end, commands] = run(fresh, [
      [0, { type: "start" }],
      [0, answer("poll", "none", 0, ok())],
      [20 * SEC, { type: "timer" }],
      [20 * SEC, answer("poll", "warn", 20 * SEC, ok({ idleExpiresAt: T0 + 20 * SEC }))],
      [21 * SEC, { type: "timer" }],
      [40 * SEC, { type: "timer" }],
      [40 * SEC, answer("poll", "none", 40 * SEC, { kind: "leave", url: IDLE_URL })],
    ]);
    assert.deepEqual(commands[1], [arm(20 * SEC)]);
    assert.deepEqual(commands[2], [arm(40 * SEC), sync("poll", "warn")]);
    assert.equal(commands[3]?.[0]?.type, "arm");
    assert.deepEqual(commands[4], [arm(22 * SEC)]);
    assert.deepEqual(commands[5], [sync("poll")]);
    assert.deepEqual(commands[6], leaveCommands(IDLE_URL));
    assert.equal(end.leaving, true);
  });

  it("tabs in step: one tab's warning opens the other's; \"I'm here\" in the second closes both", () => {
    const a = state({ tab: "a", paths: { a: "/dashboard" } });
    const b = state({ tab: "b", paths: { b: "/billing" }, path: "/billing" });
    const due = ok({ idleExpiresAt: T0 + 20 * SEC });
    const posted = (commands: readonly Command[], type: TabMessage["type"]) => {
      const found = commands.find((c) => c.type === "post" && c.message.type === type);
      assert.ok(found?.type === "post", `no ${type} posted`);
      return message(found.message);
    };
    const [aWarned, aWarns] = reduce(a, answer("poll", "warn", 20 * SEC, due), 20 * SEC);
    assert.equal(aWarned.phase.kind, "warning");
    const [bWarned] = reduce(b, posted(aWarns, "warning"), 20_300);
    assert.equal(bWarned.phase.kind, "warning");
    const [bAnswering, sent] = reduce(bWarned, { type: "still-here" }, 25 * SEC);
    assert.deepEqual(sent.at(-1), sync("still-here", "still-here", ["/billing"]));
    const [bDone, told] = reduce(bAnswering, answer("still-here", "still-here", 25 * SEC, ok()), 25 * SEC);
    assert.deepEqual(bDone.phase, { kind: "active" });
    const [aClosed] = reduce(aWarned, posted(told, "extended"), 25 * SEC);
    assert.deepEqual(aClosed.phase, { kind: "active" });
  });

  it("never reads Date.now()", () => {
    const real = Date.now;
    Date.now = () => {
      throw new Error("Date.now() called");
    };
    try {
      run(state(), [
        [20 * SEC, { type: "timer" }],
        [20 * SEC, answer("poll", "warn", 20 * SEC, ok())],
      ]);
    } finally {
      Date.now = real;
    }
  });
});
