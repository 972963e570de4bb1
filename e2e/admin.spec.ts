import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page, Request } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../scripts/demo-accounts";
import { expect, fillLogin, newAccount, register, test } from "./fixtures";

// The test run's policy (scripts/test.sh): Billing 25 s idle, Admin 30 s (warning 20 s before), revalidation 2 s.
const KRATOS = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";
const ADMIN = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;

async function kratosWhoami(page: Page): Promise<number> {
  const cookies = (await page.context().cookies(KRATOS)).map((c) => `${c.name}=${c.value}`).join("; ");
  return (await fetch(`${KRATOS}/sessions/whoami`, { headers: { cookie: cookies } })).status;
}

/** A fresh browser (own cookies) signed in as the demo admin, on /admin. */
async function adminPage(browser: Browser, path = "/admin"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  // Admin pages warn after 10 s idle in the test policy: answer the warning whenever it gets in the way.
  await page.addLocatorHandler(page.getByRole("alertdialog"), async () => {
    await page.getByRole("button", { name: "I'm here, keep me signed in" }).click();
  });
  await page.goto(path);
  await fillLogin(page, ADMIN);
  await page.waitForURL(/\/admin/);
  await expect(page.getByTestId("admin-welcome")).toContainText(ADMIN.email);
  return page;
}

async function userPage(browser: Browser, prefix: string) {
  const page = await (await browser.newContext()).newPage();
  const account = newAccount(prefix);
  await register(page, account);
  return { page, account };
}

test("a non-admin gets 403 from the admin page, the insights API and the CSV export", async ({ page, account }) => {
  await register(page, account);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("audit-table")).toHaveCount(0);

  for (const path of [
    "/api/admin/insights",
    "/api/admin/audit.csv",
    "/api/admin/audit.csv?type=session_expired_idle",
  ]) {
    const r = await page.request.get(path);
    expect(r.status(), path).toBe(403);
    expect(await r.json()).toMatchObject({ error: "forbidden" });
  }
  // Signed out altogether: 401, never data.
  const anonymous = await page.context().browser()!.newContext();
  expect((await anonymous.request.get(new URL("/api/admin/insights", page.url()).toString())).status()).toBe(401);
  await anonymous.close();
});

test("an idle expiry on Billing shows up for the admin: filtered by the user's email, and in the chart", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page: user, account } = await userPage(browser, "idle");
  await user.goto("/billing");
  await expect(user.getByRole("heading", { name: "Billing", exact: true })).toBeVisible();
  // Idle past Billing's 25 s budget: the browser is sent to the signed-out page, Kratos ends the session.
  await user.waitForURL(/\/signed-out\?reason=idle/, { timeout: 45_000 });
  expect(await kratosWhoami(user)).toBe(401);

  const admin = await adminPage(browser);
  const filters = admin.getByRole("form", { name: "Audit log filters" });
  await filters.getByLabel("session_expired_idle", { exact: true }).check();
  await filters.getByLabel("User (email or identity id)").fill(account.email);
  await filters.getByRole("button", { name: "Filter" }).click();
  await admin.waitForURL(/user=/);

  const rows = admin.getByTestId("audit-row");
  await expect(rows.first()).toContainText("session_expired_idle");
  await expect(rows.first()).toContainText("Billing");
  for (const text of await rows.allTextContents()) expect(text).toContain("session_expired_idle");

  await admin.getByText("Data table: Sessions ended, by reason").click();
  const idleTotal = Number(await admin.getByTestId("chart-reasons-total-idle").textContent());
  expect(idleTotal).toBeGreaterThanOrEqual(1);
  await expect(
    admin
      .getByTestId("chart-reasons")
      .locator("svg rect title")
      .filter({ hasText: / idle$/ }),
  ).not.toHaveCount(0);

  const scan = await new AxeBuilder({ page: admin }).include("main").analyze();
  expect(
    scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`),
  ).toEqual([]);

  const insights = (await (await admin.request.get("/api/admin/insights?period=24h")).json()) as {
    expirationsByReason: { idle: number }[];
  };
  expect(insights.expirationsByReason.reduce((s, b) => s + b.idle, 0)).toBeGreaterThanOrEqual(1);

  const csv = await admin.request.get((await admin.getByTestId("audit-export").getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="security-audit-/);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("id,created_at,event_type,identity_id,session_id,area,page,metadata");
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines.slice(1).every((l) => l.includes(",session_expired_idle,"))).toBe(true);
});

test("'End all sessions' signs the user out everywhere; the same request from a non-admin is refused", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const { page: target, account } = await userPage(browser, "target");
  expect(await kratosWhoami(target)).toBe(200);

  const admin = await adminPage(browser);
  const form = admin.getByTestId("end-sessions-form");
  await form.getByLabel("User (email or identity id)").fill(account.email);
  const [action] = await Promise.all([
    admin.waitForRequest((r: Request) => r.method() === "POST" && r.headers()["next-action"] !== undefined),
    form.getByRole("button", { name: "End all sessions" }).click(),
  ]);
  await expect(admin.getByTestId("end-sessions-done")).toHaveText(`Ended all sessions of ${account.email}.`);
  expect(await kratosWhoami(target)).toBe(401);
  await target.waitForTimeout(2_500); // past the revalidation interval: the next request asks Kratos
  await target.goto("/dashboard");
  await expect(target).toHaveURL(/\/(signed-out|login)/);

  // The user signs in again (a new session); a non-admin replays the admin's exact request: 403, nothing ends.
  await target.goto("/dashboard");
  await fillLogin(target, account);
  await target.waitForURL(/\/dashboard/);
  expect(await kratosWhoami(target)).toBe(200);
  const replay = async (page: Page) =>
    page.request.post(action.url(), {
      headers: {
        "next-action": action.headers()["next-action"]!,
        "content-type": action.headers()["content-type"]!,
        accept: "text/x-component",
        origin: baseURL!,
      },
      data: action.postDataBuffer()!,
    });
  const { page: intruder } = await userPage(browser, "intruder");
  const refused = await replay(intruder);
  expect(refused.status()).toBe(403);
  expect(await kratosWhoami(target)).toBe(200);

  // The same bytes from the admin do end the sessions: the refusal above was the role check, not a bad replay.
  const accepted = await replay(admin);
  expect(accepted.status()).toBe(200);
  expect(await kratosWhoami(target)).toBe(401);
});
