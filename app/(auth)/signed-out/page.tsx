import Link from "next/link";
import { z } from "zod";
import type { SearchParams } from "@/lib/auth/search-params";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import { areaFor } from "@/lib/policy/idle-rule";
import { safeReturnPath } from "@/lib/security/return-to";

export const metadata = { title: "Signed out" };

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const params = z.object({
  reason: z.preprocess(first, z.enum(["idle", "absolute", "manual", "revoked"]).catch("manual")),
  // The page where the idle budget ran out; only its area's label is shown, never the raw value.
  area: z.preprocess(first, z.string().max(200).optional().catch(undefined)),
  minutes: z.preprocess(first, z.coerce.number().int().min(0).max(100_000).optional().catch(undefined)),
  return_to: z.preprocess(first, z.string().max(2048).optional().catch(undefined)),
});

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export default async function SignedOutPage({ searchParams }: { searchParams: SearchParams }) {
  const p = params.parse(await searchParams);
  const policy = readPolicy();
  const back = safeReturnPath(p.return_to, readEdgeEnv().APP_URL);
  const area = p.area && p.area.startsWith("/") ? areaFor(p.area, policy).area.label : undefined;
  const where = area && area !== "normal pages" ? ` on ${area}` : "";
  const message = {
    idle:
      p.minutes !== undefined
        ? `You were signed out after ${plural(p.minutes, "minute")} of inactivity${where}.`
        : `You were signed out after a period of inactivity${where}.`,
    absolute: `You were signed out because your session reached its maximum length of ${plural(Math.round(policy.absoluteSeconds / 3600), "hour")}.`,
    manual: "You have signed out.",
    revoked: "Your session was ended by an administrator or from another device.",
  }[p.reason];
  const login = `/login${back ? `?return_to=${encodeURIComponent(back)}` : ""}`;
  return (
    <main className="auth-page">
      <section className="card" aria-labelledby="signed-out-title">
        <h1 id="signed-out-title">Signed out</h1>
        <p data-testid="signed-out-message">{message}</p>
        {p.reason !== "manual" && <p>This protects your account when you step away. Nothing was lost on our side.</p>}
        <p>
          <Link className="button" href={login}>
            Sign in again
          </Link>
        </p>
      </section>
    </main>
  );
}
