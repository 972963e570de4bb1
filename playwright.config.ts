import { defineConfig } from "@playwright/test";

/**
 * Playwright drives Debian's Chromium (no browser download): scripts/test.sh installs the `chromium`
 * package where it is missing and passes its path in CHROMIUM_PATH. The stack under test (Kratos + Next on
 * their own ports) is started by scripts/test.sh, never by Playwright, so it never collides with `npm run dev`.
 */
const baseURL = process.env.E2E_BASE_URL ?? "http://localhost:3100";

/** Launch flags that work for Debian's Chromium here (also used by e2e/production/playwright.config.ts). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export default defineConfig({
  testDir: "e2e",
  // The production shape has its own stack and config (scripts/test-production.sh).
  testIgnore: "production/**",
  forbidOnly: true,
  retries: 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON ?? "test-results/e2e.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
});
