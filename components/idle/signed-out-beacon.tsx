"use client";
import { useEffect } from "react";
import { openTabBus } from "@/lib/client/tab-bus";

/**
 * On /signed-out: tells every other open tab of the app that the session may be over, so they leave
 * protected content at once (a sign-out found by the gate on a navigation in this tab, too).
 * IMPORTANT: anyone can link to this page, so the message is only a hint: each tab asks the server and
 * leaves only if the session really ended (IdleController.confirmSignOut).
 */
export function SignedOutBeacon({ url }: { url: string }) {
  useEffect(() => {
    const bus = openTabBus(() => undefined);
    bus.post({ type: "signed-out", tab: "signed-out-page", url });
    bus.close();
  }, [url]);
  return null;
}
