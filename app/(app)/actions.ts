"use server";

import { redirect } from "next/navigation";
import { recordSignedOut } from "@/lib/activity/store";
import { clearSessionCookies } from "@/lib/auth/record";
import { currentSession, type VerifiedSession } from "@/lib/auth/verify-session";
import { readEdgeEnv } from "@/lib/config/env.js";
import type { FormResult } from "@/lib/forms/result";
import { revokeSession } from "@/lib/kratos/admin";
import { browserKratosCookies, createLogoutUrl } from "@/lib/kratos/flows";
import { KratosUnavailableError } from "@/lib/kratos/types";

const NOT_SIGNED_OUT: FormResult = {
  status: "error",
  message:
    "We could not sign you out: the sign-in service is not answering. You are still signed in. Please try again in a moment; " +
    "if you leave this device, you will still be signed out automatically after the usual time without activity.",
};

/**
 * Manual sign-out that never claims more than Kratos confirmed (issue 13, item 4).
 * 1. Revoke in Kratos through the admin API: confirmed by Kratos' own answer, not by whether the browser
 *    follows a logout link.
 * 2. Only then mark the server record ended and write `signed_out` (one transaction, once per session).
 * 3. Clear this browser's cookies (the Kratos cookie now names a revoked session) and show /signed-out,
 *    which tells the other tabs (they check with the server before leaving).
 * If Kratos is unreachable or refuses, nothing is written and the record stays open, so the sweeper still
 * revokes the session at its idle deadline; the user is told they are still signed in.
 * The arguments (a form action's state and form) are ignored: this action takes no input.
 */
export async function signOut(): Promise<FormResult> {
  let session: VerifiedSession | null;
  try {
    session = await currentSession();
  } catch (error) {
    if (!(error instanceof KratosUnavailableError)) throw error;
    return NOT_SIGNED_OUT;
  }
  if (!session) return signOutThroughKratos();
  try {
    await revokeSession(session.sessionId);
  } catch (error) {
    if (!(error instanceof KratosUnavailableError)) throw error;
    console.error(`[sign-out] not signed out, the session stays open for the sweeper: ${error.message}`);
    return NOT_SIGNED_OUT;
  }
  recordSignedOut({
    sessionId: session.sessionId,
    identityId: session.identityId,
    lastPath: session.record.lastPath,
    absoluteDeadline: session.absoluteDeadline,
  });
  await clearSessionCookies();
  redirect("/signed-out?reason=manual");
}

/**
 * No live session the app can name (already ended, or waiting for a step-up): Kratos' own logout link
 * ends whatever the browser's cookie still holds. Nothing is recorded here, so nothing can be untrue.
 */
async function signOutThroughKratos(): Promise<FormResult> {
  const after = new URL("/signed-out?reason=manual", readEdgeEnv().APP_URL).toString();
  let logoutUrl: string | null;
  try {
    logoutUrl = await createLogoutUrl(await browserKratosCookies(), after);
  } catch (error) {
    if (!(error instanceof KratosUnavailableError)) throw error;
    return NOT_SIGNED_OUT;
  }
  redirect(logoutUrl ?? after);
}
