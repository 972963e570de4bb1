/**
 * THE ERROR VOCABULARY: every JSON error the app answers, one status and one wording per code. Edge-safe
 * (the gate answers with it too). Codes are part of the API (the browser reads `error`), so they never
 * change; the wording changes here only.
 *
 *   return new AppError("forbidden").toResponse();
 *   return new AppError("body_too_large", "8192 bytes").toResponse({ extra: "fields" });
 */
import type { NextResponse } from "next/server";
import { noStoreJson } from "@/lib/http/json";

type Wording = string | ((detail: string) => string);

const ERRORS = {
  unauthenticated: { status: 401, message: "Please sign in." },
  step_up_required: { status: 401, message: "Please confirm it's you: sign in again to continue." },
  signed_out: { status: 401, message: "Your session has ended." },
  auth_unavailable: { status: 503, message: "The sign-in service is unavailable. Please try again shortly." },
  forbidden: { status: 403, message: "This is for administrators only." },
  cross_origin_refused: {
    status: 403,
    message: (site: string) =>
      "This endpoint only accepts requests from the app's own pages " +
      `(Sec-Fetch-Site was "${site}", expected "same-origin").`,
  },
  body_too_large: { status: 413, message: (limit: string) => `The body must be at most ${limit}.` },
  unsupported_media_type: { status: 415, message: (type: string) => `Send the body as ${type}.` },
  invalid_json: { status: 400, message: "The body is not valid JSON." },
  invalid_body: { status: 400, message: (detail: string) => detail },
  invalid_parameters: { status: 400, message: "Some parameters are not valid (see messages)." },
  invalid_filters: { status: 400, message: "Some filters are not valid (see messages)." },
  unknown_user: { status: 404, message: "No user has that email address." },
  upload_aborted: { status: 400, message: "The upload was interrupted. Please try again." },
  upload_incomplete: { status: 400, message: (detail: string) => `The upload ended early: ${detail}.` },
  invalid_sid: { status: 400, message: "sid must be a session id (UUID)." },
  not_found: { status: 404, message: "Not found." },
  unavailable: { status: 503, message: "The database is unavailable. Please try again shortly." },
  query_in_url: { status: 400, message: "Parameters go in the signed x-internal-query header, never in the URL." },
  query_too_long: { status: 400, message: "x-internal-query must be at most 512 characters." },
  invalid_signature: { status: 403, message: "Unsigned, altered or expired internal request." },
  replayed: { status: 403, message: "This signed request was already used." },
  invalid_hook_secret: { status: 403, message: "Only Kratos' settings hook may call this, with its shared secret." },
} satisfies Record<string, { status: number; message: Wording }>;

export type ErrorCode = keyof typeof ERRORS;

/** Seconds a client should wait before asking again after a 503 from the sign-in service. */
const RETRY_AFTER: Partial<Record<ErrorCode, string>> = { auth_unavailable: "5" };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  /** `detail`: the part of the wording that depends on the case (a limit, a media type, a count). */
  constructor(code: ErrorCode, detail = "") {
    const wording: Wording = ERRORS[code].message;
    super(typeof wording === "function" ? wording(detail) : wording);
    this.name = "AppError";
    this.code = code;
    this.status = ERRORS[code].status;
  }

  /** `{ error, message, ...extra }` with the code's status, never cached. */
  toResponse(extra: Record<string, unknown> = {}): NextResponse {
    const retry = RETRY_AFTER[this.code];
    return noStoreJson(
      this.status,
      { error: this.code, message: this.message, ...extra },
      retry ? { "retry-after": retry } : {},
    );
  }
}
