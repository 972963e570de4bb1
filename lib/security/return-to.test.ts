/**
 * Table-driven tests for same-origin return_to handling (lib/security/return-to.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_RETURN_PATH, returnUrl, safeReturnPath } from "./return-to";

const APP_URL = "http://localhost:3000";

const accepted: { name: string; input: string; expected: string }[] = [
  { name: "a rooted path", input: "/billing", expected: "/billing" },
  { name: "a path with query and hash", input: "/billing?x=1#y", expected: "/billing?x=1#y" },
  { name: "a nested path", input: "/admin/users", expected: "/admin/users" },
  { name: "an absolute URL on the app's origin", input: "http://localhost:3000/admin", expected: "/admin" },
  {
    name: "an absolute URL on the app's origin with query",
    input: "http://localhost:3000/billing?tab=cards",
    expected: "/billing?tab=cards",
  },
  {
    name: "an encoded slash after a single leading slash stays a same-origin path",
    input: "/%2F%2Fevil.example",
    expected: "/%2F%2Fevil.example",
  },
];

const rejected: { name: string; input: string | null | undefined }[] = [
  { name: "protocol-relative //evil.example", input: "//evil.example" },
  { name: "protocol-relative with path", input: "//evil.example/billing" },
  { name: "another host over https", input: "https://evil.example" },
  { name: "another host over http", input: "http://evil.example/billing" },
  { name: "backslash after slash /\\evil.example", input: "/\\evil.example" },
  { name: "double backslash \\\\evil.example", input: "\\\\evil.example" },
  { name: "any backslash, even inside the path (/x\\y)", input: "/x\\y" },
  { name: "javascript: URL", input: "javascript:alert(1)" },
  { name: "mixed-case JaVaScRiPt: URL", input: "JaVaScRiPt:alert(1)" },
  { name: "data: URL", input: "data:text/html,x" },
  { name: "same host, other port", input: "http://localhost:3001/x" },
  { name: "same host, https instead of http", input: "https://localhost:3000/x" },
  { name: "CRLF header injection", input: "/x\r\nSet-Cookie: a=b" },
  { name: "a tab character", input: "/x\ty" },
  { name: "a NUL character", input: "/x\u0000" },
  { name: "the empty string", input: "" },
  { name: "undefined", input: undefined },
  { name: "null", input: null },
  { name: "a 3000-character string", input: `/${"a".repeat(2999)}` },
  { name: "an unrooted path", input: "billing" },
  { name: "a relative ./ path", input: "./billing" },
  { name: "userinfo trick http://localhost:3000@evil.example/", input: "http://localhost:3000@evil.example/" },
];

describe("safeReturnPath: accepted", () => {
  for (const c of accepted) {
    it(`${c.name}: ${JSON.stringify(c.input)} → ${JSON.stringify(c.expected)}`, () => {
      assert.equal(safeReturnPath(c.input, APP_URL), c.expected);
    });
  }

  it("a path of exactly 2048 characters is accepted", () => {
    const input = `/${"a".repeat(2047)}`;
    assert.equal(safeReturnPath(input, APP_URL), input);
  });

  it("a path of 2049 characters is rejected", () => {
    assert.equal(safeReturnPath(`/${"a".repeat(2048)}`, APP_URL), null);
  });
});

describe("safeReturnPath: rejected (null)", () => {
  for (const c of rejected) {
    it(`${c.name}: ${JSON.stringify(c.input)}`, () => {
      assert.equal(safeReturnPath(c.input, APP_URL), null);
    });
  }
});

describe("safeReturnPath: encoded slashes never lead off-site", () => {
  const cases = ["%2F%2Fevil.example", "%2f%2fevil.example", "/%2F/evil.example", "%5C%5Cevil.example"];
  for (const input of cases) {
    it(`${JSON.stringify(input)} is null or a same-origin path with a single leading "/"`, () => {
      const result = safeReturnPath(input, APP_URL);
      if (result === null) return assert.equal(result, null);
      assert.match(result, /^\/(?![/\\])/);
      // Following it from the app must stay on the app's origin.
      assert.equal(new URL(result, APP_URL).origin, APP_URL);
    });
  }
});

describe("return_to values Kratos v1.3.1 accepts but browsers follow off-site", () => {
  // Go's URL parser reads these as paths on Kratos' default host, so they pass allowed_return_urls and a
  // flow keeps them raw; a browser reads them as //evil.example. lib/kratos/flows.ts passes a flow's
  // return_to through returnUrl() before @ory/elements-react renders it as a link.
  for (const input of [
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "///evil.example/dashboard",
  ]) {
    it(`${JSON.stringify(input)} → dropped; returnUrl falls back to the dashboard`, () => {
      assert.equal(safeReturnPath(input, APP_URL), null);
      assert.equal(returnUrl(input, APP_URL), "http://localhost:3000/dashboard");
      assert.notEqual(new URL(input, APP_URL).origin, APP_URL, "the browser would have left the app");
    });
  }
});

describe("returnUrl", () => {
  it(`the default return path is ${DEFAULT_RETURN_PATH}`, () => {
    assert.equal(DEFAULT_RETURN_PATH, "/dashboard");
  });

  for (const c of accepted) {
    it(`accepted ${c.name}: absolute same-origin URL`, () => {
      assert.equal(returnUrl(c.input, APP_URL), `${APP_URL}${c.expected}`);
    });
  }

  for (const c of rejected) {
    it(`rejected ${c.name}: falls back to ${APP_URL}/dashboard`, () => {
      assert.equal(returnUrl(c.input, APP_URL), "http://localhost:3000/dashboard");
    });
  }

  it("uses a custom fallback for rejected input", () => {
    assert.equal(returnUrl("//evil.example", APP_URL, "/settings"), "http://localhost:3000/settings");
  });

  it("ignores a path on appUrl: the result is on the origin", () => {
    assert.equal(returnUrl("/billing", "http://localhost:3000/some/base/"), "http://localhost:3000/billing");
  });
});
