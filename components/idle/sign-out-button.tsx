"use client";
import { clearAllDrafts } from "@/components/forms/use-form-memory";
import { openTabBus } from "@/lib/client/tab-bus";

/** The header's sign-out: clears drafts, tells every other tab, then the server action signs out in Kratos. */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form
      action={action}
      onSubmit={() => {
        clearAllDrafts(); // drafts survive an idle sign-out, never a manual one
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
