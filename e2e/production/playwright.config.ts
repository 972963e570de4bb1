import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS } from "../../playwright.config";

/**
 * The production stage (scripts/test-production.sh): Chromium against the one HTTPS origin that Caddy
 * serves with its local CA. Certificate errors are ignored in this project only; Node's own fetches trust
 * the CA through NODE_EXTRA_CA_CERTS. The specs run in order: the last ones stop and restart processes.
 */
export default defineConfig({
  testDir: ".",
  testMatch: /\d\d-.*\.spec\.ts$/,
  forbidOnly: true,
  retries: 0,
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON ?? "test-results/production.json" }]],
  use: {
    baseURL: process.env.APP_URL,
    ignoreHTTPSErrors: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
  },
});
