import { fillLogin, register, signOut, test, expect } from "./fixtures";

test("register, sign out, and a protected page returns after sign-in", async ({ page, account }) => {
  await register(page, account);
  await expect(page.getByTestId("welcome")).toContainText(account.name);

  const kratos = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";
  const before = (await page.context().cookies(kratos)).map((c) => `${c.name}=${c.value}`).join("; ");
  await signOut(page);
  await expect(page.getByTestId("signed-out-message")).toHaveText("You have signed out.");
  // The sign-out really happened in Kratos: the old session cookie is dead (not just a page change).
  expect((await fetch(`${kratos}/sessions/whoami`, { headers: { cookie: before } })).status).toBe(401);

  await page.goto("/billing");
  await fillLogin(page, account);
  await page.waitForURL("**/billing");
  await expect(page.getByRole("heading", { name: "Billing", exact: true })).toBeVisible();
});

test("a non-admin gets 403 on /admin", async ({ page, account }) => {
  await register(page, account);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("admin-welcome")).toHaveCount(0);
});

test("sign-in never follows a foreign return_to", async ({ page, account }) => {
  await register(page, account);
  await signOut(page);
  await page.goto("/login?return_to=https://evil.example/steal");
  await fillLogin(page, account);
  await page.waitForURL("**/dashboard");
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL ?? "http://localhost:3100").host);
});
