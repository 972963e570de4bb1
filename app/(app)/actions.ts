"use server";

import { redirect } from "next/navigation";
import { recordOtherEnd } from "@/lib/activity/store";
import { checkSession } from "@/lib/auth/session-check";
import { audit } from "@/lib/audit/write";
import { readEdgeEnv } from "@/lib/config/env.js";
import { browserKratosCookies, createLogoutUrl } from "@/lib/kratos/flows";

/** Manual sign-out: audited, then Kratos ends the session and sends the browser to /signed-out. */
export async function signOut(): Promise<void> {
  const result = await checkSession("action");
  if (result.status === "ok") {
    const { session } = result;
    audit({ eventType: "signed_out", identityId: session.identityId, sessionId: session.sessionId, metadata: { page: session.record.lp } });
    recordOtherEnd(session.sessionId, "manual");
  }
  const cookie = await browserKratosCookies();
  const after = new URL("/signed-out?reason=manual", readEdgeEnv().APP_URL).toString();
  const logoutUrl = await createLogoutUrl(cookie, after);
  redirect(logoutUrl ?? after);
}
