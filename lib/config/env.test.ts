/**
 * lib/config/env.js: the SESSION_SECRET strength check, the loopback default of APP_INTERNAL_URL, and the
 * Kratos session cookie's persistence per preset.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ConfigError, readEdgeEnv, readServerEnv, secretWeakness, sessionCookiePersistent } from "./env.js";
import { PRESETS } from "./policy-config.js";

const GOOD = "9f2c41d87be03a5f6c1e84d09b7a23e5c6f18d42a0b97e3c51d8f26a04be79c3"; // openssl rand -hex 32

function rejects(secret: string): string {
  try {
    readEdgeEnv({ SESSION_SECRET: secret });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(secret)}`);
}

describe("SESSION_SECRET strength", () => {
  it("accepts what `openssl rand -hex 32` and `-base64 32` give (200 fresh values each, and 32-character hex)", () => {
    for (let i = 0; i < 200; i++) {
      for (const secret of [
        randomBytes(32).toString("hex"),
        randomBytes(32).toString("base64"),
        randomBytes(16).toString("hex"),
      ]) {
        assert.equal(secretWeakness(secret), null, secret);
      }
    }
    assert.equal(readEdgeEnv({ SESSION_SECRET: GOOD }).SESSION_SECRET, GOOD);
  });

  const weak: { name: string; secret: string; why: RegExp }[] = [
    { name: "31 characters", secret: GOOD.slice(0, 31), why: /shorter than 32/ },
    { name: "one character repeated", secret: "a".repeat(64), why: /fewer than 8 different/ },
    { name: "a two-character pattern", secret: "ab".repeat(20), why: /fewer than 8 different/ },
    { name: "a 12-character pattern repeated", secret: "k3J9xQ2mZ7pW".repeat(3), why: /repeats a pattern of 12/ },
    {
      name: "a 16-character pattern and a bit",
      secret: `${"4f9a1c7e2b8d3h6k".repeat(2)}4f9`,
      why: /repeats a pattern of 16/,
    },
    {
      name: "the hex alphabet twice",
      secret: "0123456789abcdef0123456789abcdef",
      why: /repeats a pattern|consecutive/,
    },
    { name: "a counting run", secret: `x7Q${"abcdefghijklmnop"}Zr4Kt9Lw2Mv8Ns`, why: /run of 8 consecutive/ },
    { name: "a descending run", secret: `x7Q${"zyxwvuts"}Zr4Kt9Lw2Mv8Ns5Pq3Rj6Ys1`, why: /run of 8 consecutive/ },
    { name: '"changeme" padded', secret: "changeme-changeme-changeme-1234567", why: /placeholder "changeme"/ },
    { name: '"CHANGE_ME" in capitals', secret: `CHANGE_ME_${GOOD.slice(0, 30)}`, why: /placeholder "change_me"/ },
    { name: "a sentence with secret", secret: "this is my super secret session key 42", why: /placeholder "secret"/ },
    { name: "a password", secret: `Password123!${GOOD.slice(0, 24)}`, why: /placeholder "password"/ },
    { name: "an example value", secret: `example-${GOOD.slice(0, 40)}`, why: /placeholder "example"/ },
  ];
  for (const w of weak) {
    it(`${w.name} → refused, saying why and what to set`, () => {
      assert.match(secretWeakness(w.secret) ?? "", w.why);
      const message = rejects(w.secret);
      assert.match(message, /SESSION_SECRET: is too weak/);
      assert.match(message, /openssl rand -hex 32/);
      assert.ok(!message.includes(w.secret), "the message never repeats the secret");
    });
  }

  it("missing → refused with what to set", () => {
    assert.throws(
      () => readEdgeEnv({}),
      (e: Error) => e instanceof ConfigError && /SESSION_SECRET: is required.*openssl rand -hex 32/.test(e.message),
    );
  });

  it("the server schema applies the same check", () => {
    assert.throws(() => readServerEnv({ SESSION_SECRET: "z".repeat(40) }), /SESSION_SECRET: is too weak/);
  });
});

describe("APP_INTERNAL_URL: loopback by default, never the public origin", () => {
  it("unset, with PORT (next start --port) → http://127.0.0.1:<PORT>", () => {
    const env = readEdgeEnv({ SESSION_SECRET: GOOD, APP_URL: "https://app.example.com", PORT: "3300" });
    assert.equal(env.APP_INTERNAL_URL, "http://127.0.0.1:3300");
  });

  it("unset, without PORT → loopback on APP_URL's port (80/443 when it has none)", () => {
    assert.equal(
      readEdgeEnv({ SESSION_SECRET: GOOD, APP_URL: "http://localhost:3100" }).APP_INTERNAL_URL,
      "http://127.0.0.1:3100",
    );
    assert.equal(
      readEdgeEnv({ SESSION_SECRET: GOOD, APP_URL: "https://app.example.com" }).APP_INTERNAL_URL,
      "http://127.0.0.1:443",
    );
    assert.equal(
      readServerEnv({ SESSION_SECRET: GOOD, KRATOS_HOOK_SECRET: GOOD }).APP_INTERNAL_URL,
      "http://127.0.0.1:3000",
    );
  });

  it("the server also needs KRATOS_HOOK_SECRET, as random as SESSION_SECRET, and names it when missing or weak", () => {
    assert.throws(() => readServerEnv({ SESSION_SECRET: GOOD }), /KRATOS_HOOK_SECRET: is required/);
    assert.throws(
      () => readServerEnv({ SESSION_SECRET: GOOD, KRATOS_HOOK_SECRET: "changeme-changeme-changeme-changeme" }),
      /KRATOS_HOOK_SECRET: is too weak/,
    );
  });

  it("set → used as given", () => {
    const env = readEdgeEnv({ SESSION_SECRET: GOOD, APP_INTERNAL_URL: "http://10.0.0.5:3000", PORT: "3300" });
    assert.equal(env.APP_INTERNAL_URL, "http://10.0.0.5:3000");
  });

  it("a PORT that is not a port → refused", () => {
    assert.throws(() => readEdgeEnv({ SESSION_SECRET: GOOD, PORT: "http" }), /PORT/);
    assert.throws(() => readEdgeEnv({ SESSION_SECRET: GOOD, PORT: "70000" }), /PORT/);
  });
});

describe("Kratos session cookie: browser-session cookie for the shared-device presets", () => {
  const expected: Record<string, boolean> = {
    default: true,
    "pci-dss": false,
    "nist-aal2": false,
    "nist-aal3": false,
    banking: false,
  };

  it("every preset states its choice", () => {
    assert.deepEqual(Object.keys(PRESETS).sort(), Object.keys(expected).sort());
  });

  for (const [preset, persistent] of Object.entries(expected)) {
    it(`${preset} → persistent ${persistent}`, () => {
      assert.equal(sessionCookiePersistent({ IDLE_POLICY_PRESET: preset }), persistent);
    });
  }

  it("KRATOS_SESSION_COOKIE_PERSISTENT overrides the preset; anything but true/false is refused", () => {
    assert.equal(
      sessionCookiePersistent({ IDLE_POLICY_PRESET: "banking", KRATOS_SESSION_COOKIE_PERSISTENT: "true" }),
      true,
    );
    assert.equal(sessionCookiePersistent({ KRATOS_SESSION_COOKIE_PERSISTENT: "false" }), false);
    assert.throws(
      () => sessionCookiePersistent({ KRATOS_SESSION_COOKIE_PERSISTENT: "yes" }),
      /KRATOS_SESSION_COOKIE_PERSISTENT/,
    );
  });
});
