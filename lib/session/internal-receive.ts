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
import type { NextResponse } from "next/server";
import { readEdgeEnv } from "@/lib/config/env.js";
import { AppError, type ErrorCode } from "@/lib/errors";
import { INTERNAL_AUTH_HEADER, INTERNAL_QUERY_HEADER, NonceLedger, verifyInternalHeader } from "./internal-channel";
import { verifyWithKeys } from "./record-keys";

const g = globalThis as unknown as { __internalNonces?: NonceLedger };
const ledger = (g.__internalNonces ??= new NonceLedger());

export type Received = { ok: true; params: URLSearchParams } | { ok: false; response: NextResponse };

const refuse = (code: ErrorCode): Received => ({ ok: false, response: new AppError(code).toResponse() });

/** Checks a signed internal request; `body` is the exact text read (empty for GET). */
export function receiveInternal(request: Request, method: "GET" | "POST", body: string): Received {
  const url = new URL(request.url);
  if (url.search) return refuse("query_in_url");
  const query = request.headers.get(INTERNAL_QUERY_HEADER) ?? "";
  if (query.length > 512) return refuse("query_too_long");
  const signed = `${url.pathname}${query ? `?${query}` : ""}`;
  const header = request.headers.get(INTERNAL_AUTH_HEADER);
  const verified = verifyWithKeys(readEdgeEnv().SESSION_SECRET, (key) =>
    verifyInternalHeader(key, header, method, signed, body),
  );
  if (!verified.ok) return refuse("invalid_signature");
  if (!ledger.claim(verified.nonce, verified.signedAt)) return refuse("replayed");
  return { ok: true, params: new URLSearchParams(query) };
}
