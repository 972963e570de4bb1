import { redirect } from "next/navigation";
import { CookiesOff } from "@/components/auth/cookies-off";
import { LoginCard } from "@/components/auth/flow-card";
import { afterCsrfFailure, flowStartUrl, retryPath } from "@/lib/auth/flow-restart";
import { flowParams, type SearchParams } from "@/lib/auth/search-params";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { browserKratosCookies, getLoginFlow } from "@/lib/kratos/flows";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = flowParams.parse(await searchParams);
  if (params.cookies === "off") return <CookiesOff retry={retryPath("login", params)} />;
  // Same-origin return_to only: anything else falls back to the dashboard (never followed).
  if (!params.flow) redirect(flowStartUrl("login", params));
  const result = await getLoginFlow(params.flow, await browserKratosCookies());
  if (result.status === "restart") {
    if (!result.csrf) redirect(flowStartUrl("login", params));
    await afterCsrfFailure("login", params); // redirects unless a restart was already spent
    return <CookiesOff retry={retryPath("login", params)} />;
  }
  return (
    <main className="auth-page">
      <LoginCard flow={result.flow} config={elementsConfig()} />
    </main>
  );
}
