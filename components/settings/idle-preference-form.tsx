"use client";
import { FormMessages } from "@/components/forms/form-messages";
import { useActionState } from "react";
import { IDLE_RESULT, type FormResult } from "@/lib/forms/result";

export interface PreferenceOption {
  value: 0 | 15 | 30 | 60;
  label: string;
  /** why an admin may not choose it, or null */
  disabledReason: string | null;
}

export function IdlePreferenceForm({
  action,
  options,
  current,
}: {
  action: (previous: FormResult, data: FormData) => Promise<FormResult>;
  options: PreferenceOption[];
  current: number | null;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_RESULT);
  const error = state.status === "invalid" ? state.fieldErrors.idle_timeout_minutes : undefined;
  return (
    <form action={formAction} aria-describedby="idle-pref-help">
      <fieldset aria-invalid={error ? true : undefined} aria-errormessage={error ? "idle-pref-error" : undefined}>
        <legend>Auto sign-out after</legend>
        <p id="idle-pref-help" className="muted">
          How long you may be inactive on normal pages before we sign you out. Billing and Admin always sign out sooner.
        </p>
        {options.map((o) => (
          <div key={o.value}>
            <label>
              <input
                type="radio"
                name="idle_timeout_minutes"
                value={o.value}
                defaultChecked={current === o.value}
                disabled={o.disabledReason !== null}
                aria-describedby={o.disabledReason ? `idle-pref-why-${o.value}` : undefined}
              />{" "}
              {o.label}
            </label>
            {o.disabledReason && (
              <span id={`idle-pref-why-${o.value}`} className="muted">
                {" "}
                — {o.disabledReason}
              </span>
            )}
          </div>
        ))}
      </fieldset>
      <FormMessages state={state} fieldError={error} errorId="idle-pref-error" okTestId="idle-pref-saved" />
      <button type="submit" disabled={pending}>
        Save auto sign-out
      </button>
    </form>
  );
}
