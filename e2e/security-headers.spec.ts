/**
 * The CSP blocks nothing the app itself uses: a real browser goes through sign-up, the dashboard, settings
 * (@ory/elements-react's card and a server action), the idle warning dialog, sign-out and the Kratos login
 * form, and not one `securitypolicyviolation` event (nor a "Refused to ..." console message, nor a
 * Permissions-Policy parse error) may occur. The listener is installed before any page script runs.
 */
import type { Page } from "@playwright/test";
import { reportFigure } from "../test/helpers/figures";
import { fillLogin, register, signOut, test, expect } from "./fixtures";

// The test run's policy (scripts/test.sh) maps "15 minutes" to 30 s, the warning 20 s before the end.
const WARNING_AFTER_MS = 10_000;

interface Violation {
  url: string;
  directive: string;
  blocked: string;
  sample: string;
}

async function watchCsp(
  page: Page,
): Promise<{ violations: Violation[]; console: string[]; scripted: () => Promise<boolean> }> {
  const violations: Violation[] = [];
  const console: string[] = [];
  await page.exposeFunction("__reportCspViolation", (v: Violation) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (v: unknown) => void }).__reportCspViolation({
        url: location.href,
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
      });
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to|Permissions-Policy|Permissions policy/i.test(m.text()))
      console.push(`${page.url()}: ${m.text()}`);
  });
  // A page whose scripts ran has hydrated: Next's router is there.
  const scripted = () => page.evaluate(() => typeof (window as unknown as { next?: unknown }).next === "object");
  return { violations, console, scripted };
}

test("sign-up, dashboard, settings, the warning dialog, sign-out and sign-in: zero CSP violations", async ({
  page,
  account,
}) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  const visited = new Set<string>();
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) visited.add(new URL(f.url()).pathname);
  });

  await page.goto("/login");
  await expect(page.locator('input[name="password"]')).toBeVisible();
  expect(await csp.scripted()).toBe(true);

  await register(page, account);
  expect(await csp.scripted()).toBe(true);

  await page.goto("/settings");
  await expect(page.locator('input[name="traits.email"]')).toBeVisible(); // elements-react's settings card
  await page.getByLabel("15 minutes", { exact: true }).check();
  await page.getByRole("button", { name: "Save auto sign-out" }).click();
  await expect(page.getByTestId("idle-pref-saved")).toContainText("Saved");

  await page.goto("/dashboard");
  const dialog = page.getByRole("alertdialog", { name: "Are you still here?" });
  await expect(dialog).toBeVisible({ timeout: WARNING_AFTER_MS + 20_000 });
  await page.getByRole("button", { name: "I'm here, keep me signed in" }).click();
  await expect(dialog).toBeHidden();

  await signOut(page);
  await page.getByRole("link", { name: "Sign in again" }).click();
  await fillLogin(page, account);
  await page.waitForURL("**/dashboard");
  expect(await csp.scripted()).toBe(true);

  reportFigure("headers", "e2e pages visited (CSP watched)", visited.size);
  reportFigure("headers", "CSP violations (e2e)", csp.violations.length);
  expect(csp.violations).toEqual([]);
  expect(csp.console).toEqual([]);
  expect([...visited]).toEqual(
    expect.arrayContaining(["/login", "/registration", "/dashboard", "/settings", "/signed-out"]),
  );

  // Control: the watcher does see a violation (an image from a host the policy does not list).
  await page.evaluate(() => {
    const img = document.createElement("img");
    img.src = "https://csp-control.invalid/pixel.png";
    document.body.append(img);
  });
  await expect.poll(() => csp.violations.map((v) => v.directive)).toEqual(["img-src"]);
});
