import { redirect } from "next/navigation";
import { LoginCard } from "@/components/auth/flow-card";
import { flowParams, type SearchParams } from "@/lib/auth/search-params";
import { readEdgeEnv } from "@/lib/config/env.js";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { browserKratosCookies, browserFlowUrl, getLoginFlow } from "@/lib/kratos/flows";
import { returnUrl } from "@/lib/security/return-to";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = flowParams.parse(await searchParams);
  const start = () =>
    browserFlowUrl("login", {
      // Same-origin only: anything else falls back to the dashboard (never followed).
      returnTo: returnUrl(params.return_to, readEdgeEnv().APP_URL),
      refresh: params.refresh === "true",
      aal: params.aal,
    });
  if (!params.flow) redirect(start());
  const result = await getLoginFlow(params.flow, await browserKratosCookies());
  if (result.status === "restart") redirect(start());
  return (
    <main className="auth-page">
      <LoginCard flow={result.flow} config={elementsConfig()} />
    </main>
  );
}
