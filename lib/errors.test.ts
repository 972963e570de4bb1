/**
 * Tests for the error vocabulary (lib/errors.ts): each code answers its own status and wording, as JSON that
 * no cache keeps.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError, type ErrorCode } from "./errors";

describe("AppError", () => {
  const cases: { code: ErrorCode; detail?: string; status: number; message: RegExp; retryAfter?: string }[] = [
    { code: "unauthenticated", status: 401, message: /sign in/ },
    { code: "step_up_required", status: 401, message: /confirm it's you/ },
    { code: "signed_out", status: 401, message: /ended/ },
    { code: "auth_unavailable", status: 503, message: /unavailable/, retryAfter: "5" },
    { code: "forbidden", status: 403, message: /administrators/ },
    { code: "body_too_large", detail: "8192 bytes", status: 413, message: /at most 8192 bytes/ },
    { code: "unsupported_media_type", detail: "application/json", status: 415, message: /application\/json/ },
    { code: "cross_origin_refused", detail: "cross-site", status: 403, message: /"cross-site"/ },
    { code: "replayed", status: 403, message: /already used/ },
  ];
  for (const c of cases) {
    it(`${c.code} → ${c.status}`, async () => {
      const response = new AppError(c.code, c.detail).toResponse({ extra: 1 });
      assert.equal(response.status, c.status);
      assert.match(response.headers.get("cache-control") ?? "", /no-store/);
      assert.equal(response.headers.get("retry-after"), c.retryAfter ?? null);
      const body = (await response.json()) as { error: string; message: string; extra: number };
      assert.equal(body.error, c.code);
      assert.match(body.message, c.message);
      assert.equal(body.extra, 1);
    });
  }

  it("is an Error with its code and status (it can be thrown)", () => {
    const error = new AppError("forbidden");
    assert.ok(error instanceof Error);
    assert.deepEqual([error.code, error.status, error.name], ["forbidden", 403, "AppError"]);
  });
});
