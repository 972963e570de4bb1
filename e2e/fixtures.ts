import { test as base, expect, type Page } from "@playwright/test";
import { recordTimeline } from "./timeline";

export interface Account {
  email: string;
  name: string;
  password: string;
}

let counter = 0;
export function newAccount(prefix = "e2e"): Account {
  counter += 1;
  return {
    email: `${prefix}-${Date.now()}-${process.pid}-${counter}@example.com`,
    name: `${prefix} user ${counter}`,
    password: "an-e2e-passphrase-that-is-long-42",
  };
}

/** Fills and sends the sign-up form; Kratos then shows its verification page (/verification?flow=…). */
export async function signUp(page: Page, account: Account): Promise<void> {
  await page.goto("/registration");
  await page.locator('input[name="traits.email"]').fill(account.email);
  await page.locator('input[name="traits.name"]').fill(account.name);
  await page.locator('input[name="password"]').fill(account.password);
  await page.getByRole("button", { name: /sign up/i }).click();
  await page.waitForURL(/\/verification\?flow=/);
}

/**
 * Registers through the real Kratos registration flow (one step), skips the address verification Kratos
 * asks for next (signed in already; e2e/email.spec.ts verifies) and waits for the dashboard.
 */
export async function register(page: Page, account: Account): Promise<void> {
  await signUp(page, account);
  await page.getByTestId("skip-verification").click();
  await page.waitForURL("**/dashboard");
}

/** Fills the Kratos login form the browser is on (after a redirect to /login?flow=...). */
export async function fillLogin(page: Page, account: Pick<Account, "email" | "password">): Promise<void> {
  await page.waitForURL(/\/login\?flow=/);
  const identifier = page.locator('input[name="identifier"]');
  if (await identifier.isVisible()) await identifier.fill(account.email);
  await page.locator('input[name="password"]').fill(account.password);
  await page.getByRole("button", { name: /^sign in( with password)?$/i }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^sign out$/i }).click();
  await page.waitForURL(/\/signed-out\?reason=manual/);
}

export const test = base.extend<{ account: Account; timeline: void }>({
  // On failure, what the browser did (e2e/timeline.ts).
  timeline: [
    async ({ context }, use, testInfo) => {
      const report = await recordTimeline(context);
      await use();
      await report(testInfo);
    },
    { auto: true },
  ],
  // eslint-disable-next-line no-empty-pattern
  account: async ({}, use) => {
    await use(newAccount());
  },
});

export { expect };
