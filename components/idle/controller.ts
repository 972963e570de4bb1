/**
 * The browser half of idle sign-out, kept out of React so it can be read top to bottom.
 *
 * - Deadlines are the server's (GET /api/session), placed on the monotonic clock (lib/client/deadlines.ts).
 * - No ticking while far from a deadline: one timer to the next point (warning, absolute warning, end);
 *   one-second ticks only while the warning shows.
 * - Activity (pointer, key, input, wheel, scroll, touch; passive, throttled) sends a heartbeat at most once per
 *   heartbeat interval (≤ 30 s). Status polls are never activity (the server agrees).
 * - Every tab in step through the tab bus: activity, new deadlines, "I'm here" and sign-outs. A sign-out
 *   heard on the bus is only a reason to ask the server: a plain link to /signed-out (its page announces
 *   on the bus) must not take a live session's tabs off their pages.
 * - Before showing the warning it asks the server (another tab may have moved the deadline); at the deadline
 *   it asks again, and the server ends the session (revocation in Kratos, audit) and names the page to show.
 * - Waking up (visible, bfcache restore, online, a timer that fired late: sleep) re-checks with the server
 *   before showing anything.
 */
import { heartbeatInterval, msToNextTick, secondsLeft, toDeadlines, type Deadlines, type SessionStatus } from "@/lib/client/deadlines";
import { leaveUrl } from "@/lib/client/leave-url";
import { openTabBus, type TabBus, type TabMessage } from "@/lib/client/tab-bus";
import { reportWarning, syncSession, type SyncKind } from "./session-api";

export type Phase =
  | { kind: "active" }
  /** `at`: when this tick was taken (monotonic); `startLeft`: seconds left when the warning opened */
  | { kind: "warning"; idleAt: number; at: number; startLeft: number }
  | { kind: "absolute-warning"; absoluteAt: number };

export interface ControllerOptions {
  path: string;
  onPhase: (phase: Phase, deadlines: Deadlines | null) => void;
}

// `input` too: typing by IME, dictation or autofill may send no keydown.
const ACTIVITY_EVENTS = ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"] as const;
const LATE_MS = 2_000;

export class IdleController {
  private readonly tab = Math.random().toString(36).slice(2);
  private bus: TabBus | undefined;
  private deadlines: Deadlines | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDueAt = 0;
  private phase: Phase = { kind: "active" };
  private lastHeartbeatAt = Number.NEGATIVE_INFINITY;
  private lastActivitySeen = 0;
  private activitySinceHeartbeat = false;
  private leases = 0;
  private leaseTimer: ReturnType<typeof setInterval> | undefined;
  private readonly paths = new Map<string, string>();
  private stopped = false;
  private leaving = false;
  private confirmingSignOut = false;

  constructor(private readonly options: ControllerOptions) {}

  /** Every listener the controller adds, so start() and stop() cannot drift apart. */
  private listeners(): [EventTarget, string, EventListener][] {
    const activity = ACTIVITY_EVENTS.map((type): [EventTarget, string, EventListener] => [window, type, this.onActivity]);
    return [
      ...activity,
      [document, "visibilitychange", this.onWake],
      [window, "pageshow", this.onPageShow as EventListener],
      [window, "online", this.onWake],
      [window, "pagehide", this.onPageHide],
      // Page Lifecycle (Chrome, mobile): a frozen tab runs no timers; on resume it asks the server first.
      [document, "freeze", this.onPageHide],
      [document, "resume", this.onWake],
    ];
  }

  start(): void {
    this.paths.set(this.tab, this.options.path);
    this.bus = openTabBus((m) => this.onMessage(m));
    this.bus.post({ type: "path", tab: this.tab, path: this.options.path });
    for (const [target, type, fn] of this.listeners()) target.addEventListener(type, fn, { passive: true, capture: true });
    void this.sync("poll");
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.leaseTimer);
    for (const [target, type, fn] of this.listeners()) target.removeEventListener(type, fn, { capture: true });
    this.bus?.post({ type: "closed", tab: this.tab });
    this.bus?.close();
  }

  /** "I'm here, keep me signed in": the server sets the new deadline; every tab closes its warning. */
  async stillHere(): Promise<void> {
    if (this.phase.kind === "warning") this.report("warning_answered", secondsLeft(this.phase.idleAt, performance.now()));
    const status = await this.sync("still-here");
    if (status) this.bus?.post({ type: "extended", tab: this.tab, status });
  }

  /** Keeps the session alive while `work` runs (uploads, long exports), still bounded by the absolute lifetime. */
  async lease<T>(work: Promise<T>): Promise<T> {
    this.leases += 1;
    if (this.leases === 1) {
      void this.sync("lease");
      const every = heartbeatInterval(this.deadlines?.budgetSeconds ?? null, this.deadlines?.warningSeconds ?? 20);
      this.leaseTimer = setInterval(() => void this.sync("lease"), every);
    }
    try {
      return await work;
    } finally {
      this.leases -= 1;
      if (this.leases === 0) {
        clearInterval(this.leaseTimer);
        this.leaseTimer = undefined;
        // Idle counting resumes from the end of the work.
        void this.sync("heartbeat");
      }
    }
  }

  // ---- server -----------------------------------------------------------------------------------

  /** `hint`: where another tab said to go; used only if the server says the session is over (leaveUrl). */
  private async sync(kind: SyncKind, hint?: string): Promise<SessionStatus | null> {
    if (this.stopped || this.leaving) return null;
    const sentAt = performance.now();
    // syncSession never throws and gives up on a request after SYNC_TIMEOUT_MS ("retry"): every path here
    // ends in a timer armed again, so a tab can never stop asking (see onTimer).
    const answer = await syncSession(kind, [...this.paths.values()]);
    if (this.stopped) return null;
    if (kind !== "poll") {
      this.lastHeartbeatAt = sentAt;
      this.activitySinceHeartbeat = false;
    }
    if (answer.kind === "leave") {
      this.leave(hint === undefined ? answer.url : leaveUrl(answer.url, hint));
      return null;
    }
    if (answer.kind === "retry") {
      this.retryLater(); // never a sign-out by itself; the server decides when it can be asked
      return null;
    }
    this.apply(answer.status, sentAt, performance.now());
    if (kind !== "poll") this.bus?.post({ type: "status", tab: this.tab, status: answer.status });
    return answer.status;
  }

  private apply(status: SessionStatus, sentAt: number, receivedAt: number): void {
    this.deadlines = toDeadlines(status, sentAt, receivedAt);
    const now = performance.now();
    if (this.phase.kind === "warning" && (this.deadlines.warnAt === null || now < this.deadlines.warnAt)) this.setPhase({ kind: "active" });
    this.schedule();
  }

  private retryLater(): void {
    this.arm(performance.now() + 5_000);
  }

  private leave(url: string): void {
    if (this.leaving) return;
    this.leaving = true;
    clearTimeout(this.timer);
    this.bus?.post({ type: "signed-out", tab: this.tab, url });
    window.location.replace(url);
  }

  /** For the admins' friction insights; never activity. One row per warning, not per tab. */
  private report(type: "warning_shown" | "warning_answered", left: number): void {
    if (type === "warning_shown" && document.visibilityState !== "visible") return;
    reportWarning(type, this.options.path, this.deadlines?.area ?? "normal pages", left);
  }

  // ---- timers -----------------------------------------------------------------------------------

  private schedule(): void {
    const d = this.deadlines;
    if (!d || this.stopped) return;
    const now = performance.now();
    if (this.phase.kind === "warning") return this.arm(now + msToNextTick(d.idleAt ?? now, now));
    const points = [d.warnAt, d.absoluteWarnAt, d.absoluteAt, d.idleAt].filter((p): p is number => p !== null && p > now);
    this.arm(points.length ? Math.min(...points) : now + 1_000);
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerDueAt = at;
    this.timer = setTimeout(this.onTimer, Math.max(0, at - performance.now()));
  }

  private readonly onTimer = (): void => {
    const d = this.deadlines;
    const now = performance.now();
    const late = now - this.timerDueAt > LATE_MS;
    if (!d || late) return void this.sync("poll"); // woke from sleep (or a throttled tab): ask first
    if (now >= d.absoluteAt || (d.idleAt !== null && now >= d.idleAt)) return void this.sync("poll"); // the server ends it
    if (this.phase.kind === "warning") {
      this.options.onPhase({ ...this.phase, at: now }, d); // a new object: the dialog re-renders its countdown
      return this.schedule();
    }
    if (d.warnAt !== null && now >= d.warnAt) {
      // Until the answer comes, the next point (the deadline itself) stays armed.
      this.schedule();
      if (this.activitySinceHeartbeat || this.leases > 0) return void this.sync("heartbeat");
      // Another tab may have moved the deadline: ask the server before warning.
      return void this.sync("poll").then((status) => {
        const left = status ? this.openWarning(0) : null;
        if (!status || left === null) return;
        this.report("warning_shown", left);
        // Every other tab warns too, on this answer: tabs stay in step even where one's timer runs late.
        this.bus?.post({ type: "warning", tab: this.tab, status });
      });
    }
    if (now >= d.absoluteWarnAt && this.phase.kind === "active") this.setPhase({ kind: "absolute-warning", absoluteAt: d.absoluteAt });
    this.schedule();
  };

  /** Opens the warning if the deadlines say it is due (within `toleranceMs`): the seconds left, or null. */
  private openWarning(toleranceMs: number): number | null {
    const d = this.deadlines;
    const at = performance.now();
    if (this.phase.kind === "warning" || this.stopped || this.leaving || !d || d.warnAt === null || d.idleAt === null || at < d.warnAt - toleranceMs) return null;
    const left = secondsLeft(d.idleAt, at);
    this.setPhase({ kind: "warning", idleAt: d.idleAt, at, startLeft: left });
    this.schedule();
    return left;
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    this.options.onPhase(phase, this.deadlines);
  }

  // ---- events -----------------------------------------------------------------------------------

  private readonly onActivity = (): void => {
    const now = performance.now();
    if (now - this.lastActivitySeen < 1_000) return; // throttle: at most one look per second
    this.lastActivitySeen = now;
    if (this.phase.kind === "warning" || this.leaving) return; // the warning wants an explicit answer
    this.activitySinceHeartbeat = true;
    this.bus?.post({ type: "activity", tab: this.tab });
    const every = heartbeatInterval(this.deadlines?.budgetSeconds ?? null, this.deadlines?.warningSeconds ?? 20);
    if (now - this.lastHeartbeatAt >= every) void this.sync("heartbeat");
  };

  private readonly onWake = (): void => {
    if (document.visibilityState !== "visible") return;
    this.bus?.post({ type: "path", tab: this.tab, path: this.options.path });
    // Ask first; within the deadline, coming back counts as activity (the server decides either way).
    void this.sync("poll").then((status) => {
      if (status) void this.sync("heartbeat");
    });
  };

  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) this.onWake();
  };

  private readonly onPageHide = (): void => {
    this.bus?.post({ type: "closed", tab: this.tab });
  };

  /** "Signed out" from the bus: leave only if the server agrees ("retry" is no proof); one question at a time. */
  private async confirmSignOut(hint: string): Promise<void> {
    if (this.confirmingSignOut) return;
    this.confirmingSignOut = true;
    try {
      await this.sync("poll", hint);
    } finally {
      this.confirmingSignOut = false;
    }
  }

  private onMessage(m: TabMessage): void {
    if (m.tab === this.tab || this.stopped) return;
    const now = performance.now();
    switch (m.type) {
      case "activity":
        this.lastActivitySeen = now;
        break;
      case "status":
      case "extended":
        this.apply(m.status, now, now);
        if (m.type === "extended" && this.phase.kind === "warning") this.setPhase({ kind: "active" });
        break;
      case "signed-out":
        void this.confirmSignOut(m.url);
        break;
      case "path":
        // A tab we did not know: tell it where we are, so both report the strictest page.
        if (!this.paths.has(m.tab)) this.bus?.post({ type: "path", tab: this.tab, path: this.options.path });
        this.paths.set(m.tab, m.path);
        break;
      case "closed":
        this.paths.delete(m.tab);
        break;
      case "warning":
        // Another tab just asked the server and warns: so does this one (reported once, by that tab).
        this.apply(m.status, now, now);
        this.openWarning(1_000);
        break;
    }
  }
}
