/**
 * The shell around the idle state machine (lib/client/idle-machine.ts, where the rules are, with their tests).
 * It owns what the machine may not touch: the one timer, the lease interval, fetch, the tab bus, the page's
 * listeners and the navigation away. It turns each browser happening into an event, feeds it to `reduce` with
 * performance.now(), and carries out the commands it gets back. It decides nothing itself.
 * One per tab (idle-session-provider.tsx creates it once); a client navigation is `setPath`.
 */
import { initialState, reduce, type Command, type IdleEvent, type IdleState } from "@/lib/client/idle-machine";
import type { Phase } from "@/lib/client/idle-types";
import { openTabBus, type TabBus } from "@/lib/client/tab-bus";
import { reportWarning, syncSession } from "./session-api";

export type { Phase };

/** What the page shows: the phase and the area whose budget governs ("normal pages", "Billing"...). */
export type OnView = (phase: Phase, area: string | undefined) => void;

// `input` too: typing by IME, dictation or autofill may send no keydown. Pointer movement is its own event
// (`pointermove` below): whether it counts is the policy's choice, made in the machine (lib/client/idle-input.ts).
export const ACTIVITY_EVENTS = ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"] as const;

type Listener = [EventTarget, string, EventListener];
const visible = () => document.visibilityState === "visible";
const persisted = (e: Event) => (e as PageTransitionEvent).persisted;

export class IdleController {
  private state: IdleState;
  private bus: TabBus | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private leaseTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    path: string,
    private readonly onView: OnView,
  ) {
    this.state = initialState(Math.random().toString(36).slice(2), path, visible());
  }

  /** Every listener the shell adds, so start() and stop() cannot drift apart. */
  private readonly listeners: Listener[] = [
    ...ACTIVITY_EVENTS.map((type): Listener => [window, type, () => this.send({ type: "input" })]),
    [
      window,
      "pointermove",
      (e) => this.send({ type: "move", x: (e as PointerEvent).clientX, y: (e as PointerEvent).clientY }),
    ],
    [document, "visibilitychange", () => this.send({ type: "visibility", visible: visible() })],
    [window, "pageshow", (e) => this.send({ type: "pageshow", persisted: persisted(e), visible: visible() })],
    [window, "online", () => this.send({ type: "wake", visible: visible() })],
    [window, "pagehide", () => this.send({ type: "hide" })],
    // Page Lifecycle (Chrome, mobile): a frozen tab runs no timers; on resume it asks the server first.
    [document, "freeze", () => this.send({ type: "hide" })],
    [document, "resume", () => this.send({ type: "wake", visible: visible() })],
  ];

  start(): void {
    this.bus = openTabBus((message) => this.send({ type: "message", message }));
    const options = { passive: true, capture: true };
    for (const [target, type, fn] of this.listeners) target.addEventListener(type, fn, options);
    void this.send({ type: "start" });
  }

  stop(): void {
    void this.send({ type: "stop" });
    for (const [target, type, fn] of this.listeners) target.removeEventListener(type, fn, { capture: true });
    this.bus?.close();
  }

  setPath(path: string): void {
    void this.send({ type: "path", path });
  }

  /** "I'm here, keep me signed in": resolves once the server has answered. */
  stillHere(): Promise<void> {
    return this.send({ type: "still-here" });
  }

  /** "Continue" on the absolute warning: closed; the session still ends at its deadline. */
  dismissAbsoluteWarning(): void {
    void this.send({ type: "absolute-dismiss" });
  }

  /** A sign-out was submitted in this tab: its redirect, not a "leave" answer, takes the tab away. */
  signingOut(): void {
    void this.send({ type: "signing-out" });
  }

  /** Keeps the session alive while `work` runs (uploads, long exports), still bounded by the absolute lifetime. */
  async lease<T>(work: Promise<T>): Promise<T> {
    void this.send({ type: "lease-start" });
    try {
      return await work;
    } finally {
      void this.send({ type: "lease-end" });
    }
  }

  /** One event through the machine; resolves when the requests it started have been answered. */
  private send(event: IdleEvent): Promise<void> {
    const before = this.state;
    const [next, commands] = reduce(before, event, performance.now());
    if (next === before && commands.length === 0) return Promise.resolve(); // e.g. a throttled pointermove
    this.state = next;
    const area = next.deadlines?.area;
    if (next.phase !== before.phase || area !== before.deadlines?.area) this.onView(next.phase, area);
    return Promise.all(commands.map((c) => this.run(c))).then(() => undefined);
  }

  private async run(c: Command): Promise<void> {
    switch (c.type) {
      case "sync": {
        // syncSession never throws and gives up after SYNC_TIMEOUT_MS ("retry"): every answer comes back.
        const sentAt = performance.now();
        const answer = await syncSession(c.kind, c.paths);
        return void this.send({ type: "answer", kind: c.kind, after: c.after, sentAt, answer });
      }
      case "arm":
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.send({ type: "timer" }), Math.max(0, c.at - performance.now()));
        return;
      case "disarm":
        return clearTimeout(this.timer);
      case "lease-ticks":
        clearInterval(this.leaseTimer);
        if (c.every !== null) this.leaseTimer = setInterval(() => this.send({ type: "lease-tick" }), c.every);
        return;
      case "post":
        return this.bus?.post(c.message);
      case "report":
        return reportWarning(c.event, c.path, c.area, c.secondsLeft);
      case "leave":
        return window.location.replace(c.url);
    }
  }
}
