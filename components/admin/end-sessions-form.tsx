"use client";
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
      {error && (
        <p id="end-sessions-error" className="error-text" role="alert">
          {error}
        </p>
      )}
      {state.status === "error" && (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      )}
      {state.status === "ok" && (
        <p role="status" data-testid="end-sessions-done">
          {state.message}
        </p>
      )}
      <button type="submit" disabled={pending}>
        End all sessions
      </button>
    </form>
  );
}
