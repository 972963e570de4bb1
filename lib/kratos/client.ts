/**
 * SDK clients for Kratos. Web APIs only (the fetch flavour of the Ory SDK), so the Edge gate can use them.
 * Every request gets a timeout: a hung Kratos must turn into "unavailable", never into a hung page.
 */
import { Configuration, FrontendApi, IdentityApi } from "@ory/client-fetch";
import { readEdgeEnv } from "@/lib/config/env.js";

export const KRATOS_TIMEOUT_MS = 5_000;

function withTimeout(): RequestInit {
  return { signal: AbortSignal.timeout(KRATOS_TIMEOUT_MS), cache: "no-store" };
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
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.name}: ${cause.message}` : `${error.name}: ${error.message}`;
  }
  return "unknown error";
}
