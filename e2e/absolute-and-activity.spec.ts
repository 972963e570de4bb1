import type { Page } from "@playwright/test";
import { extraAppPort, startApp, type AppInstance } from "../test/helpers/processes";
import { fillLogin, register, test, expect, type Account } from "./fixtures";

/**
 * The absolute warning ("your session ends at …") and pointer movement as activity (policy.activity).
 * Pointer movement counting is the test run's policy (the preset's default). The absolute warning and
 * "movement does not count" need other budgets: an extra app instance (the same build, its own port and
 * policy, the run's Kratos and database; Kratos' sign-in pages stay on the main app). Its accounts sign in
 * there directly, so the main app (and its sweeper, with its own budgets) never sees their sessions.
 */
const KRATOS = process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4533";
const KRATOS_ADMIN = process.env.KRATOS_ADMIN_URL ?? "http://127.0.0.1:4534";
// The test run's policy (scripts/test.sh): normal pages 40 s idle, the warning 20 s before.
const IDLE_BUDGET_MS = 40_000;

/**
 * The extra instance: 90 s absolute from the first sign-in, warned 45 s before (room for a slow sign-in and
 * step-up on a loaded machine), 30 s idle, movement not activity.
 */
const ABSOLUTE_MS = 90_000;
const ABSOLUTE_WARNING_MS = 45_000;
const INSTANCE_POLICY = {
  absoluteSeconds: ABSOLUTE_MS / 1000,
  absoluteFrom: "sign-in",
  absoluteWarningSeconds: ABSOLUTE_WARNING_MS / 1000,
  idleDesktopSeconds: 30,
  idleMobileSeconds: 30,
  warningSeconds: 20,
  revalidateSeconds: 2,
  activityWriteSeconds: 2,
  sweepIntervalSeconds: 1,
  activity: { pointerMovement: false },
};

async function kratosSession(page: Page): Promise<{ status: number; issuedAt: number; authenticatedAt: number }> {
  const cookies = (await page.context().cookies(KRATOS)).map((c) => `${c.name}=${c.value}`).join("; ");
  const response = await fetch(`${KRATOS}/sessions/whoami`, { headers: { cookie: cookies } });
  if (response.status !== 200) return { status: response.status, issuedAt: NaN, authenticatedAt: NaN };
  const s = (await response.json()) as { issued_at: string; authenticated_at: string };
  return { status: 200, issuedAt: Date.parse(s.issued_at), authenticatedAt: Date.parse(s.authenticated_at) };
}

/** An account made through Kratos' admin API, signed in on `appUrl` (Kratos' form, then back to its dashboard). */
async function signInOn(page: Page, appUrl: string, account: Account, refresh = false): Promise<void> {
  if (!refresh) {
    const body = {
      schema_id: "default",
      traits: { email: account.email, name: account.name },
      credentials: { password: { config: { password: account.password } } },
    };
    const created = await fetch(`${KRATOS_ADMIN}/admin/identities`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(created.status).toBe(201);
  }
  await page.goto(`${appUrl}/login?${refresh ? "refresh=true&" : ""}return_to=/dashboard`);
  await fillLogin(page, account);
  await page.waitForURL(`${appUrl}/dashboard`);
}

async function serverIdleDeadline(page: Page): Promise<number> {
  return page.evaluate(
    async () => ((await (await fetch("/api/session")).json()) as { idleExpiresAt: number }).idleExpiresAt,
  );
}

/** Moves the mouse to a new spot every 2 s for `ms`, and nothing else. */
async function moveMouseFor(page: Page, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; Date.now() < until; i++) {
    await page.mouse.move(100 + (i % 20) * 15, 200 + (i % 7) * 10, { steps: 4 });
    await page.waitForTimeout(2_000);
  }
}

test("moving the mouse alone keeps a session alive past its idle budget (activity.pointerMovement on)", async ({
  page,
  account,
}) => {
  test.setTimeout(120_000);
  await register(page, account);
  const signedInAt = Date.now();
  const first = await serverIdleDeadline(page);
  await moveMouseFor(page, IDLE_BUDGET_MS + 15_000);
  expect(Date.now() - signedInAt).toBeGreaterThan(IDLE_BUDGET_MS + 10_000);
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect((await kratosSession(page)).status).toBe(200);
  expect(await serverIdleDeadline(page)).toBeGreaterThan(first + 25_000); // moved by the moves' heartbeats

  // The effective-policy table says both: what keeps you signed in, and where the absolute limit counts from.
  await page.goto("/settings");
  await expect(page.getByTestId("policy-activity")).toContainText("and moving the mouse");
  await expect(page.getByTestId("policy-absolute")).toContainText("after you signed in (signing in again");
});

test.describe("on an instance with a 90 s absolute lifetime from sign-in, where movement is not activity", () => {
  let app: AppInstance;
  test.beforeAll(async () => {
    app = await startApp({ port: extraAppPort(1), policy: INSTANCE_POLICY });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("moving the mouse alone does not keep the session: the idle warning comes", async ({ page, account }) => {
    test.setTimeout(90_000);
    await signInOn(page, app.url, account);
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    const first = await serverIdleDeadline(page);
    const moving = moveMouseFor(page, 30_000).catch(() => undefined); // the page may close first on a failure
    // Due 10 s after the last real activity (the page load): 30 s budget, warned 20 s before.
    await expect(page.getByRole("alertdialog", { name: "Are you still here?" })).toBeVisible({ timeout: 20_000 });
    expect(await serverIdleDeadline(page)).toBe(first);
    await moving;
  });

  test("after a step-up the absolute warning names sign-in + 90 s, Continue closes it, the session then ends", async ({
    page,
    account,
  }) => {
    test.setTimeout(180_000);
    await signInOn(page, app.url, account);
    const signedIn = await kratosSession(page);
    // Sign in again on the same session (Kratos refresh): authenticated_at moves, issued_at stays.
    await signInOn(page, app.url, account, true);
    const refreshed = await kratosSession(page);
    expect(refreshed.issuedAt).toBe(signedIn.issuedAt);
    expect(refreshed.authenticatedAt).toBeGreaterThan(signedIn.authenticatedAt);
    const deadline = signedIn.issuedAt + ABSOLUTE_MS;

    // Keys are activity whatever the policy says of movement: the 30 s idle budget never ends it first.
    const typing = (async () => {
      while (!page.isClosed() && !page.url().includes("/signed-out")) {
        await page.keyboard.press("Shift").catch(() => undefined);
        await page.waitForTimeout(3_000).catch(() => undefined);
      }
    })();
    const dialog = page.getByRole("alertdialog", { name: "Your session is about to end" });
    const warnAt = deadline - ABSOLUTE_WARNING_MS;
    expect(Date.now(), "signed in and stepped up before the warning was due").toBeLessThan(warnAt);
    await expect(dialog).toBeVisible({ timeout: warnAt + 5_000 - Date.now() });
    expect(Date.now()).toBeGreaterThan(warnAt - 2_000);
    await expect(dialog).toHaveAccessibleDescription(/^Your session ends at .+ signing in again do not extend it/);
    const endsAt = Date.parse((await page.getByTestId("absolute-ends-at").getAttribute("datetime")) ?? "");
    expect(Math.abs(endsAt - deadline)).toBeLessThan(2_000); // sign-in + 90 s, not the step-up's + 90 s
    await expect(dialog.getByRole("link", { name: "Sign in again now" })).toHaveCount(0);
    await expect(dialog.getByRole("button", { name: "Continue" })).toBeFocused();
    await dialog.getByRole("button", { name: "Continue" }).click();
    await expect(dialog).toBeHidden();

    await page.waitForURL(/\/signed-out\?reason=absolute/, { timeout: deadline + 10_000 - Date.now() });
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
    await typing;
    expect((await kratosSession(page)).status).toBe(401);
  });
});
