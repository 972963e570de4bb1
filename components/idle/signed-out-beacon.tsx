"use client";
import { useEffect } from "react";
import { openTabBus } from "@/lib/client/tab-bus";

/**
 * On /signed-out: tells every other open tab of the app that the session is over, so they leave protected
 * content at once (a sign-out found by the gate on a navigation in this tab, too).
 */
export function SignedOutBeacon({ url }: { url: string }) {
  useEffect(() => {
    const bus = openTabBus(() => undefined);
    bus.post({ type: "signed-out", tab: "signed-out-page", url });
    bus.close();
  }, [url]);
  return null;
}
