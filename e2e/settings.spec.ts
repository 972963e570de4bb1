import AxeBuilder from "@axe-core/playwright";
import { DEMO_ACCOUNTS } from "../scripts/demo-accounts";
import { fillLogin, register, test, expect } from "./fixtures";

const KRATOS_ADMIN = process.env.KRATOS_ADMIN_URL ?? "http://127.0.0.1:4534";

async function trait(email: string): Promise<unknown> {
  const r = await fetch(`${KRATOS_ADMIN}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
  const [identity] = (await r.json()) as { traits: Record<string, unknown> }[];
  return identity?.traits.idle_timeout_minutes;
}

test("choosing 'Auto sign-out after 15 minutes' is stored in Kratos and applies from the next request", async ({
  page,
  account,
}) => {
  await register(page, account);
  await page.goto("/settings");
  await page.getByLabel("15 minutes", { exact: true }).check();
  await page.getByRole("button", { name: "Save auto sign-out" }).click();
  await expect(page.getByTestId("idle-pref-saved")).toContainText("Saved");
  expect(await trait(account.email)).toBe(15);
  // The test run maps the "15 minutes" choice to 30 s (IDLE_POLICY preferenceSeconds), so it can be observed.
  // The action re-issues the record with the choice; a heartbeat already in flight (the clicks are activity)
  // can answer after it with the record it started from, and then the next check with Kratos (at most
  // revalidateSeconds later: 2 s in this run) reads the choice from the trait. That is the stated bound.
  await expect
    .poll(
      async () =>
        (await page.evaluate(async () => (await (await fetch("/api/session")).json()) as { idleBudgetSeconds: number }))
          .idleBudgetSeconds,
      {
        timeout: 8_000,
      },
    )
    .toBe(30);
  await expect(page.getByTestId("policy-table")).toContainText("Normal pages30 seconds");

  // Known upstream gap: @ory/elements-react 1.2.1 renders the TOTP secret as an unlabelled read-only input
  // inside its settings card. Everything else on the page, ours and Ory's, is scanned.
  const scan = await new AxeBuilder({ page }).include("main").exclude('input[name="totp_secret_key"]').analyze();
  expect(
    scan.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
});

test("bad values are refused with a clear error and nothing is written", async ({ page, account }) => {
  await register(page, account);
  await page.goto("/settings");
  for (const bad of ["7", "-1", "abc", "100000", ""]) {
    await page.evaluate((value) => {
      const radio = document.querySelector<HTMLInputElement>('input[name="idle_timeout_minutes"][value="30"]')!;
      radio.checked = true;
      radio.value = value;
    }, bad);
    await page.getByRole("button", { name: "Save auto sign-out" }).click();
    await expect(page.locator("#idle-pref-error")).toHaveText("Choose Never, 15, 30 or 60 minutes.");
    await page.reload();
  }
  // Missing altogether: no option chosen.
  await page.evaluate(() =>
    document.querySelectorAll<HTMLInputElement>('input[name="idle_timeout_minutes"]').forEach((r) => r.remove()),
  );
  await page.getByRole("button", { name: "Save auto sign-out" }).click();
  await expect(page.locator("#idle-pref-error")).toHaveText("Choose Never, 15, 30 or 60 minutes.");
  expect(await trait(account.email)).toBeUndefined();
});

test("an admin sees the options above the cap disabled, with the reason", async ({ page }) => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  await page.goto("/settings");
  await fillLogin(page, admin);
  await page.waitForURL(/\/settings/);
  await expect(page.getByLabel("Never", { exact: true })).toBeDisabled();
  await expect(page.getByLabel("30 minutes", { exact: true })).toBeDisabled();
  await expect(page.getByLabel("15 minutes", { exact: true })).toBeEnabled();
  await expect(page.getByText("administrators are signed out after at most").first()).toBeVisible();
});

test("step-up before changing billing details keeps what was typed, then needs a fresh confirmation", async ({
  page,
  account,
}) => {
  test.setTimeout(90_000);
  await register(page, account);
  await page.waitForTimeout(11_000); // on the dashboard: past the test run's 10 s step-up window, within its 40 s budget
  await page.goto("/billing");
  await page.getByLabel("Company").fill("Acme Health Ltd");
  await page.getByLabel("Billing email").fill("billing@acme.example");
  await page.getByLabel("VAT ID (optional)").fill("DE123456789");
  await page.getByRole("button", { name: "Save billing details" }).click();

  await page.waitForURL(/\/login\?flow=/);
  await fillLogin(page, account);
  await page.waitForURL(/\/billing\?resume=1/);
  await expect(page.getByTestId("billing-restored")).toBeVisible();
  await expect(page.getByLabel("Company")).toHaveValue("Acme Health Ltd");
  await expect(page.getByLabel("Billing email")).toHaveValue("billing@acme.example");
  await expect(page.getByLabel("VAT ID (optional)")).toHaveValue("DE123456789");
  await expect(page.getByText("Billing details saved.")).toHaveCount(0); // nothing ran without the confirmation

  await page.getByRole("button", { name: "Save billing details" }).click();
  await expect(page.getByText("Billing details saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Company")).toHaveValue("Acme Health Ltd");
});

test("billing details with bad input: a clear error per field, nothing saved", async ({ page, account }) => {
  await register(page, account);
  await page.goto("/billing");
  await page.getByLabel("Company").fill("");
  await page.getByLabel("Billing email").fill("not-an-email");
  await page.getByLabel("VAT ID (optional)").fill("123");
  await page.getByRole("button", { name: "Save billing details" }).click();
  await expect(page.getByText("Enter the company name.")).toBeVisible();
  await expect(page.getByText("Enter an email address such as billing@example.com.")).toBeVisible();
  await expect(page.getByText("A VAT ID starts with a country code")).toBeVisible();
  await expect(page.getByText("Billing details saved.")).toHaveCount(0);
  await page.evaluate(() => localStorage.clear()); // the unsaved draft is kept in the browser on purpose
  await page.reload();
  await expect(page.getByLabel("Billing email")).toHaveValue("");
});

test("an unsaved billing draft survives an idle sign-out and comes back after signing in; a manual sign-out clears it", async ({
  page,
  account,
}) => {
  test.setTimeout(120_000);
  await register(page, account);
  await page.goto("/billing");
  await page.getByLabel("Company").fill("Draft Clinic GmbH");
  // Walk away: Billing's 25 s budget runs out and the tab signs itself out.
  await expect(page).toHaveURL(/\/signed-out\?reason=idle/, { timeout: 60_000 });
  await page.getByRole("link", { name: "Sign in again" }).click();
  await fillLogin(page, account);
  await page.waitForURL(/\/billing$/);
  await expect(page.getByTestId("billing-draft")).toBeVisible();
  await expect(page.getByLabel("Company")).toHaveValue("Draft Clinic GmbH");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signed-out\?reason=manual/);
  await page.goto("/billing");
  await fillLogin(page, account);
  await page.waitForURL(/\/billing$/);
  await expect(page.getByTestId("billing-draft")).toHaveCount(0);
  await expect(page.getByLabel("Company")).toHaveValue("");
});
