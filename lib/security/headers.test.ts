import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { HSTS, PERMISSIONS_POLICY, REFERRER_POLICY, STATIC_CSP, modeOf, newNonce, securityHeaders } from "./headers.js";

const HTTP = { appUrl: "http://localhost:3000", kratosPublicUrl: "http://localhost:4433" } as const;
const HTTPS = { appUrl: "https://app.example.com", kratosPublicUrl: "https://auth.example.com/base/path?x=1" } as const;

/** "a b; c d" -> { a: ["b"], c: ["d"] } */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name ?? "", values];
    }),
  );
}

describe("newNonce", () => {
  it("is 16 random bytes in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => newNonce()));
    assert.equal(nonces.size, 1000);
    for (const n of nonces) {
      assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
      assert.equal(Buffer.from(n, "base64").length, 16);
    }
  });
});

describe("the page CSP", () => {
  const nonce = newNonce();
  const prod = directives(securityHeaders({ ...HTTP, mode: "production" }).pageCsp(nonce));

  it("script-src: this nonce and strict-dynamic, never unsafe-inline, no unsafe-eval outside development", () => {
    assert.deepEqual(prod["script-src"], ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    const test = directives(securityHeaders({ ...HTTP, mode: "test" }).pageCsp(nonce));
    assert.deepEqual(test["script-src"], prod["script-src"]);
  });

  it("development adds unsafe-eval (React's dev tooling) and still no unsafe-inline", () => {
    const dev = directives(securityHeaders({ ...HTTP, mode: "development" }).pageCsp(nonce));
    assert.deepEqual(dev["script-src"], ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'unsafe-eval'"]);
  });

  it("styles allow inline (React style props, elements-react) and carry no nonce, which would disable that", () => {
    assert.deepEqual(prod["style-src"], ["'self'", "'unsafe-inline'"]);
  });

  it("framing, base, plugins are shut; forms and fetches may reach the app and Kratos only", () => {
    assert.deepEqual(prod["frame-ancestors"], ["'none'"]);
    assert.deepEqual(prod["base-uri"], ["'self'"]);
    assert.deepEqual(prod["object-src"], ["'none'"]);
    assert.deepEqual(prod["default-src"], ["'self'"]);
    assert.deepEqual(prod["form-action"], ["'self'", "http://localhost:4433"]);
    assert.deepEqual(prod["connect-src"], ["'self'", "http://localhost:4433"]);
    assert.equal(prod["upgrade-insecure-requests"], undefined, "an http app must not upgrade its own requests");
  });

  it("takes the Kratos origin only (no path or query), and no duplicate when Kratos shares the app's origin", () => {
    const https = directives(securityHeaders({ ...HTTPS, mode: "production" }).pageCsp(nonce));
    assert.deepEqual(https["form-action"], ["'self'", "https://auth.example.com"]);
    assert.deepEqual(https["upgrade-insecure-requests"], []);
    const same = directives(
      securityHeaders({
        appUrl: "https://a.example",
        kratosPublicUrl: "https://a.example/.ory",
        mode: "production",
      }).pageCsp(nonce),
    );
    assert.deepEqual(same["form-action"], ["'self'"]);
    assert.deepEqual(same["connect-src"], ["'self'"]);
  });

  it("refuses a nonce that is not one of ours (nothing else may reach the header)", () => {
    const { pageCsp } = securityHeaders({ ...HTTP, mode: "production" });
    for (const bad of ["", "abc", `${nonce}'; script-src *`, `${nonce} `, "A".repeat(24)]) {
      assert.throws(() => pageCsp(bad), /nonce/, JSON.stringify(bad));
    }
  });

  it("refuses a configuration that is not an http(s) URL", () => {
    assert.throws(
      () =>
        securityHeaders({ appUrl: "javascript:alert(1)", kratosPublicUrl: HTTP.kratosPublicUrl, mode: "production" }),
      /appUrl/,
    );
    assert.throws(
      () => securityHeaders({ appUrl: HTTP.appUrl, kratosPublicUrl: "not a url", mode: "production" }),
      /kratosPublicUrl/,
    );
  });
});

describe("the other headers", () => {
  it("every set has nosniff, the referrer policy, the permissions policy and DENY framing", () => {
    const h = securityHeaders({ ...HTTP, mode: "production" });
    for (const set of [h.page(newNonce()), h.static]) {
      assert.equal(set["x-content-type-options"], "nosniff");
      assert.equal(set["referrer-policy"], REFERRER_POLICY);
      assert.equal(set["permissions-policy"], PERMISSIONS_POLICY);
      assert.equal(set["x-frame-options"], "DENY");
    }
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) {
      assert.match(PERMISSIONS_POLICY, new RegExp(`(^|, )${feature}=\\(\\)(,|$)`));
    }
  });

  it("HSTS only in production with an https APP_URL", () => {
    assert.equal(securityHeaders({ ...HTTPS, mode: "production" }).page(newNonce())["strict-transport-security"], HSTS);
    assert.equal(securityHeaders({ ...HTTPS, mode: "production" }).static["strict-transport-security"], HSTS);
    assert.equal(
      securityHeaders({ ...HTTPS, mode: "development" }).page(newNonce())["strict-transport-security"],
      undefined,
    );
    assert.equal(
      securityHeaders({ ...HTTP, mode: "production" }).page(newNonce())["strict-transport-security"],
      undefined,
    );
    assert.match(HSTS, /^max-age=\d{8,}$/, "at least a year (8 digits of seconds), no includeSubDomains");
  });

  it("the static set shuts everything a document could do", () => {
    const set = securityHeaders({ ...HTTP, mode: "production" }).static;
    assert.equal(set["content-security-policy"], STATIC_CSP);
    const d = directives(STATIC_CSP);
    assert.deepEqual(d["default-src"], ["'none'"]);
    assert.deepEqual(d["frame-ancestors"], ["'none'"]);
  });

  it("page sets differ only by their nonce", () => {
    const h = securityHeaders({ ...HTTP, mode: "production" });
    const [a, b] = [newNonce(), newNonce()];
    const [pa, pb] = [h.page(a), h.page(b)];
    assert.notEqual(pa["content-security-policy"], pb["content-security-policy"]);
    assert.equal(pa["content-security-policy"].replace(a, "N"), pb["content-security-policy"].replace(b, "N"));
  });
});

describe("modeOf", () => {
  it("maps NODE_ENV, and anything unknown to production (the strict choice)", () => {
    assert.equal(modeOf("development"), "development");
    assert.equal(modeOf("test"), "test");
    assert.equal(modeOf("production"), "production");
    assert.equal(modeOf(undefined), "production");
    assert.equal(modeOf("staging"), "production");
  });
});
