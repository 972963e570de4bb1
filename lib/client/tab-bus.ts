/**
 * One message bus across this browser's tabs of the app: BroadcastChannel, with a localStorage `storage`
 * event fallback where BroadcastChannel is missing. Messages carry no secrets (times, paths, URLs of our own).
 */
export type TabMessage =
  | { type: "activity"; tab: string }
  | { type: "status"; tab: string; status: import("./deadlines").SessionStatus }
  | { type: "warning"; tab: string; status: import("./deadlines").SessionStatus }
  | { type: "extended"; tab: string; status: import("./deadlines").SessionStatus }
  | { type: "signed-out"; tab: string; url: string }
  | { type: "path"; tab: string; path: string }
  | { type: "closed"; tab: string };

const CHANNEL = "idle-session-v1";

export interface TabBus {
  post: (message: TabMessage) => void;
  close: () => void;
}

export function openTabBus(onMessage: (message: TabMessage) => void): TabBus {
  if (typeof BroadcastChannel !== "undefined") {
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data);
    return { post: (m) => channel.postMessage(m), close: () => channel.close() };
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key !== CHANNEL || !event.newValue) return;
    try {
      onMessage((JSON.parse(event.newValue) as { m: TabMessage }).m);
    } catch {
      // not ours
    }
  };
  window.addEventListener("storage", onStorage);
  return {
    // The nonce makes every write a change, so repeated identical messages still fire `storage`.
    post: (m) => localStorage.setItem(CHANNEL, JSON.stringify({ m, n: Math.random() })),
    close: () => window.removeEventListener("storage", onStorage),
  };
}
