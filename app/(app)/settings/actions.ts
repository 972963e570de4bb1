"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordOtherEnd } from "@/lib/activity/store";
import { clearSessionCookies, saveRecord } from "@/lib/auth/record";
import { requireFreshAuthentication } from "@/lib/auth/step-up";
import { verifySession } from "@/lib/auth/verify-session";
import { reportPreferenceChange } from "@/lib/audit/preference-change";
import { audit } from "@/lib/audit/write";
import { readPolicy } from "@/lib/config/env.js";
import { describeSeconds } from "@/lib/format/duration";
import { NOT_A_FORM, fieldErrorsOf, formFields, invalid, type FormResult } from "@/lib/forms/result";
import { deleteIdentity, patchIdentity } from "@/lib/kratos/admin";
import { KratosUnavailableError } from "@/lib/kratos/types";
import { adminMayChoose, normalBudgetSeconds } from "@/lib/policy/idle-rule";
import { deleteAccountSchema, idlePreferenceSchema } from "./schema";

/**
 * "Auto sign-out after": stored in the Kratos trait (admin JSON Patch), audited, and applied from the next
 * request: the signed activity record is re-issued with the new choice, no new sign-in needed.
 */
export async function updateIdlePreference(_previous: FormResult, formData: FormData): Promise<FormResult> {
  const session = await verifySession();
  const fields = formFields(formData, ["idle_timeout_minutes"]);
  if (!fields) return NOT_A_FORM;
  const parsed = idlePreferenceSchema.safeParse(fields);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error.issues));
  const choice = parsed.data.idle_timeout_minutes;
  const policy = readPolicy();
  if (session.role === "admin" && !adminMayChoose(choice, policy)) {
    return invalid({
      idle_timeout_minutes: `Administrators are signed out after at most ${describeSeconds(policy.adminCapSeconds)}.`,
    });
  }
  if (choice === session.preference) return { status: "ok", message: "Saved. Nothing changed." };
  try {
    await patchIdentity(session.identityId, [{ op: "add", path: "/traits/idle_timeout_minutes", value: choice }]);
  } catch (error) {
    if (error instanceof KratosUnavailableError)
      return { status: "error", message: "The sign-in service is unavailable; nothing was changed. Please try again." };
    throw error;
  }
  reportPreferenceChange({
    identityId: session.identityId,
    sessionId: session.sessionId,
    to: choice,
    via: "app_settings",
    knownFrom: session.preference ?? null,
  });
  await saveRecord({ ...session.record, preference: choice });
  revalidatePath("/settings");
  const seconds = normalBudgetSeconds({ role: session.role, preference: choice, device: session.device }, policy);
  return {
    status: "ok",
    message:
      seconds === null
        ? "Saved: you won't be signed out for inactivity on normal pages."
        : `Saved: auto sign-out after ${describeSeconds(seconds)} on normal pages.`,
  };
}

/** Deletes the account after a fresh confirmation and a recent authentication (step-up). */
export async function deleteAccount(_previous: FormResult, formData: FormData): Promise<FormResult> {
  const session = await verifySession();
  const fields = formFields(formData, ["confirm"]);
  if (!fields) return NOT_A_FORM;
  const parsed = deleteAccountSchema.safeParse(fields);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error.issues));
  const stepUp = await requireFreshAuthentication(session, "delete_account", "/settings");
  if (stepUp) return stepUp;
  try {
    await deleteIdentity(session.identityId);
  } catch (error) {
    if (error instanceof KratosUnavailableError)
      return {
        status: "error",
        message: "The sign-in service is unavailable; your account was not deleted. Please try again.",
      };
    throw error;
  }
  audit({
    eventType: "account_deleted",
    identityId: session.identityId,
    sessionId: session.sessionId,
    metadata: { page: "/settings" },
  });
  recordOtherEnd(session.sessionId, "manual");
  await clearSessionCookies();
  redirect("/signed-out?reason=deleted");
}
