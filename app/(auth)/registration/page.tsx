import { redirect } from "next/navigation";
import { RegistrationCard } from "@/components/auth/flow-card";
import { flowParams, type SearchParams } from "@/lib/auth/search-params";
import { readEdgeEnv } from "@/lib/config/env.js";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { browserKratosCookies, browserFlowUrl, getRegistrationFlow } from "@/lib/kratos/flows";
import { returnUrl } from "@/lib/security/return-to";

export const metadata = { title: "Create an account" };

export default async function RegistrationPage({ searchParams }: { searchParams: SearchParams }) {
  const params = flowParams.parse(await searchParams);
  const start = () => browserFlowUrl("registration", { returnTo: returnUrl(params.return_to, readEdgeEnv().APP_URL) });
  if (!params.flow) redirect(start());
  const result = await getRegistrationFlow(params.flow, await browserKratosCookies());
  if (result.status === "restart") redirect(start());
  return (
    <main className="auth-page">
      <RegistrationCard flow={result.flow} config={elementsConfig()} />
    </main>
  );
}
