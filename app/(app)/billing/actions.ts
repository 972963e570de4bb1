"use server";

import { revalidatePath } from "next/cache";
import { BILLING_AREA } from "@/lib/auth/constants";
import { requireFreshAuthentication } from "@/lib/auth/step-up";
import { verifySession } from "@/lib/auth/verify-session";
import { audit } from "@/lib/audit/write";
import { saveBillingDetails } from "@/lib/billing/store";
import { NOT_A_FORM, fieldErrorsOf, formFields, invalid, type FormResult } from "@/lib/forms/result";
import { billingSchema } from "./schema";

/** Change billing details: validated, behind step-up, written in one statement, audited. */
export async function updateBillingDetails(_previous: FormResult, formData: FormData): Promise<FormResult> {
  // Judged as Billing wherever the form was posted from (an idle gap past Billing's ceiling needs a step-up).
  const session = await verifySession({ area: BILLING_AREA });
  const fields = formFields(formData, ["company", "billing_email", "vat_id"]);
  if (!fields) return NOT_A_FORM;
  const parsed = billingSchema.safeParse({ ...fields, vat_id: fields.vat_id ?? "" });
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error.issues));
  const stepUp = await requireFreshAuthentication(session, "change_billing_details", "/billing");
  if (stepUp) return stepUp;
  try {
    await saveBillingDetails(session.identityId, {
      company: parsed.data.company,
      billingEmail: parsed.data.billing_email,
      vatId: parsed.data.vat_id,
    });
  } catch (error) {
    console.error(`[billing] save failed: ${(error as Error).message}`);
    return {
      status: "error",
      message: "Your billing details could not be saved; nothing was changed. Please try again.",
    };
  }
  audit({
    eventType: "billing_details_changed",
    identityId: session.identityId,
    sessionId: session.sessionId,
    metadata: { page: "/billing" },
  });
  revalidatePath("/billing");
  return { status: "ok", message: "Billing details saved." };
}
