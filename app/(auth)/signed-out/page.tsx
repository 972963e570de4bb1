import Link from "next/link";
import { SignedOutBeacon } from "@/components/idle/signed-out-beacon";
import { z } from "zod";
import type { SearchParams } from "@/lib/auth/search-params";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import { describeSeconds } from "@/lib/format/duration";
import { areaFor } from "@/lib/policy/idle-rule";
import { safeReturnPath } from "@/lib/security/return-to";

export const metadata = { title: "Signed out" };

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const params = z.object({
  reason: z.preprocess(first, z.enum(["idle", "absolute", "manual", "revoked", "deleted"]).catch("manual")),
  // The page where the idle budget ran out; only its area's label is shown, never the raw value.
  area: z.preprocess(first, z.string().max(200).optional().catch(undefined)),
  /** the idle budget that ran out, in seconds */
  after: z.preprocess(first, z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined)),
  return_to: z.preprocess(first, z.string().max(2048).optional().catch(undefined)),
});

export default async function SignedOutPage({ searchParams }: { searchParams: SearchParams }) {
  const p = params.parse(await searchParams);
  const policy = readPolicy();
  const back = safeReturnPath(p.return_to, readEdgeEnv().APP_URL);
  const area = p.area && p.area.startsWith("/") ? areaFor(p.area, policy).area.label : undefined;
  const where = area && area !== "normal pages" ? ` on ${area}` : "";
  const message = {
    idle:
      p.after !== undefined
        ? `You were signed out after ${describeSeconds(p.after)} of inactivity${where}.`
        : `You were signed out after a period of inactivity${where}.`,
    absolute: `You were signed out because your session reached its maximum length of ${describeSeconds(policy.absoluteSeconds)}.`,
    manual: "You have signed out.",
    revoked: "Your session was ended by an administrator or from another device.",
    deleted: "Your account has been deleted and you are signed out.",
  }[p.reason];
  const login = `/login${back ? `?return_to=${encodeURIComponent(back)}` : ""}`;
  return (
    <main className="auth-page">
      <SignedOutBeacon url={`/signed-out?reason=${p.reason}`} />
      <section className="card" aria-labelledby="signed-out-title">
        <h1 id="signed-out-title">Signed out</h1>
        <p data-testid="signed-out-message">{message}</p>
        {(p.reason === "idle" || p.reason === "absolute" || p.reason === "revoked") && (
          <p>This protects your account when you step away. Nothing was lost on our side.</p>
        )}
        <p>
          <Link className="button" href={login}>
            Sign in again
          </Link>
        </p>
      </section>
    </main>
  );
}
