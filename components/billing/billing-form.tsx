"use client";
import { Field, SensitiveForm } from "@/components/forms/sensitive-form";
import type { FormResult } from "@/lib/forms/result";

export function BillingForm({
  identityId,
  action,
  current,
}: {
  identityId: string;
  action: (p: FormResult, d: FormData) => Promise<FormResult>;
  current: { company: string; billingEmail: string; vatId: string | null } | null;
}) {
  return (
    <SensitiveForm id="billing" identityId={identityId} action={action} draft submitLabel="Save billing details">
      {(errors) => (
        <>
          <Field
            name="company"
            label="Company"
            error={errors.company}
            defaultValue={current?.company}
            autoComplete="organization"
          />
          <Field
            name="billing_email"
            label="Billing email"
            type="email"
            error={errors.billing_email}
            defaultValue={current?.billingEmail}
            autoComplete="email"
          />
          <Field
            name="vat_id"
            label="VAT ID (optional)"
            error={errors.vat_id}
            defaultValue={current?.vatId ?? ""}
            autoComplete="off"
          />
        </>
      )}
    </SensitiveForm>
  );
}
