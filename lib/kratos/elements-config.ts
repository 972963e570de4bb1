import type { OryClientConfiguration } from "@ory/elements-react";
import { readEdgeEnv } from "@/lib/config/env.js";

/**
 * Configuration for @ory/elements-react against the self-hosted Kratos. The forms submit from the browser
 * straight to Kratos' public URL (CORS allows the app's origin); the UI URLs are this app's pages.
 */
export function elementsConfig(): OryClientConfiguration {
  const { APP_URL, KRATOS_PUBLIC_URL } = readEdgeEnv();
  const app = new URL(APP_URL).origin;
  return {
    sdk: { url: KRATOS_PUBLIC_URL, options: { credentials: "include" } },
    project: {
      name: "Idle Sign-out",
      default_redirect_url: `${app}/dashboard`,
      error_ui_url: `${app}/error`,
      login_ui_url: `${app}/login`,
      registration_ui_url: `${app}/registration`,
      settings_ui_url: `${app}/settings`,
      recovery_ui_url: `${app}/login`,
      verification_ui_url: `${app}/login`,
      registration_enabled: true,
      recovery_enabled: false,
      verification_enabled: false,
    },
  };
}
