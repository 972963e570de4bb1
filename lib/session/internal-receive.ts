import "server-only";
/**
 * The receiving end of the Edge gate's signed channel (lib/session/internal-channel.ts), for the route
 * handlers under /api/internal (and the private part of /api/health). One place checks, in order:
 *   parameters in the URL          -> 400 (they belong in the signed x-internal-query header)
 *   unsigned / altered / too old   -> 403
 *   a nonce seen before (replay)   -> 403
 *
 * Replays are remembered per process (the ledger below, shared by every route of this process). The
 * default internal URL is this process's own loopback address, so the gate's calls come back to the process
 * that remembers them. Bound, stated: with several instances, a signed request captured in transit could be
 * replayed once to each *other* instance within its 30 s window. It is only as useful as the original:
 * a session-end claim is written once whatever happens (claimEnd), an activity lookup discloses no more than
 * the original answer, and a step-up report could add one duplicate audit row per other instance.
 */
import { NextResponse } from "next/server";
import { readEdgeEnv } from "@/lib/config/env.js";
import { INTERNAL_AUTH_HEADER, INTERNAL_QUERY_HEADER, NonceLedger, verifyInternalHeader } from "./internal-channel";
import { verifyWithKeys } from "./record-keys";

const g = globalThis as unknown as { __internalNonces?: NonceLedger };
const ledger = (g.__internalNonces ??= new NonceLedger());

export type Received = { ok: true; params: URLSearchParams } | { ok: false; response: NextResponse };

const refuse = (status: number, error: string, message: string): Received => ({ ok: false, response: NextResponse.json({ error, message }, { status }) });

/** Checks a signed internal request; `body` is the exact text read (empty for GET). */
export function receiveInternal(request: Request, method: "GET" | "POST", body: string): Received {
  const url = new URL(request.url);
  if (url.search) return refuse(400, "query_in_url", `Parameters go in the signed ${INTERNAL_QUERY_HEADER} header, never in the URL.`);
  const query = request.headers.get(INTERNAL_QUERY_HEADER) ?? "";
  if (query.length > 512) return refuse(400, "query_too_long", `${INTERNAL_QUERY_HEADER} must be at most 512 characters.`);
  const signed = `${url.pathname}${query ? `?${query}` : ""}`;
  const header = request.headers.get(INTERNAL_AUTH_HEADER);
  const verified = verifyWithKeys(readEdgeEnv().SESSION_SECRET, (key) => verifyInternalHeader(key, header, method, signed, body));
  if (!verified.ok) return refuse(403, "forbidden", "Unsigned, altered or expired internal request.");
  if (!ledger.claim(verified.nonce, verified.signedAt)) return refuse(403, "replayed", "This signed request was already used.");
  return { ok: true, params: new URLSearchParams(query) };
}
