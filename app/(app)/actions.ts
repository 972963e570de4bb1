"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { readEdgeEnv } from "@/lib/config/env.js";
import { createLogoutUrl } from "@/lib/kratos/flows";

/** Manual sign-out: Kratos ends the session, then sends the browser to /signed-out. */
export async function signOut(): Promise<void> {
  const cookie = (await headers()).get("cookie") ?? "";
  const after = new URL("/signed-out?reason=manual", readEdgeEnv().APP_URL).toString();
  const logoutUrl = await createLogoutUrl(cookie, after);
  redirect(logoutUrl ?? after);
}
