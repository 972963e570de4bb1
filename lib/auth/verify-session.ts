import "server-only";
/**
 * verifySession(): the one check every page, server action and route handler calls. Never trust a layout
 * or the middleware matcher to have checked. Memoised per request (React cache).
 */
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { PATH_HEADER } from "./constants";
import { whoami } from "@/lib/kratos/session";
import { KratosUnavailableError, type SessionInfo } from "@/lib/kratos/types";


export type VerifiedSession = Pick<SessionInfo, "sessionId" | "identityId" | "email" | "name" | "role" | "preference" | "authenticatedAt" | "expiresAt" | "aal">;

async function currentPath(): Promise<string> {
  return (await headers()).get(PATH_HEADER) ?? "/dashboard";
}

export const getSession = cache(async (): Promise<VerifiedSession | null> => {
  const cookie = (await headers()).get("cookie") ?? "";
  const result = await whoami(cookie);
  if (result.status === "unavailable") throw new KratosUnavailableError(result.detail);
  return result.status === "ok" ? result.session : null;
});

/** The signed-in session, or a redirect to sign-in that comes back to this page. */
export async function verifySession(): Promise<VerifiedSession> {
  const session = await getSession();
  if (!session) redirect(`/login?return_to=${encodeURIComponent(await currentPath())}`);
  return session;
}

/** Admins only: anyone else gets the 403 page (app/forbidden.tsx). */
export async function verifyAdmin(): Promise<VerifiedSession> {
  const session = await verifySession();
  if (session.role !== "admin") forbidden();
  return session;
}
