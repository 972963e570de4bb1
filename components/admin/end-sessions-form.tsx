"use client";
import { FormMessages } from "@/components/forms/form-messages";
import { useActionState } from "react";
import { IDLE_RESULT, type FormResult } from "@/lib/forms/result";

/** "End all sessions of a user": the server action checks the admin role and the value (zod). */
export function EndSessionsForm({ action }: { action: (previous: FormResult, data: FormData) => Promise<FormResult> }) {
  const [state, formAction, pending] = useActionState(action, IDLE_RESULT);
  const error = state.status === "invalid" ? state.fieldErrors.target : undefined;
  return (
    <form action={formAction} data-testid="end-sessions-form">
      <p>
        <label htmlFor="end-sessions-target">User (email or identity id)</label>
        <br />
        <input
          id="end-sessions-target"
          name="target"
          type="text"
          autoComplete="off"
          spellCheck={false}
          size={40}
          required
          aria-describedby="end-sessions-help"
          aria-invalid={error ? true : undefined}
          aria-errormessage={error ? "end-sessions-error" : undefined}
        />
      </p>
      <p id="end-sessions-help" className="muted">
        Signs the user out everywhere at once: every session is revoked in Kratos. They can sign in again.
      </p>
      <FormMessages state={state} fieldError={error} errorId="end-sessions-error" okTestId="end-sessions-done" />
      <button type="submit" disabled={pending}>
        End all sessions
      </button>
    </form>
  );
}
