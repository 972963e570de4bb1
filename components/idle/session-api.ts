/**
 * The browser's calls to the app's session endpoints, and how their answers read. No state, no timers:
 * the IdleController (controller.ts) decides what to do with them.
 */
import type { SessionStatus } from "@/lib/client/deadlines";

export type SyncKind = "poll" | "heartbeat" | "still-here" | "lease";

export type SyncAnswer =
  | { kind: "status"; status: SessionStatus }
  /** the server ended the session (or wants a sign-in): go here */
  | { kind: "leave"; url: string }
  /** offline, 5xx, 503 from a Kratos outage: never a sign-out by itself; ask again later */
  | { kind: "retry" };

/** GET /api/session (a poll: never activity) or POST /api/session/activity (heartbeat, "still here", lease). */
export async function syncSession(kind: SyncKind, paths: readonly string[]): Promise<SyncAnswer> {
  let response: Response;
  try {
    response =
      kind === "poll"
        ? await fetch("/api/session", { cache: "no-store", credentials: "same-origin" })
        : await fetch("/api/session/activity", {
            method: "POST",
            cache: "no-store",
            credentials: "same-origin",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ reason: kind, paths: [...new Set(paths)].slice(0, 20) }),
          });
  } catch {
    return { kind: "retry" };
  }
  if (response.status === 401) {
    const body = (await response.json().catch(() => ({}))) as { signedOut?: string; login?: string; reason?: string };
    return { kind: "leave", url: body.signedOut ?? body.login ?? `/signed-out?reason=${body.reason ?? "revoked"}` };
  }
  if (!response.ok) return { kind: "retry" };
  return { kind: "status", status: (await response.json()) as SessionStatus };
}

/** POST /api/session/events: "warning shown/answered" for the admins' friction insights; fire and forget. */
export function reportWarning(type: "warning_shown" | "warning_answered", path: string, area: string, secondsLeft: number): void {
  void fetch("/api/session/events", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type, path, area, secondsLeft }),
  }).catch(() => undefined);
}
