"use client";
import { clearAllDrafts } from "@/components/forms/use-form-memory";

/**
 * The header's sign-out: clears this browser's drafts, then the server action signs out in Kratos.
 * Other tabs learn of it from the /signed-out page (SignedOutBeacon) once Kratos has really ended it.
 * IMPORTANT: do not announce it on the tab bus from here: BroadcastChannel also reaches this tab's own
 * IdleController, whose navigation would abort the sign-out request and leave the session alive.
 */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action} onSubmit={() => clearAllDrafts() /* drafts survive an idle sign-out, never a manual one */}>
      <button type="submit" className="secondary">
        Sign out
      </button>
    </form>
  );
}
