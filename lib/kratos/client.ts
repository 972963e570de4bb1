/**
 * SDK clients for Kratos. Web APIs only (the fetch flavour of the Ory SDK), so the Edge gate can use them.
 * Every request gets a timeout: a hung Kratos must turn into "unavailable", never into a hung page.
 */
import { Configuration, FrontendApi, IdentityApi } from "@ory/client-fetch";
import { readEdgeEnv } from "@/lib/config/env.js";

export const KRATOS_TIMEOUT_MS = 5_000;

function withTimeout(): RequestInit {
  // Never follow Kratos' browser redirects from the server: a 3xx is an answer, not a place to go.
  return { signal: AbortSignal.timeout(KRATOS_TIMEOUT_MS), cache: "no-store", redirect: "manual" };
}

export function frontendApi(): FrontendApi {
  const env = readEdgeEnv();
  return new FrontendApi(new Configuration({ basePath: env.KRATOS_PUBLIC_INTERNAL_URL ?? env.KRATOS_PUBLIC_URL }));
}

/** IMPORTANT: the admin API has no authentication; env.js refuses a non-loopback KRATOS_ADMIN_URL. */
export function identityApi(): IdentityApi {
  return new IdentityApi(new Configuration({ basePath: readEdgeEnv().KRATOS_ADMIN_URL }));
}

export const requestInit = withTimeout;

/** The HTTP status of an SDK error, or undefined when Kratos never answered (network, timeout). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "response" in error) {
    const response = (error as { response?: unknown }).response;
    if (response instanceof Response) return response.status;
  }
  return undefined;
}

export function describeError(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  if (error instanceof Error) {
    // Walk the cause chain (FetchError -> TypeError "fetch failed" -> the socket error) to the root.
    let root: Error = error;
    for (let i = 0; i < 4 && root.cause instanceof Error; i++) root = root.cause;
    return `${error.name}: ${root.message}`;
  }
  return "unknown error";
}
