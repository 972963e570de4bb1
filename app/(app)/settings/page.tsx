import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SettingsCard } from "@/components/auth/flow-card";
import { flowParams, type SearchParams } from "@/lib/auth/search-params";
import { verifySession } from "@/lib/auth/verify-session";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { browserFlowUrl, getSettingsFlow } from "@/lib/kratos/flows";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: SearchParams }) {
  await verifySession();
  const params = flowParams.parse(await searchParams);
  if (!params.flow) redirect(browserFlowUrl("settings"));
  const result = await getSettingsFlow(params.flow, (await headers()).get("cookie") ?? "");
  if (result.status === "restart") redirect(browserFlowUrl("settings"));
  return (
    <>
      <h1>Settings</h1>
      <section aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <SettingsCard flow={result.flow} config={elementsConfig()} />
      </section>
    </>
  );
}
