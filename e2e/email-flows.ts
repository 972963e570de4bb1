/**
 * Real mail: Kratos' courier sends through mailpit's SMTP; the codes are read back from mailpit's HTTP API
 * (e2e/mailpit.ts) and typed into the app's /recovery and /verification pages. Parametrised by E2E_BASE_URL,
 * MAILPIT_API_URL and KRATOS_ADMIN_URL: declared by e2e/email.spec.ts and, behind Caddy, by
 * e2e/production/05-email.spec.ts (Playwright lets a spec declare tests from a function, not import a spec).
 */
import type { Page } from "@playwright/test";
import { reportFigure } from "../test/helpers/figures";
import { fillLogin, register, signOut, signUp, test, expect, type Account } from "./fixtures";
import { codeIn, mailTo } from "./mailpit";

const KRATOS_ADMIN = process.env.KRATOS_ADMIN_URL ?? "http://127.0.0.1:4534";
const KRATOS_PUBLIC = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";
const SUBMIT = /^(submit|continue)$/i;

async function addressVerified(email: string): Promise<boolean | undefined> {
  const r = await fetch(`${KRATOS_ADMIN}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
  const [identity] = (await r.json()) as { verifiable_addresses?: { value: string; verified: boolean }[] }[];
  return identity?.verifiable_addresses?.find((a) => a.value === email)?.verified;
}

/** Signs in from /login with these credentials; resolves to where the browser ends up. */
async function signInFromLogin(page: Page, account: Pick<Account, "email" | "password">) {
  await page.goto("/login");
  await fillLogin(page, account);
}

export function emailTests(): void {
  test("forgot password: a code by mail, a new password; the old one fails", async ({ page, account }) => {
    await register(page, account);
    // That session stays signed in "on another device"; this browser forgets it and recovers the account.
    const otherDevice = (await page.context().cookies(KRATOS_PUBLIC)).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await fetch(`${KRATOS_PUBLIC}/sessions/whoami`, { headers: { cookie: otherDevice } })).status).toBe(200);
    // Leave the app first: an open page would see its session vanish and navigate on its own.
    await page.goto("about:blank");
    await page.context().clearCookies();

    const started = Date.now();
    await page.goto("/login");
    await page.waitForURL(/\/login\?flow=/);
    await page.getByRole("link", { name: /forgot password/i }).click();
    await page.waitForURL(/\/recovery\?flow=/);
    await page.locator('input[name="email"]').fill(account.email);
    await page.getByRole("button", { name: SUBMIT }).click();
    const requested = Date.now();
    const mail = await mailTo(account.email, /recover access/i);
    const mailMs = Date.now() - requested;
    await page.locator('input[name="code"]').fill(codeIn(mail));
    await page.getByRole("button", { name: SUBMIT }).click();

    // Recovery signs the user in (a privileged session) and lands in settings to set a new password; the
    // settings page is protected, so this also proves the gate let the recovery session through.
    await page.waitForURL(/\/settings\?flow=/);
    await expect(page.getByRole("heading", { name: "Settings", exact: true })).toBeVisible();
    const renewed = { email: account.email, password: "a-recovered-passphrase-that-is-new-77" };
    await page.locator('input[name="password"]').fill(renewed.password);
    await page
      .locator('form:has(input[name="password"])')
      .getByRole("button", { name: /^save$/i })
      .click();
    // Saved: Kratos sends the browser on to the flow's return_to (the dashboard, from the sign-in page).
    await page.waitForURL("**/dashboard");
    // The reset signed every other session out (kratos.yml: recovery.after revoke_active_sessions).
    expect((await fetch(`${KRATOS_PUBLIC}/sessions/whoami`, { headers: { cookie: otherDevice } })).status).toBe(401);
    await signOut(page);

    await signInFromLogin(page, account);
    await expect(page.getByText(/credentials are invalid/i)).toBeVisible();
    expect(new URL(page.url()).pathname).toBe("/login");

    await signInFromLogin(page, renewed);
    await page.waitForURL("**/dashboard");
    await expect(page.getByTestId("welcome")).toContainText(account.name);
    reportFigure("e2e email", "recovery: request -> code in mailpit (ms)", mailMs);
    reportFigure("e2e email", "recovery: forgot link -> signed in with new (ms)", Date.now() - started);
  });

  test("registration sends a verification code that verifies the address", async ({ page, account }) => {
    await signUp(page, account);
    // Signed in already: signing in does not wait for verification (docs/decisions.md).
    expect(await addressVerified(account.email)).toBe(false);
    const mail = await mailTo(account.email, /verify your email/i);
    // The mail's link names the flow this page shows.
    const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
    expect(link ? new URL(link).searchParams.get("flow") : null).toBe(new URL(page.url()).searchParams.get("flow"));

    // A wrong code is refused and verifies nothing.
    await page.locator('input[name="code"]').fill("000000");
    await page.getByRole("button", { name: SUBMIT }).click();
    await expect(page.getByText(/code is invalid or has already been used/i)).toBeVisible();
    expect(await addressVerified(account.email)).toBe(false);

    await page.locator('input[name="code"]').fill(codeIn(mail));
    await page.getByRole("button", { name: SUBMIT }).click();
    await expect(page.getByText(/you successfully verified your email address/i)).toBeVisible();
    expect(await addressVerified(account.email)).toBe(true);
    await page.getByRole("link", { name: /continue/i }).click();
    await page.waitForURL("**/dashboard");
    await expect(page.getByTestId("welcome")).toContainText(account.name);
  });
}
