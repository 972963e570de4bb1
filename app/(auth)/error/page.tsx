import Link from "next/link";
import { ErrorCard } from "@/components/auth/flow-card";
import { errorParams, type SearchParams } from "@/lib/auth/search-params";
import { elementsConfig } from "@/lib/kratos/elements-config";
import { getFlowError } from "@/lib/kratos/flows";

export const metadata = { title: "Something went wrong" };

export default async function ErrorPage({ searchParams }: { searchParams: SearchParams }) {
  const { id } = errorParams.parse(await searchParams);
  const result = id ? await getFlowError(id) : { status: "restart" as const };
  return (
    <main className="auth-page">
      {result.status === "ok" ? (
        <ErrorCard error={result.flow} config={elementsConfig()} />
      ) : (
        <section className="card">
          <h1>Something went wrong</h1>
          <p>This sign-in link has expired or is not valid.</p>
          <Link href="/login">Sign in</Link>
        </section>
      )}
    </main>
  );
}
