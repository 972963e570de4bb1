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
    // The one-step sign-in card puts its recovery link by the email field as "Recover Account"; people look
    // for "Forgot password?".
    intl: { locale: "en", customTranslations: { en: { "forms.label.recover-account": "Forgot password?" } } },
    project: {
      name: "Idle Sign-out",
      default_redirect_url: `${app}/dashboard`,
      error_ui_url: `${app}/error`,
      login_ui_url: `${app}/login`,
      registration_ui_url: `${app}/registration`,
      settings_ui_url: `${app}/settings`,
      recovery_ui_url: `${app}/recovery`,
      verification_ui_url: `${app}/verification`,
      registration_enabled: true,
      // Recovery shows "Forgot password?" on the sign-in card; both send codes by mail (kratos/kratos.yml).
      recovery_enabled: true,
      verification_enabled: true,
    },
  };
}
