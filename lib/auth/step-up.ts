import "server-only";
/**
 * Step-up before sensitive actions (delete account, change billing details): the last authentication must
 * be younger than the step-up window. (Idling past the page's budget already forces a step-up in
 * verifySession() before any action runs.) When it is not fresh, the action does nothing and answers with
 * the Kratos refresh-login URL; the form keeps what the user typed and asks for a fresh confirmation after.
 */
import { audit } from "@/lib/audit/write";
import { readPolicy } from "@/lib/config/env.js";
import { authenticationIsFresh } from "@/lib/policy/idle-rule";
import { loginPath } from "@/lib/session/answers";
import { saveRecord } from "./record";
import type { VerifiedSession } from "./session-check";

export type StepUpRequired = { status: "step-up"; loginUrl: string; message: string };

export async function requireFreshAuthentication(
  session: VerifiedSession,
  action: string,
  returnPath: string,
): Promise<StepUpRequired | null> {
  const now = Date.now();
  if (authenticationIsFresh(session.authenticatedAt, now, readPolicy())) return null;
  audit({
    eventType: "step_up_required",
    identityId: session.identityId,
    sessionId: session.sessionId,
    metadata: { action, page: returnPath },
  });
  // Mark the step-up as pending: the gate writes step_up_completed once a newer authentication arrives.
  await saveRecord({ ...session.record, stepUpSince: now });
  return {
    status: "step-up",
    loginUrl: loginPath(`${returnPath}?resume=1`, true),
    message: "For your security, please confirm it's you before this change.",
  };
}
