/**
 * zod schemas for the query strings the auth pages accept. Anything else is ignored, never trusted.
 */
import { z } from "zod";

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const flowParams = z.object({
  flow: z.preprocess(first, z.uuid().optional().catch(undefined)),
  return_to: z.preprocess(first, z.string().max(2048).optional().catch(undefined)),
  refresh: z.preprocess(first, z.enum(["true"]).optional().catch(undefined)),
  aal: z.preprocess(first, z.enum(["aal1", "aal2"]).optional().catch(undefined)),
  /** set by the restart route when this client sent no cookie back (lib/auth/flow-restart.ts) */
  cookies: z.preprocess(first, z.enum(["off"]).optional().catch(undefined)),
});

export const errorParams = z.object({ id: z.preprocess(first, z.uuid().optional().catch(undefined)) });

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
