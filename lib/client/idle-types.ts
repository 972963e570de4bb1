/**
 * The idle state machine's vocabulary (idle-machine.ts): its state, the events the shell feeds it and the
 * commands it gives back. Plain data: every value here can be compared with deepEqual in a test.
 */
import type { Deadlines, SessionStatus } from "./deadlines";
import type { TabMessage } from "./tab-bus";

export type Phase =
  | { kind: "active" }
  /** `at`: when this tick was taken (monotonic); `startLeft`: seconds left when the warning opened */
  | { kind: "warning"; idleAt: number; at: number; startLeft: number }
  /** `from`: whether signing in again moves the deadline ("last-authentication") or not ("sign-in") */
  | { kind: "absolute-warning"; absoluteAt: number; from: "sign-in" | "last-authentication" };

/** GET /api/session ("poll": never activity) or POST /api/session/activity (the others). */
export type SyncKind = "poll" | "heartbeat" | "still-here" | "lease";

/** Why a request was sent, so its answer is followed up (idle-machine.ts: AFTER). */
export type SyncAfter = "none" | "warn" | "wake" | "still-here" | "confirm";

export type SyncAnswer =
  | { kind: "status"; status: SessionStatus }
  /** the server ended the session (or wants a sign-in): go here */
  | { kind: "leave"; url: string }
  /** offline, 5xx, 503 from a Kratos outage, a timeout: never a sign-out by itself; ask again later */
  | { kind: "retry" };

export interface IdleState {
  /** this tab's id on the bus: one per tab for its whole life, not per page */
  readonly tab: string;
  readonly path: string;
  /** every open tab's page (this one's too), sent with heartbeats: the server governs by the strictest */
  readonly paths: Readonly<Record<string, string>>;
  readonly visible: boolean;
  readonly deadlines: Deadlines | null;
  readonly phase: Phase;
  /** when the one timer is due (monotonic), null while none is armed */
  readonly timerAt: number | null;
  /** when the last heartbeat (or "still here", lease) was sent */
  readonly lastHeartbeatAt: number;
  /** when input (here or in another tab) was last looked at: the throttle */
  readonly lastInputAt: number;
  readonly inputSinceHeartbeat: boolean;
  /** where the pointer was at the last move that counted: a "move" to the same spot is not the person */
  readonly pointer: { readonly x: number; readonly y: number } | null;
  /** the absolute deadline (epoch ms) whose warning the user closed with "Continue": not shown again for it */
  readonly absoluteDismissed: number | null;
  /** long operations running (uploads): while > 0, lease heartbeats keep the session */
  readonly leases: number;
  /** a sign-out heard on the bus being checked with the server: the other tab's page, else null */
  readonly confirming: string | null;
  /**
   * Set when the user submits a sign-out in this tab: until then a "leave" answer does not navigate, so the
   * sign-out request (and its redirect to the manual sign-out page) is not aborted by the tab's own leaving.
   * At that time the tab asks the server again (a sign-out that failed leaves the tab working as before).
   */
  readonly holdLeaveUntil: number | null;
  readonly leaving: boolean;
  readonly stopped: boolean;
}

export type IdleEvent =
  | { type: "start" }
  /** a client navigation in this tab */
  | { type: "path"; path: string }
  /** pointer down, key, input, wheel, scroll or touch */
  | { type: "input" }
  /** the pointer moved over the page (clientX/Y): activity when the policy says so (policy.activity) */
  | { type: "move"; x: number; y: number }
  /** "Continue" on the absolute warning: close it, the session still ends at its deadline */
  | { type: "absolute-dismiss" }
  | { type: "timer" }
  | { type: "answer"; kind: SyncKind; after: SyncAfter; sentAt: number; answer: SyncAnswer }
  | { type: "message"; message: TabMessage }
  | { type: "visibility"; visible: boolean }
  | { type: "pageshow"; persisted: boolean; visible: boolean }
  /** `online`, or Page Lifecycle `resume` */
  | { type: "wake"; visible: boolean }
  /** `pagehide`, or Page Lifecycle `freeze` */
  | { type: "hide" }
  | { type: "still-here" }
  /** the user submitted a sign-out in this tab (sign-out-button.tsx) */
  | { type: "signing-out" }
  | { type: "lease-start" }
  | { type: "lease-end" }
  | { type: "lease-tick" }
  | { type: "stop" };

export type Command =
  | { type: "sync"; kind: SyncKind; after: SyncAfter; paths: string[] }
  /** (re)arm the one timer for this monotonic time */
  | { type: "arm"; at: number }
  | { type: "disarm" }
  /** lease heartbeats every `every` ms; null stops them */
  | { type: "lease-ticks"; every: number | null }
  | { type: "post"; message: TabMessage }
  /** for the admins' friction insights; never activity */
  | { type: "report"; event: "warning_shown" | "warning_answered"; path: string; area: string; secondsLeft: number }
  | { type: "leave"; url: string };
