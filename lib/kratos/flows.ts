import "server-only";
/**
 * Self-service flows fetched on the server for the pages that render them (@ory/elements-react).
 * IMPORTANT: Kratos binds each flow to the browser's CSRF cookie, so the browser's Cookie header is forwarded.
 */
import type { FlowError } from "@ory/client-fetch";
import { cookies } from "next/headers";
import { readEdgeEnv } from "@/lib/config/env.js";
import { returnUrl } from "@/lib/security/return-to";
import { describeError, frontendApi, requestInit, statusOf } from "./client";
import { kratosCookieHeader } from "./cookie-header";
import { KratosUnavailableError } from "./types";

/** The browser's Kratos cookies for this request, as Kratos issued them (see cookie-header.ts). */
export async function browserKratosCookies(): Promise<string> {
  return kratosCookieHeader((await cookies()).getAll(), readEdgeEnv().KRATOS_SESSION_COOKIE);
}

/** `csrf`: Kratos refused the flow for this browser's (missing) anti-CSRF cookie: a restart may not help. */
export type FlowResult<T> = { status: "ok"; flow: T } | { status: "restart"; csrf: boolean };

async function fetchFlow<T>(load: () => Promise<T>): Promise<FlowResult<T>> {
  try {
    return { status: "ok", flow: await load() };
  } catch (error) {
    const status = statusOf(error);
    // Expired (410), foreign/unknown (403/404) or malformed (400) flows: start a new one.
    // (3xx: Kratos sending a browser elsewhere, e.g. to sign in first.)
    // 403 on a login/registration/recovery/verification flow is Kratos' CSRF check (security_csrf_violation):
    // a client that sends no cookies fails it on every new flow too, so the pages bound that restart
    // (lib/auth/flow-restart.ts).
    if (
      status === 400 ||
      status === 403 ||
      status === 404 ||
      status === 410 ||
      (status !== undefined && status >= 300 && status < 400)
    ) {
      return { status: "restart", csrf: status === 403 };
    }
    throw new KratosUnavailableError(describeError(error));
  }
}

/**
 * IMPORTANT: a flow's return_to is passed on to the page only when it is on the app's origin. Kratos v1.3.1
 * checks return_to with Go's URL parser, which reads "///evil.example" and "/\evil.example" as paths on its
 * default host, so a flow started at Kratos with them passes allowed_return_urls and keeps the raw value;
 * @ory/elements-react renders flow.return_to as a link (the settings page's back button, the login footer),
 * which a browser follows to evil.example. Anything else becomes the default page (lib/security/return-to.ts).
 */
function withSafeReturnTo<T extends { return_to?: string }>(flow: T): T {
  return flow.return_to ? { ...flow, return_to: returnUrl(flow.return_to, readEdgeEnv().APP_URL) } : flow;
}

type Api = ReturnType<typeof frontendApi>;

/** A flow fetch for one page: the browser's cookies forwarded, the flow's return_to made safe. */
function flowLoader<T extends { return_to?: string }>(get: (api: Api, id: string, cookie: string) => Promise<T>) {
  return (id: string, cookie: string) =>
    fetchFlow<T>(async () => withSafeReturnTo(await get(frontendApi(), id, cookie)));
}

export const getLoginFlow = flowLoader((api, id, cookie) => api.getLoginFlow({ id, cookie }, requestInit()));
export const getRegistrationFlow = flowLoader((api, id, cookie) =>
  api.getRegistrationFlow({ id, cookie }, requestInit()),
);
export const getRecoveryFlow = flowLoader((api, id, cookie) => api.getRecoveryFlow({ id, cookie }, requestInit()));
export const getVerificationFlow = flowLoader((api, id, cookie) =>
  api.getVerificationFlow({ id, cookie }, requestInit()),
);
export const getSettingsFlow = flowLoader((api, id, cookie) => api.getSettingsFlow({ id, cookie }, requestInit()));

export function getFlowError(id: string) {
  return fetchFlow<FlowError>(() => frontendApi().getFlowError({ id }, requestInit()));
}

/** The URL that signs this browser out in Kratos and comes back to `returnTo`. */
export async function createLogoutUrl(cookie: string, returnTo: string): Promise<string | null> {
  try {
    const flow = await frontendApi().createBrowserLogoutFlow({ cookie, returnTo }, requestInit());
    return flow.logout_url;
  } catch (error) {
    if (statusOf(error) === 401) return null; // already signed out
    throw new KratosUnavailableError(describeError(error));
  }
}

/** Browser-facing URLs that start a flow in Kratos (the browser must go there itself, for its cookies). */
export function browserFlowUrl(
  flow: "login" | "registration" | "recovery" | "verification" | "settings",
  params: { returnTo?: string; refresh?: boolean; aal?: "aal1" | "aal2" } = {},
): string {
  // Relative to the public URL's path: behind the proxy Kratos lives under a prefix (https://host/.ory).
  const base = readEdgeEnv().KRATOS_PUBLIC_URL.replace(/\/*$/, "/");
  const url = new URL(`self-service/${flow}/browser`, base);
  if (params.returnTo) url.searchParams.set("return_to", params.returnTo);
  if (params.refresh) url.searchParams.set("refresh", "true");
  if (params.aal) url.searchParams.set("aal", params.aal);
  return url.toString();
}
