import type { Page } from "@playwright/test";
import { register, test, expect } from "./fixtures";

// The test run's policy (scripts/test.sh): normal pages 40 s idle, the warning 20 s before.
const IDLE_BUDGET_MS = 40_000;
const WARNING_AFTER_MS = 20_000;
const KRATOS = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";
const MB = 1024 * 1024;
/** The upload must outlast the idle budget: 100 MB at this rate takes about 55 s. */
const UPLOAD_SECONDS = 55;

async function kratosWhoami(page: Page): Promise<number> {
  const cookies = (await page.context().cookies(KRATOS)).map((c) => `${c.name}=${c.value}`).join("; ");
  return (await fetch(`${KRATOS}/sessions/whoami`, { headers: { cookie: cookies } })).status;
}

test("a 100 MB upload that outlasts the idle budget keeps the session; idle counting resumes afterwards", async ({
  page,
  account,
}) => {
  test.setTimeout(180_000);
  await register(page, account);
  await page.goto("/dashboard/upload");
  await expect(page.getByRole("heading", { name: "Upload" })).toBeVisible();
  await expect(page.getByText("You won't be signed out for inactivity while an upload is running")).toBeVisible();

  // Slow the browser's uploads (DevTools network emulation, in bytes per second) so the upload takes ~55 s.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: 100 * MB, // effectively unthrottled
    uploadThroughput: Math.round((100 * MB) / UPLOAD_SECONDS),
  });

  // Record whether the warning ever opens (a MutationObserver, so a brief flash is not missed).
  await page.evaluate(() => {
    const w = window as unknown as { __warned: boolean };
    w.__warned = false;
    const check = () => {
      if (document.querySelector("[data-testid=idle-warning][open]")) w.__warned = true;
    };
    new MutationObserver(check).observe(document.body, {
      attributes: true,
      subtree: true,
      childList: true,
      attributeFilter: ["open"],
    });
    check();
  });

  await page.getByRole("button", { name: "Generate a 100 MB test file" }).click();
  await expect(page.getByTestId("upload-file")).toContainText("100 MB");
  const started = Date.now();
  await page.getByRole("button", { name: "Upload", exact: true }).click();

  // Progress is visible and moves while it runs (the label is the progress bar's accessible name).
  const progress = page.getByRole("progressbar", { name: "Upload progress" });
  await expect(progress).toBeVisible();
  await expect.poll(async () => Number(await progress.getAttribute("value")), { timeout: 30_000 }).toBeGreaterThan(0);

  // No input from here on: only the lease keeps the session alive.
  const result = page.getByTestId("upload-result");
  await expect(result).toHaveText("Uploaded 100 MB.", { timeout: 150_000 });
  const took = Date.now() - started;
  expect(took, "the upload must outlast the idle budget for this test to mean anything").toBeGreaterThan(
    IDLE_BUDGET_MS + 5_000,
  );
  await expect(page.getByTestId("upload-percent")).toHaveText("100%");

  expect(
    await page.evaluate(() => (window as unknown as { __warned: boolean }).__warned),
    "the idle warning opened during the upload",
  ).toBe(false);
  await expect(page).toHaveURL(/\/dashboard\/upload$/);
  expect(await kratosWhoami(page)).toBe(200);

  // Idle counting resumes from the end of the upload: the server's idle deadline is one budget after it,
  // and with no input the warning comes about 20 s later.
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const ended = Date.now();
  const status = await page.evaluate(
    async () => (await (await fetch("/api/session")).json()) as { serverNow: number; idleExpiresAt: number },
  );
  const left = status.idleExpiresAt - status.serverNow;
  // Counted from the start of the upload (over 45 s ago) it would already be past; from its end, nearly whole.
  expect(left, "the idle clock restarted when the upload ended").toBeGreaterThan(IDLE_BUDGET_MS - 10_000);
  expect(left).toBeLessThanOrEqual(IDLE_BUDGET_MS);
  await expect(page.getByRole("alertdialog", { name: "Are you still here?" })).toBeVisible({
    timeout: WARNING_AFTER_MS + 8_000,
  });
  expect(Date.now() - ended).toBeGreaterThan(WARNING_AFTER_MS - 5_000);
});
