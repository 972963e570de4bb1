/**
 * Many signed-in sessions at once, through the real Kratos: the admin API creates each identity, Kratos'
 * browser login flow (JSON) signs it in, and the session cookie is what the simulated browser sends.
 *
 * Cost: Kratos hashes passwords with bcrypt cost 10 (kratos/kratos.yml), about 0.1 s of CPU per hash and
 * again per sign-in on this 2-core machine, which is what makes hundreds of sessions slow to set up. The
 * identities are therefore created with an imported bcrypt hash of cost 4 (Kratos' admin API accepts
 * `hashed_password`, and verifies a hash at the cost it was made with): no hashing at creation and a cheap
 * check at sign-in. The login flow itself is the real one.
 */
import { randomUUID } from "node:crypto";
import { KRATOS_ADMIN_URL, sessionIdOf, signIn } from "./stack";

const PASSWORD = "integration-passphrase-42";
// bcrypt, cost 4, of PASSWORD (made with libxcrypt: crypt(3) "$2b$", rounds=16). A throwaway test secret.
const PASSWORD_HASH = "$2b$04$Aa/oLvM.Y4AzlKGfHbptmeqm7HWU7ESp4bNXfivBiSZ1/NKkKLDSS";

export interface SignedInSession {
  identityId: string;
  email: string;
  sessionId: string;
  /** the Kratos session cookie, as a browser would send it */
  cookie: string;
}

async function createCheapIdentity(): Promise<{ id: string; email: string }> {
  const email = `res-${randomUUID()}@example.com`;
  const response = await fetch(`${KRATOS_ADMIN_URL}/admin/identities`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      schema_id: "default",
      traits: { email, name: "Resilience user" },
      credentials: { password: { config: { hashed_password: PASSWORD_HASH } } },
      metadata_public: { role: "user" },
      state: "active",
    }),
  });
  if (response.status !== 201) throw new Error(`creating an identity failed: ${response.status} ${await response.text()}`);
  return { id: ((await response.json()) as { id: string }).id, email };
}

/** Creates `count` identities and signs each one in, a few at a time (Kratos and the app share 2 cores). */
export async function signInMany(count: number, opts: { concurrency?: number } = {}): Promise<SignedInSession[]> {
  const out: SignedInSession[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const identity = await createCheapIdentity();
      const cookie = await signIn({ email: identity.email, password: PASSWORD });
      out[i] = { identityId: identity.id, email: identity.email, sessionId: await sessionIdOf(cookie), cookie };
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, opts.concurrency ?? 6) }, worker));
  return out;
}
