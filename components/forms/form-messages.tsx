import type { FormResult } from "@/lib/forms/result";

/**
 * The messages under a small form: the field's error (linked by id from the field), a general error, and
 * the success status. One markup for every form, so roles and ids stay the same everywhere.
 */
export function FormMessages({
  state,
  fieldError,
  errorId,
  okTestId,
}: {
  state: FormResult;
  fieldError: string | undefined;
  errorId: string;
  okTestId: string;
}) {
  return (
    <>
      {fieldError && (
        <p id={errorId} className="error-text" role="alert">
          {fieldError}
        </p>
      )}
      {state.status === "error" && (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      )}
      {state.status === "ok" && (
        <p role="status" data-testid={okTestId}>
          {state.message}
        </p>
      )}
    </>
  );
}
