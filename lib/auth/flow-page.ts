import "server-only";
/**
 * What every self-service page (sign-in, sign-up, recovery, verification) does before it renders Kratos' flow:
 * parse the query (zod), start a flow when there is none, fetch it with the browser's cookies, and after a
 * CSRF failure restart it at most once (lib/auth/flow-restart.ts). Redirects (never returns) when the browser
 * must go elsewhere.
 */
import { redirect } from "next/navigation";
import type { FlowResult } from "@/lib/kratos/flows";
import { browserKratosCookies } from "@/lib/kratos/flows";
import { afterCsrfFailure, flowStartUrl, retryPath, type RestartableFlow } from "./flow-restart";
import { flowParams, type SearchParams } from "./search-params";

export type FlowPage<T> = { status: "ok"; flow: T } | { status: "cookies-off"; retry: string };

export async function loadFlowPage<T>(
  kind: RestartableFlow,
  searchParams: SearchParams,
  load: (id: string, cookie: string) => Promise<FlowResult<T>>,
): Promise<FlowPage<T>> {
  const params = flowParams.parse(await searchParams);
  const cookiesOff = { status: "cookies-off", retry: retryPath(kind, params) } as const;
  if (params.cookies === "off") return cookiesOff;
  // Same-origin return_to only: anything else falls back to the dashboard (never followed).
  if (!params.flow) redirect(flowStartUrl(kind, params));
  const result = await load(params.flow, await browserKratosCookies());
  if (result.status === "ok") return result;
  if (!result.csrf) redirect(flowStartUrl(kind, params));
  await afterCsrfFailure(kind, params); // redirects unless a restart was already spent
  return cookiesOff;
}
