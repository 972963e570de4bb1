import type { Page } from "@playwright/test";
import { register, test, expect } from "./fixtures";

/*
 * Issue 13, item 6: the /signed-out page announces "signed out" to the other tabs, and anyone can link to
 * it. A tab must leave its page only when the server says the session really ended; a plain link opened
 * in another tab must not take a live session's tabs (and their half-typed forms) away.
 * (A real sign-out moving the other tabs is e2e/warning.spec.ts' "two tabs" test.)
 */
const KRATOS = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";

async function kratosWhoami(page: Page): Promise<number> {
  const cookies = (await page.context().cookies(KRATOS)).map((c) => `${c.name}=${c.value}`).join("; ");
  return (await fetch(`${KRATOS}/sessions/whoami`, { headers: { cookie: cookies } })).status;
}

test("a plain link to /signed-out?reason=revoked leaves a live session's tabs where they are", async ({
  page,
  account,
  context,
}) => {
  await register(page, account);
  await page.goto("/billing");
  const company = page.locator('input[name="company"]');
  await company.fill("Half-typed Ltd");
  const other = await context.newPage();
  await other.goto("/dashboard");
  await expect(other.getByRole("heading", { name: "Dashboard" })).toBeVisible();

  // The link, opened in a third tab (as from a mail or another site).
  const third = await context.newPage();
  await third.goto("/signed-out?reason=revoked");
  await expect(third.getByTestId("signed-out-message")).toHaveText(
    "Your session was ended by an administrator or from another device.",
  );

  // Well past the 2 s a real sign-out takes to move them (e2e/warning.spec.ts).
  await page.waitForTimeout(5_000);
  await expect(page).toHaveURL(/\/billing$/);
  await expect(company).toHaveValue("Half-typed Ltd");
  await expect(other).toHaveURL(/\/dashboard$/);
  expect(await kratosWhoami(page)).toBe(200);
  // And the session still works for both tabs.
  expect(await page.evaluate(async () => (await fetch("/api/session")).status)).toBe(200);
});
