"use server";

import { revalidatePath } from "next/cache";
import { existingIdentity } from "@/lib/admin/identities";
import { endAllSessions } from "@/lib/admin/sessions";
import { verifyAdmin } from "@/lib/auth/verify-session";
import { NOT_A_FORM, fieldErrorsOf, formFields, invalid, type FormResult } from "@/lib/forms/result";
import { KratosUnavailableError } from "@/lib/kratos/types";
import { endSessionsSchema } from "./schema";

const UNAVAILABLE: FormResult = {
  status: "error",
  message: "The sign-in service is unavailable; no session was ended. Please try again.",
};

/**
 * "End all sessions of a user": admins only (verifyAdmin answers 403 to anyone else, before anything is
 * read from the form). Revoked in Kratos, marked ended in session_activity, audited.
 */
export async function endUserSessions(_previous: FormResult, formData: FormData): Promise<FormResult> {
  const admin = await verifyAdmin();
  const fields = formFields(formData, ["target"]);
  if (!fields) return NOT_A_FORM;
  const parsed = endSessionsSchema.safeParse(fields);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error.issues));
  try {
    const target = await existingIdentity(parsed.data.target);
    if (!target) return invalid({ target: "No user with that email address or id." });
    await endAllSessions(admin, target.id);
    revalidatePath("/admin");
    const who = target.email ?? target.id;
    return {
      status: "ok",
      message:
        target.id === admin.identityId
          ? `Ended all sessions of ${who}, including this one.`
          : `Ended all sessions of ${who}.`,
    };
  } catch (error) {
    if (error instanceof KratosUnavailableError) return UNAVAILABLE;
    throw error;
  }
}
