import { redirect } from "next/navigation";
import { CookiesOff } from "@/components/auth/cookies-off";
import { RegistrationCard } from "@/components/auth/flow-card";
import { afterCsrfFailure, flowStartUrl, retryPath } from "@/lib/auth/flow-restart";
import { flowParams, type SearchParams } from "@/lib/auth/search-params";
import { withAppOwnedFields } from "@/lib/kratos/app-owned-fields";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { browserKratosCookies, getRegistrationFlow } from "@/lib/kratos/flows";

export const metadata = { title: "Create an account" };

export default async function RegistrationPage({ searchParams }: { searchParams: SearchParams }) {
  const params = flowParams.parse(await searchParams);
  if (params.cookies === "off") return <CookiesOff retry={retryPath("registration", params)} />;
  if (!params.flow) redirect(flowStartUrl("registration", params));
  const result = await getRegistrationFlow(params.flow, await browserKratosCookies());
  if (result.status === "restart") {
    if (!result.csrf) redirect(flowStartUrl("registration", params));
    await afterCsrfFailure("registration", params); // redirects unless a restart was already spent
    return <CookiesOff retry={retryPath("registration", params)} />;
  }
  return (
    <main className="auth-page">
      <RegistrationCard flow={withAppOwnedFields(result.flow, "omitted")} config={elementsConfig()} />
    </main>
  );
}
