/**
 * Tests for bounded request bodies (lib/http/body.ts): an oversized body is refused from its declared
 * length without reading a byte, or as soon as the bytes read pass the limit; JSON and schema errors say why.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { readJson, readText } from "./body";

/** A body that yields `chunks` and then never ends (a slow sender): only a bounded reader returns. */
function endless(chunks: Uint8Array[], onCancel: () => void = () => undefined): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else return new Promise(() => undefined); // the rest of the body never arrives
    },
    cancel: onCancel,
  });
}

function post(body: BodyInit | ReadableStream<Uint8Array> | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

const schema = z.object({ a: z.number() }).strict();

describe("readText", () => {
  it("a declared length over the limit → 413 without reading the body (it never ends)", async () => {
    const result = await readText(post(endless([]), { "content-length": String(50 * 1024 * 1024) }), 1024);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      [result.error.status, result.error.code, result.error.message],
      [413, "body_too_large", "The body must be at most 1024 bytes."],
    );
  });

  it("no declared length, more bytes than the limit → 413 once they pass it, and the body is cancelled", async () => {
    let cancelled = false;
    const chunk = new Uint8Array(600).fill(97);
    const result = await readText(post(endless([chunk, chunk, chunk], () => (cancelled = true))), 1024);
    assert.equal(result.ok, false);
    assert.equal(cancelled, true, "the reader stopped reading");
  });

  it("a false (small) declared length does not let a large body through", async () => {
    const result = await readText(post("x".repeat(2000), { "content-length": "10" }), 1024);
    assert.equal(result.ok, false);
  });

  it("exactly the limit is read whole", async () => {
    assert.deepEqual(await readText(post("é".repeat(512)), 1024), { ok: true, text: "é".repeat(512) });
  });

  it("no body → empty text", async () => {
    assert.deepEqual(await readText(post(null), 1024), { ok: true, text: "" });
  });
});

describe("readJson", () => {
  const cases: { name: string; request: () => Request; expected: unknown }[] = [
    {
      name: "valid",
      request: () => post('{"a":1}', { "content-type": "application/json" }),
      expected: { ok: true, value: { a: 1 } },
    },
    {
      name: "declared too large",
      request: () => post(endless([]), { "content-type": "application/json", "content-length": "5000" }),
      expected: { status: 413, error: "body_too_large" },
    },
    {
      name: "streamed too large",
      request: () => post(endless([new Uint8Array(5000)]), { "content-type": "application/json" }),
      expected: { status: 413, error: "body_too_large" },
    },
    {
      name: "text/plain",
      request: () => post('{"a":1}', { "content-type": "text/plain" }),
      expected: { status: 415, error: "unsupported_media_type" },
    },
    {
      name: "not JSON",
      request: () => post("{a:", { "content-type": "application/json" }),
      expected: { status: 400, error: "invalid_json" },
    },
    {
      name: "unknown field",
      request: () => post('{"a":1,"b":2}', { "content-type": "application/json" }),
      expected: { status: 400, error: "invalid_body" },
    },
    {
      name: "wrong type",
      request: () => post('{"a":"1"}', { "content-type": "application/json" }),
      expected: { status: 400, error: "invalid_body" },
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${JSON.stringify(c.expected)}`, async () => {
      const result = await readJson(c.request(), schema, 4096);
      if (result.ok) return assert.deepEqual(result, c.expected);
      const expected = c.expected as { status: number; error: string };
      assert.equal(result.error.status, expected.status);
      assert.equal(result.error.code, expected.error);
      assert.ok(result.error.message.length > 0, "says why");
    });
  }
});
