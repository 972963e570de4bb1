"use client";
import type { FormResult } from "@/lib/forms/result";
import { Field, SensitiveForm } from "@/components/forms/sensitive-form";

export function DeleteAccountForm({
  identityId,
  action,
}: {
  identityId: string;
  action: (p: FormResult, d: FormData) => Promise<FormResult>;
}) {
  return (
    <SensitiveForm id="delete-account" identityId={identityId} action={action} submitLabel="Delete my account">
      {(errors) => <Field name="confirm" label="Type DELETE to confirm" error={errors.confirm} autoComplete="off" />}
    </SensitiveForm>
  );
}
