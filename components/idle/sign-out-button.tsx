"use client";
import { openTabBus } from "@/lib/client/tab-bus";

/** The header's sign-out: tells every other tab first, then the server action signs out in Kratos. */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form
      action={action}
      onSubmit={() => {
        const bus = openTabBus(() => undefined);
        bus.post({ type: "signed-out", tab: "header", url: "/signed-out?reason=manual" });
        bus.close();
      }}
    >
      <button type="submit" className="secondary">
        Sign out
      </button>
    </form>
  );
}
