import { register, test, expect } from "./fixtures";

// The test run's policy (scripts/test.sh) gives Billing a 25 s idle ceiling.
const BILLING_BUDGET_MS = 25_000;

test("walk away on Billing: the tab signs itself out at the deadline, and Back shows nothing protected", async ({
  page,
  account,
  context,
}) => {
  test.setTimeout(90_000);
  await register(page, account);
  await page.goto("/billing");
  await expect(page.getByRole("heading", { name: "Billing", exact: true })).toBeVisible();

  // No input: the warning comes, then at the deadline the browser asks the server, which ends the session.
  const walkedAway = Date.now();
  // The tab itself goes to the signed-out page at the deadline (no navigation by the test).
  await page.waitForURL(/\/signed-out\?reason=idle/, { timeout: BILLING_BUDGET_MS + 8_000, waitUntil: "commit" });
  expect(Date.now() - walkedAway).toBeGreaterThan(BILLING_BUDGET_MS - 3_000);
  await expect(page.getByTestId("signed-out-message")).toHaveText(
    "You were signed out after 25 seconds of inactivity on Billing.",
  );

  await expect(page.getByRole("link", { name: "Sign in again" })).toHaveAttribute(
    "href",
    "/login?return_to=%2Fbilling",
  );

  // Kratos itself no longer knows the session.
  const kratos = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";
  const cookies = (await context.cookies(kratos)).map((c) => `${c.name}=${c.value}`).join("; ");
  const whoami = await fetch(`${kratos}/sessions/whoami`, { headers: { cookie: cookies } });
  expect(whoami.status).toBe(401);

  // Back must not show protected content (no-store; a bfcache restore re-checks with the server).
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Billing", exact: true })).toHaveCount(0);
  await expect(page).not.toHaveURL(/\/billing$/);
});
