import { redirect } from "next/navigation";
import { SettingsCard } from "@/components/auth/flow-card";
import { DeleteAccountForm } from "@/components/settings/delete-account-form";
import { IdlePreferenceForm, type PreferenceOption } from "@/components/settings/idle-preference-form";
import { PolicyTable } from "@/components/settings/policy-table";
import { flowParams, type SearchParams } from "@/lib/auth/search-params";
import { verifySession } from "@/lib/auth/verify-session";
import { readPolicy } from "@/lib/config/env.js";
import { describeSeconds } from "@/lib/format/duration";
import { IDLE_TRAIT_FIELD, withAppOwnedFields } from "@/lib/kratos/app-owned-fields";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { browserKratosCookies, browserFlowUrl, getSettingsFlow } from "@/lib/kratos/flows";
import { IDLE_PREFERENCES, adminMayChoose } from "@/lib/policy/idle-rule";
import { deleteAccount, updateIdlePreference } from "./actions";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await verifySession();
  const policy = readPolicy();
  const params = flowParams.parse(await searchParams);
  // Kratos' settings flow (profile, password) needs a flow id; start one and come back here.
  if (!params.flow) redirect(browserFlowUrl("settings"));
  const result = await getSettingsFlow(params.flow, await browserKratosCookies());
  if (result.status === "restart") redirect(browserFlowUrl("settings"));

  const cap = describeSeconds(policy.adminCapSeconds);
  const options: PreferenceOption[] = IDLE_PREFERENCES.map((value) => {
    return {
      value,
      label: value === 0 ? "Never" : `${value} minutes`,
      disabledReason:
        session.role === "admin" && !adminMayChoose(value, policy)
          ? `administrators are signed out after at most ${cap}`
          : null,
    };
  });

  return (
    <>
      <h1>Settings</h1>
      <section aria-labelledby="idle-title">
        <h2 id="idle-title">Automatic sign-out</h2>
        <IdlePreferenceForm action={updateIdlePreference} options={options} current={session.preference ?? null} />
        <PolicyTable
          subject={{ role: session.role, preference: session.preference, device: session.device }}
          policy={policy}
          absoluteDeadline={session.absoluteDeadline}
        />
      </section>
      <section aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <SettingsCard
          flow={withAppOwnedFields(result.flow, { [IDLE_TRAIT_FIELD]: session.preference ?? null })}
          config={elementsConfig()}
        />
      </section>
      <section aria-labelledby="danger-title">
        <h2 id="danger-title">Delete account</h2>
        <p className="muted">This cannot be undone. We ask you to confirm it&apos;s you first.</p>
        <DeleteAccountForm identityId={session.identityId} action={deleteAccount} />
      </section>
    </>
  );
}
