"use client";
/**
 * Client wrappers around @ory/elements-react's themed cards. The pages fetch the flow on the server and
 * hand it (plain JSON) to these components.
 */
import type { FlowError, LoginFlow, RecoveryFlow, RegistrationFlow } from "@ory/client-fetch";
import type { SettingsFlow, VerificationFlow } from "@ory/client-fetch";
import type { OryClientConfiguration } from "@ory/elements-react";
import {
  Error as OryErrorCard,
  Login,
  Recovery,
  Registration,
  Settings,
  Verification,
} from "@ory/elements-react/theme";

type Props<T> = { flow: T; config: OryClientConfiguration };

export function LoginCard({ flow, config }: Props<LoginFlow>) {
  return <Login flow={flow} config={config} />;
}

export function RegistrationCard({ flow, config }: Props<RegistrationFlow>) {
  return <Registration flow={flow} config={config} />;
}

export function RecoveryCard({ flow, config }: Props<RecoveryFlow>) {
  return <Recovery flow={flow} config={config} />;
}

export function VerificationCard({ flow, config }: Props<VerificationFlow>) {
  return <Verification flow={flow} config={config} />;
}

export function SettingsCard({ flow, config }: Props<SettingsFlow>) {
  return <Settings flow={flow} config={config} />;
}

export function ErrorCard({ error, config }: { error: FlowError; config: OryClientConfiguration }) {
  return <OryErrorCard error={error} config={config} />;
}
