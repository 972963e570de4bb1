import "server-only";
/**
 * Route handlers of the admin area: apiSession() (the same check as every route) plus the admin role.
 * Anyone else gets JSON 403, never data.
 */
import { apiSession, type ApiSessionResult } from "@/lib/auth/api-session";
import { ADMIN_AREA } from "@/lib/auth/constants";
import { AppError } from "@/lib/errors";

export async function adminApiSession(): Promise<ApiSessionResult> {
  const result = await apiSession("api", { area: ADMIN_AREA });
  if (!result.ok) return result;
  if (result.session.role !== "admin") {
    return { ok: false, response: new AppError("forbidden").toResponse() };
  }
  return result;
}

/** The query string as zod sees it: repeated keys become arrays. */
export function queryObject(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(url).searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
