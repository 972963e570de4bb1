/**
 * Signing in on the production shape: one HTTPS origin (Caddy), Kratos under /.ory/ without --dev, two
 * app instances. What the browser itself stored is asserted (context.cookies(): the attributes Chromium
 * accepted, not the Set-Cookie text), with the headers that arrive through the proxy.
 */
import { expect, register, signOut, test } from "../fixtures";
import { reportFigure } from "../../test/helpers/figures";
import { APP_PORTS, ORIGIN, upstreamOf, whoami } from "./stack";

const HSTS = "max-age=31536000";

test("sign-in over HTTPS on one origin: Secure, HttpOnly, SameSite cookies; HSTS and CSP through Caddy", async ({
  page,
  context,
  account,
}) => {
  const origins = new Set<string>();
  page.on("request", (request) => origins.add(new URL(request.url()).origin));

  await register(page, account);
  const dashboard = await page.goto("/dashboard");
  expect(dashboard?.status()).toBe(200);
  expect([...origins], "the browser talked to one origin only (Kratos under /.ory/)").toEqual([ORIGIN]);

  // Headers as they arrive through Caddy: one HSTS header, the app's nonce CSP intact, the instance named.
  const headers = await dashboard!.headersArray();
  const named = (name: string) => headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  expect(named("strict-transport-security")).toEqual([HSTS]);
  const csp = named("content-security-policy");
  expect(csp).toHaveLength(1);
  expect(csp[0]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'/);
  expect(csp[0]).toContain("form-action 'self';");
  expect(csp[0]).toContain("upgrade-insecure-requests");
  expect(named("x-frame-options")).toEqual(["DENY"]);
  expect(APP_PORTS.map((_, i) => upstreamOf(i + 1))).toContain(named("x-upstream")[0]);
  const kratos = await page.request.get("/.ory/sessions/whoami");
  expect(kratos.status()).toBe(200);
  expect(kratos.headers()["strict-transport-security"]).toBe(HSTS);
  expect(((await kratos.json()) as { identity: { traits: { email: string } } }).identity.traits.email).toBe(
    account.email,
  );

  // The cookies Chromium holds for the origin.
  const jar = await context.cookies(ORIGIN);
  const session = jar.find((c) => c.name === "ory_kratos_session");
  const csrf = jar.find((c) => c.name.startsWith("csrf_token_"));
  const activity = jar.find((c) => c.name === "idle_act");
  for (const [label, cookie] of [
    ["Kratos session", session],
    ["Kratos CSRF", csrf],
    ["app activity record", activity],
  ] as const) {
    expect(cookie, `${label} cookie present`).toBeDefined();
    reportFigure(
      "production",
      `cookie ${cookie!.name.slice(0, 24)} (${label})`,
      `Secure=${cookie!.secure} HttpOnly=${cookie!.httpOnly} SameSite=${cookie!.sameSite} ` +
        `Path=${cookie!.path} Domain=${cookie!.domain}`,
    );
    expect(cookie!.secure, `${label}: Secure`).toBe(true);
    expect(cookie!.httpOnly, `${label}: HttpOnly`).toBe(true);
    expect(cookie!.sameSite, `${label}: SameSite`).toBe("Lax");
    expect(cookie!.path, `${label}: the whole origin`).toBe("/");
    expect(cookie!.domain, `${label}: host-only on the origin`).toBe("localhost");
  }

  // A server action (sign out) behind the proxy: Next's Origin/Host check passes, Kratos ends the session.
  const kratosCookie = `ory_kratos_session=${session!.value}`;
  expect((await whoami(kratosCookie)).status).toBe(200);
  await signOut(page);
  expect((await whoami(kratosCookie)).status).toBe(401);
});

test("Kratos' CSRF check holds behind the proxy; its admin API and internal channel are off the origin", async ({
  request,
}) => {
  const init = await request.get("/.ory/self-service/login/browser", { headers: { accept: "application/json" } });
  expect(init.status()).toBe(200);
  const flow = (await init.json()) as { id: string; ui: { action: string } };
  expect(flow.ui.action.startsWith(`${ORIGIN}/.ory/self-service/login?flow=`), "Kratos knows its public URL").toBe(
    true,
  );
  // The same flow posted without the anti-CSRF cookie Kratos set (a new, empty cookie jar): refused.
  const forged = await fetch(`${ORIGIN}/.ory/self-service/login?flow=${flow.id}`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      method: "password",
      identifier: "someone@example.com",
      password: "whatever-it-is-42",
      csrf_token: "forged",
    }),
  });
  expect(forged.status).toBe(403);
  expect(await forged.text()).toContain("security_csrf_violation");

  // Neither Kratos' admin API nor the app's internal channel is routed by the proxy.
  for (const path of [
    "/.ory/admin/identities",
    "/.ory/admin/health/ready",
    "/api/internal/activity",
    "/api/internal/events",
  ]) {
    const closed = await fetch(`${ORIGIN}${path}`);
    expect(closed.status, `${path} is not served on the public origin`).toBe(404);
    expect(closed.headers.get("x-upstream"), `${path} never reached an app instance`).toBeNull();
    await closed.body?.cancel();
  }
});
