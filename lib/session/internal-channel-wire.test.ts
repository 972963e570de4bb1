/**
 * lib/session/internal-channel.ts beyond the signature: what verification hands the receiver, the nonce
 * ledger (each signed request once), and what internalFetch puts on the wire (a real local HTTP server).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  INTERNAL_AUTH_HEADER,
  INTERNAL_QUERY_HEADER,
  NonceLedger,
  internalFetch,
  signInternal,
  verifyInternal,
  verifyInternalHeader,
} from "./internal-channel";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const SEC = 1000;
const METHOD = "POST";
const PATH = "/api/internal/events";
const BODY = JSON.stringify({ type: "audit", event: { eventType: "step_up_required", sessionId: "s-1" } });
const NONCE = "AAAAAAAAAAAAAAAAAAAAAA";
const headerFor = () => signInternal(SECRET, METHOD, PATH, BODY, T0, NONCE);

describe("verifyInternalHeader: hands the nonce and signing time to the receiver", () => {
  it("ok with the nonce and time it was signed with", () => {
    assert.deepEqual(verifyInternalHeader(SECRET, headerFor(), METHOD, PATH, BODY, T0 + SEC), {
      ok: true,
      nonce: NONCE,
      signedAt: T0,
    });
  });
});

describe("NonceLedger: each signed request once", () => {
  it("the first claim of a nonce → true, the same nonce again → false (a replay)", () => {
    const ledger = new NonceLedger();
    assert.equal(ledger.claim(NONCE, T0, T0), true);
    assert.equal(ledger.claim(NONCE, T0, T0 + 29 * SEC), false);
    assert.equal(ledger.claim("BAAAAAAAAAAAAAAAAAAAAA", T0, T0), true);
  });

  it("full of unexpired nonces → refuses a new one (fail closed) rather than forget a replayable one", () => {
    const ledger = new NonceLedger(2);
    assert.equal(ledger.claim("n1", T0, T0), true);
    assert.equal(ledger.claim("n2", T0, T0), true);
    assert.equal(ledger.claim("n3", T0, T0 + 30 * SEC), false);
    assert.equal(ledger.claim("n1", T0, T0 + 30 * SEC), false, "n1 is still remembered");
  });

  it("full, but some nonces are out of the window → those are forgotten and the new one is taken", () => {
    const ledger = new NonceLedger(2);
    ledger.claim("n1", T0, T0);
    ledger.claim("n2", T0 + 20 * SEC, T0 + 20 * SEC);
    assert.equal(ledger.claim("n3", T0 + 31 * SEC, T0 + 31 * SEC), true);
    assert.equal(ledger.size, 2);
    assert.equal(ledger.claim("n2", T0 + 20 * SEC, T0 + 31 * SEC), false, "n2 (still in its window) is kept");
  });
});

describe("internalFetch: what goes on the wire (a real local HTTP server)", () => {
  it("the query (the Kratos session id) travels in the signed x-internal-query header, never in the URL", async () => {
    const seen: { url?: string; headers?: IncomingHttpHeaders } = {};
    const server = createServer((req, res) => {
      seen.url = req.url;
      seen.headers = req.headers;
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const sid = "3f0c2a4e-1111-4222-8333-444455556666";
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const response = await internalFetch(base, SECRET, "GET", `/api/internal/activity?sid=${sid}`);
      await response.text();
      assert.equal(seen.url, "/api/internal/activity");
      assert.equal(seen.headers?.[INTERNAL_QUERY_HEADER], `sid=${sid}`);
      const header = String(seen.headers?.[INTERNAL_AUTH_HEADER]);
      assert.equal(
        verifyInternal(SECRET, header, "GET", `/api/internal/activity?sid=${sid}`, ""),
        true,
        "signed over path and query",
      );
      assert.equal(
        verifyInternal(SECRET, header, "GET", "/api/internal/activity", ""),
        false,
        "the query is part of what is signed",
      );
    } finally {
      server.close();
    }
  });
});
