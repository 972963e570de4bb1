import "server-only";
/**
 * The self-service pages (sign-in, sign-up, account recovery, email verification): one shape for all four.
 * Each loads Kratos' flow on the server (lib/auth/flow-page.ts) and renders @ory/elements-react's card for it
 * in the same frame, or the "cookies needed" page when this browser does not send Kratos' CSRF cookie back.
 */
import Link from "next/link";
import type { ComponentType, ReactNode } from "react";
import type { RegistrationFlow } from "@ory/client-fetch";
import type { OryClientConfiguration } from "@ory/elements-react";
import { CookiesOff } from "@/components/auth/cookies-off";
import { LoginCard, RecoveryCard, RegistrationCard, VerificationCard } from "@/components/auth/flow-card";
import { loadFlowPage } from "@/lib/auth/flow-page";
import type { RestartableFlow } from "@/lib/auth/flow-restart";
import type { SearchParams } from "@/lib/auth/search-params";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { withAppOwnedFields } from "@/lib/kratos/app-owned-fields";
import type { FlowResult } from "@/lib/kratos/flows";
import { getLoginFlow, getRecoveryFlow, getRegistrationFlow, getVerificationFlow } from "@/lib/kratos/flows";

type Card<T> = ComponentType<{ flow: T; config: OryClientConfiguration }>;

type Loader<T> = (id: string, cookie: string) => Promise<FlowResult<T>>;

function flowPage<T>(kind: RestartableFlow, load: Loader<T>, FlowCard: Card<T>, aside?: ReactNode) {
  return async function SelfServicePage({ searchParams }: { searchParams: SearchParams }) {
    const page = await loadFlowPage(kind, searchParams, load);
    if (page.status === "cookies-off") return <CookiesOff retry={page.retry} />;
    const card = <FlowCard flow={page.flow} config={elementsConfig()} />;
    return (
      <main className="auth-page">
        {aside ? (
          <div className="auth-stack">
            {card}
            {aside}
          </div>
        ) : (
          card
        )}
      </main>
    );
  };
}

/**
 * Kratos sends a new account here after sign-up (continue_with show_verification_ui). Verifying is not
 * required to use the app (docs/decisions.md), so the page says how to skip it; signed out, the dashboard
 * asks to sign in first.
 */
const skipVerification = (
  <p className="muted">
    <Link href="/dashboard" data-testid="skip-verification">
      Skip for now
    </Link>{" "}
    (the code stays valid for an hour)
  </p>
);

export const LoginPage = flowPage("login", getLoginFlow, LoginCard);
/** Sign-up without the fields the app owns (the idle timeout is chosen in settings: lib/kratos/app-owned-fields.ts). */
const getRegistrationForm: Loader<RegistrationFlow> = async (id, cookie) => {
  const result = await getRegistrationFlow(id, cookie);
  return result.status === "ok" ? { ...result, flow: withAppOwnedFields(result.flow, "omitted") } : result;
};

export const RegistrationPage = flowPage("registration", getRegistrationForm, RegistrationCard);
export const RecoveryPage = flowPage("recovery", getRecoveryFlow, RecoveryCard);
export const VerificationPage = flowPage("verification", getVerificationFlow, VerificationCard, skipVerification);
