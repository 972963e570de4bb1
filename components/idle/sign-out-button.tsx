"use client";
import { useActionState, useContext } from "react";
import { clearAllDrafts } from "@/components/forms/use-form-memory";
import { IDLE_RESULT, type FormResult } from "@/lib/forms/result";
import { IdleSessionContext } from "./idle-context";

/**
 * A sign-out button (the header's, and the warning dialog's "Sign me out"): clears this browser's drafts,
 * then the server action signs out in Kratos. When Kratos could not confirm it, the action answers an
 * error instead of a redirect, shown here: the user is told they are still signed in.
 * Other tabs learn of it from the /signed-out page (SignedOutBeacon) once Kratos has really ended it.
 * IMPORTANT: do not announce it on the tab bus from here: BroadcastChannel also reaches this tab's own
 * IdleController, whose navigation would abort the sign-out request and leave the session alive.
 * For the same reason it tells this tab's controller (signingOut): a heartbeat the sign-out overtakes answers
 * 401, and the tab must not leave on it before the sign-out's own redirect to the manual sign-out page.
 */
export function SignOutButton({ action, label = "Sign out" }: { action: () => Promise<FormResult>; label?: string }) {
  const [state, formAction, pending] = useActionState<FormResult, FormData>(action, IDLE_RESULT);
  const idle = useContext(IdleSessionContext);
  const onSubmit = () => {
    clearAllDrafts(); // drafts survive an idle sign-out, never a manual one
    idle?.signingOut();
  };
  return (
    <form action={formAction} onSubmit={onSubmit}>
      <button type="submit" className="secondary" disabled={pending}>
        {label}
      </button>
      {state.status === "error" && (
        <p className="error-text" role="alert" data-testid="sign-out-error">
          {state.message}
        </p>
      )}
    </form>
  );
}
