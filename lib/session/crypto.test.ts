/**
 * Tests for lib/session/crypto.ts: the synchronous HMAC-SHA256 and SHA-256 give the same bytes as Web Crypto
 * (the implementation before, and what any other reader would use), so records and internal-channel
 * signatures made before the change still verify; verify() refuses every other signature.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fromBase64Url, hmacKey, sha256, sign, toBase64Url, utf8, verify } from "./crypto";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** The derivation and signature exactly as the Web Crypto version made them. */
async function webCryptoSign(secret: string, label: string, data: string): Promise<string> {
  const root = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const derived = new Uint8Array(await crypto.subtle.sign("HMAC", root, utf8(label)));
  const key = await crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(data))));
}

describe("HMAC-SHA256 and SHA-256 match the standard", () => {
  it('RFC 4231 test case 2 (key "Jefe"): hmacKey(secret, label) is HMAC(secret, label)', () => {
    assert.equal(
      hex(hmacKey("Jefe", "what do ya want for nothing?")),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
  it('SHA-256 of "abc" (FIPS 180-2)', () => {
    assert.equal(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  const cases = [
    { secret: "s".repeat(64), label: "activity-record-v1", data: "v1.eyJzaWQiOiJ4In0" },
    {
      secret: "another-secret-0123456789abcdef0123456789",
      label: "internal-channel-v1",
      data: "GET\n/api/internal/activity?sid=x\n1735689600000\n",
    },
    { secret: "ünïcödé-secret-€€€-0123456789abcdef", label: "activity-record-v1", data: `v1.${"a".repeat(1400)}` },
  ];
  for (const [i, c] of cases.entries()) {
    it(`sign() gives Web Crypto's signature, byte for byte (case ${i + 1})`, async () => {
      assert.equal(sign(hmacKey(c.secret, c.label), c.data), await webCryptoSign(c.secret, c.label, c.data));
    });
    it(`verify() accepts a signature Web Crypto made (case ${i + 1})`, async () => {
      assert.equal(verify(hmacKey(c.secret, c.label), c.data, await webCryptoSign(c.secret, c.label, c.data)), true);
    });
  }
});

describe("verify() refuses every other signature", () => {
  const key = hmacKey("s".repeat(64), "activity-record-v1");
  const data = "v1.payload";
  const good = sign(key, data);
  it("the right one (control)", () => assert.equal(verify(key, data, good), true));
  it("another label's key", () =>
    assert.equal(verify(hmacKey("s".repeat(64), "internal-channel-v1"), data, good), false));
  it("other data", () => assert.equal(verify(key, "v1.payloaD", good), false));
  it("each single changed character", () => {
    for (let i = 0; i < good.length; i++) {
      const changed = good.slice(0, i) + (good[i] === "A" ? "B" : "A") + good.slice(i + 1);
      assert.equal(verify(key, data, changed), false, `position ${i}`);
    }
  });
  it("a non-canonical spelling of the same bytes (spare bits of the last character set)", () => {
    const bytes = fromBase64Url(good)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(good.at(-1)!);
    const respelled = good.slice(0, -1) + alphabet[last | 1]!;
    assert.notEqual(respelled, good, "the last character has a spare bit to set");
    assert.deepEqual(fromBase64Url(respelled), bytes, "the same bytes");
    assert.equal(verify(key, data, respelled), false);
  });
  it("too short, too long, empty, padded, or not base64url", () => {
    for (const s of [good.slice(0, -1), `${good}A`, "", `${good}=`, good.replace(/./, "+"), `${good.slice(0, -2)}/A`]) {
      assert.equal(verify(key, data, s), false, JSON.stringify(s));
    }
  });
});
