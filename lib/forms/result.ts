/** What every form's server action answers: a small discriminated union, never the submitted secrets. */
export type FormResult =
  | { status: "idle" }
  | { status: "ok"; message: string }
  | { status: "invalid"; message: string; fieldErrors: Record<string, string> }
  | { status: "step-up"; message: string; loginUrl: string }
  | { status: "error"; message: string };

export const IDLE_RESULT: FormResult = { status: "idle" };

export function invalid(
  fieldErrors: Record<string, string>,
  message = "Please correct the highlighted field.",
): FormResult {
  return { status: "invalid", message, fieldErrors };
}

/** zod issues -> { field: first message } */
export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/** The answer when an action is called with something other than a form (a hand-made request). */
export const NOT_A_FORM: FormResult = {
  status: "invalid",
  message: "This form could not be read. Please reload the page and try again.",
  fieldErrors: {},
};

/**
 * The named fields of a form submission, or null when the action was called with something that is not a
 * FormData: anyone can POST an action with arbitrary arguments, and the answer must be "invalid", never a
 * crash (formData.get of undefined). A missing field is undefined; a file stays a File (zod refuses it).
 */
export function formFields<K extends string>(
  formData: unknown,
  names: readonly K[],
): Record<K, FormDataEntryValue | undefined> | null {
  if (!(formData instanceof FormData)) return null;
  return Object.fromEntries(names.map((name) => [name, formData.get(name) ?? undefined])) as Record<
    K,
    FormDataEntryValue | undefined
  >;
}
