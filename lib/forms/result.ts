/** What every form's server action answers: a small discriminated union, never the submitted secrets. */
export type FormResult =
  | { status: "idle" }
  | { status: "ok"; message: string }
  | { status: "invalid"; message: string; fieldErrors: Record<string, string> }
  | { status: "step-up"; message: string; loginUrl: string }
  | { status: "error"; message: string };

export const IDLE_RESULT: FormResult = { status: "idle" };

export function invalid(fieldErrors: Record<string, string>, message = "Please correct the highlighted field."): FormResult {
  return { status: "invalid", message, fieldErrors };
}

/** zod issues -> { field: first message } */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
