/**
 * The browser's calls to the app's session endpoints, and how their answers read. No state, no timers:
 * the idle state machine (lib/client/idle-machine.ts) decides what to do with them.
 */
import type { SyncAnswer, SyncKind } from "@/lib/client/idle-types";
import { readSessionStatus } from "@/lib/session/status";

/** A request the server has not answered by then is given up (and asked again later): never a hung tab. */
export const SYNC_TIMEOUT_MS = 8_000;

/**
 * GET /api/session (a poll: never activity) or POST /api/session/activity (heartbeat, "still here", lease).
 * Never throws: offline, a timeout, a 5xx or an answer that is not a status all read as "retry".
 */
export async function syncSession(kind: SyncKind, paths: readonly string[]): Promise<SyncAnswer> {
  try {
    const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS);
    const init: RequestInit = { cache: "no-store", credentials: "same-origin", signal };
    const response =
      kind === "poll"
        ? await fetch("/api/session", init)
        : await fetch("/api/session/activity", {
            ...init,
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ reason: kind, paths: [...new Set(paths)].slice(0, 20) }),
          });
    if (response.status === 401) {
      const body = (await response.json().catch(() => ({}))) as { signedOut?: string; login?: string; reason?: string };
      return { kind: "leave", url: body.signedOut ?? body.login ?? `/signed-out?reason=${body.reason ?? "revoked"}` };
    }
    if (!response.ok) return { kind: "retry" };
    const status = readSessionStatus(await response.json());
    return status ? { kind: "status", status } : { kind: "retry" };
  } catch {
    return { kind: "retry" };
  }
}

/** POST /api/session/events: "warning shown/answered" for the admins' friction insights; fire and forget. */
export function reportWarning(
  type: "warning_shown" | "warning_answered",
  path: string,
  area: string,
  secondsLeft: number,
): void {
  void fetch("/api/session/events", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type, path, area, secondsLeft }),
  }).catch(() => undefined);
}
