/**
 * The screenshots in docs/screenshots/ (shown in docs/architecture.md, "The browser side") from the running
 * app (Debian's Chromium): the idle warning, the signed-out page and the settings page. Run against the
 * test stack (short budgets make the warning appear in seconds):
 *   bash scripts/stack.sh &   # wait for "stack up"
 *   . .stack/test/env && node --import tsx scripts/screenshots.ts
 */
import { chromium } from "@playwright/test";

const base = process.env.E2E_BASE_URL ?? process.env.APP_URL ?? "http://localhost:3100";
const out = "docs/screenshots";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  await page.goto(`${base}/registration`);
  await page.locator('input[name="traits.email"]').fill(`screens-${Date.now()}@example.com`);
  await page.locator('input[name="traits.name"]').fill("Dana Example");
  await page.locator('input[name="password"]').fill("a-screenshot-passphrase-42");
  await page.getByRole("button", { name: /sign up/i }).click();
  await page.waitForURL(/\/verification\?flow=/); // Kratos asks to verify the address next
  await page.getByTestId("skip-verification").click();
  await page.waitForURL("**/dashboard");

  await page.goto(`${base}/settings`);
  await page.getByRole("heading", { name: "Automatic sign-out" }).waitFor();
  await page.screenshot({ path: `${out}/settings.png`, fullPage: true });

  await page.goto(`${base}/dashboard`);
  await page.getByRole("alertdialog").waitFor({ timeout: 120_000 });
  await page.waitForTimeout(2_500);
  await page.screenshot({ path: `${out}/warning.png` });

  await page.goto(`${base}/signed-out?reason=idle&area=/billing&after=300&return_to=/billing`);
  await page.screenshot({ path: `${out}/signed-out.png` });
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
}
