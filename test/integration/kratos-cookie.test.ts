/**
 * Kratos' session cookie follows the app's preset (issue 13, smaller items): persistent for the default
 * preset (Kratos' own default), a browser-session cookie (no Expires, no Max-Age: gone when the browser
 * closes) for the shared-device presets. scripts/lib.sh passes SESSION_COOKIE_PERSISTENT to Kratos from
 * lib/config/policy-config.js; this starts a second Kratos with IDLE_POLICY_PRESET=banking to see it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { reportFigure } from "../helpers/figures";
import { extraAppPort, extraKratosPorts, kratosInstance, type KratosInstance } from "../helpers/processes";
import { createUser, KRATOS_PUBLIC_URL, type TestUser } from "../helpers/stack";

/** Kratos' browser login flow (JSON variant) on `publicUrl`: the raw Set-Cookie line of the session cookie. */
async function sessionSetCookie(publicUrl: string, user: TestUser): Promise<string> {
  const init = await fetch(`${publicUrl}/self-service/login/browser`, { headers: { accept: "application/json" } });
  assert.equal(init.status, 200, await init.clone().text());
  const flow = (await init.json()) as {
    id: string;
    ui: { nodes: { attributes: { name?: string; value?: string } }[] };
  };
  const csrf = flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value;
  const submit = await fetch(`${publicUrl}/self-service/login?flow=${flow.id}`, {
    method: "POST",
    headers: {
      accept: "application/json",
      "content-type": "application/json",
      cookie: init.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; "),
    },
    body: JSON.stringify({ method: "password", identifier: user.email, password: user.password, csrf_token: csrf }),
  });
  assert.equal(submit.status, 200, await submit.clone().text());
  const line = submit.headers.getSetCookie().find((c) => c.startsWith("ory_kratos_session="));
  assert.ok(line, "a session cookie was set");
  return line;
}

const persistent = (setCookie: string) => /;\s*(expires|max-age)=/i.test(setCookie);

describe("Kratos session cookie persistence per preset", () => {
  let shared: KratosInstance;
  let user: TestUser;

  before(async () => {
    const { publicPort, adminPort } = extraKratosPorts();
    shared = kratosInstance(publicPort, adminPort, `http://localhost:${extraAppPort(3)}`, {
      IDLE_POLICY_PRESET: "banking",
    });
    [user] = await Promise.all([createUser("user"), shared.start()]);
  });
  after(async () => {
    await shared?.stop();
  });

  it("default preset (the test stack's Kratos): persistent, as Kratos' default", async () => {
    const line = await sessionSetCookie(KRATOS_PUBLIC_URL, user);
    assert.ok(persistent(line), `expected Expires or Max-Age: ${line.replace(/=[^;]+/, "=…")}`);
  });

  it("banking preset: a browser-session cookie (no Expires, no Max-Age)", async () => {
    const line = await sessionSetCookie(shared.publicUrl, user);
    reportFigure(
      "kratos-cookie",
      "banking preset session cookie attributes",
      line
        .split(";")
        .slice(1)
        .map((a) => a.trim().split("=")[0])
        .join(", "),
    );
    assert.ok(!persistent(line), `expected no Expires and no Max-Age: ${line.replace(/=[^;]+/, "=…")}`);
  });
});
