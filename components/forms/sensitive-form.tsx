"use client";
/**
 * A form for a sensitive action (server action + step-up). If the server asks for a fresh sign-in, the
 * fields are kept, the browser goes through Kratos' refresh login, and on the way back the fields are
 * restored and the user confirms again: nothing destructive runs without a fresh confirmation.
 */
import { startTransition, useActionState, useEffect } from "react";
import { IDLE_RESULT, type FormResult } from "@/lib/forms/result";
import { useFormMemory } from "./use-form-memory";

export function SensitiveForm({
  id,
  identityId,
  action,
  draft = false,
  submitLabel,
  children,
}: {
  id: string;
  identityId: string;
  action: (previous: FormResult, data: FormData) => Promise<FormResult>;
  draft?: boolean;
  submitLabel: string;
  children: (fieldErrors: Record<string, string>) => React.ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_RESULT);
  const { ref, onInput, snapshot, keepForStepUp, forget, restored } = useFormMemory(id, identityId, { draft });

  useEffect(() => {
    if (state.status === "step-up") {
      keepForStepUp();
      window.location.assign(state.loginUrl);
    }
    if (state.status === "ok") forget();
  }, [state, keepForStepUp, forget]);

  const fieldErrors = state.status === "invalid" ? state.fieldErrors : {};
  return (
    <form
      ref={ref}
      noValidate /* the server's messages are the ones that count (and the same for everyone) */
      onInput={onInput}
      onSubmit={(event) => {
        // Submitted by hand (not the `action` prop) so React does not reset what the user typed:
        // after a validation error or a step-up the fields must still be there.
        event.preventDefault();
        snapshot();
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
      data-testid={`${id}-form`}
    >
      <RestoredNotice id={id} restored={restored} submitLabel={submitLabel} />
      {children(fieldErrors)}
      {(state.status === "error" || state.status === "step-up" || state.status === "invalid") && (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      )}
      {state.status === "ok" && <p role="status">{state.message}</p>}
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}

export function Field({
  name,
  label,
  error,
  type = "text",
  defaultValue,
  autoComplete,
}: {
  name: string;
  label: string;
  error: string | undefined;
  type?: string;
  defaultValue?: string;
  autoComplete?: string;
}) {
  const errorId = `${name}-error`;
  return (
    <p>
      <label>
        {label}
        <br />
        <input
          name={name}
          type={type}
          defaultValue={defaultValue}
          autoComplete={autoComplete}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </label>
      {error && (
        <span id={errorId} className="error-text">
          {" "}
          {error}
        </span>
      )}
    </p>
  );
}

/** Says why the fields are already filled in: back from a step-up, or a draft kept over an idle sign-out. */
function RestoredNotice({ id, restored, submitLabel }: { id: string; restored: unknown; submitLabel: string }) {
  if (restored === "step-up") {
    return (
      <p role="status" data-testid={`${id}-restored`}>
        Thanks for confirming it&apos;s you. Your entries are back: check them and press “{submitLabel}” again.
      </p>
    );
  }
  if (restored === "draft") {
    return (
      <p role="status" data-testid={`${id}-draft`}>
        We kept your unsaved changes from before you were signed out.
      </p>
    );
  }
  return null;
}
