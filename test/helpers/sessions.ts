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

export interface Identity {
  id: string;
  email: string;
}

async function createCheapIdentity(): Promise<Identity> {
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
  if (response.status !== 201)
    throw new Error(`creating an identity failed: ${response.status} ${await response.text()}`);
  return { id: ((await response.json()) as { id: string }).id, email };
}

/** Runs `work` for 0..count-1, a few at a time (Kratos and the app share 2 cores). */
async function inBatches<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) out[i] = await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, worker));
  return out;
}

export function createIdentities(count: number, opts: { concurrency?: number } = {}): Promise<Identity[]> {
  return inBatches(count, opts.concurrency ?? 6, () => createCheapIdentity());
}

/** Signs an identity in through Kratos' login flow: a new session. */
export async function signInAs(identity: Identity): Promise<SignedInSession> {
  const cookie = await signIn({ email: identity.email, password: PASSWORD });
  return { identityId: identity.id, email: identity.email, sessionId: await sessionIdOf(cookie), cookie };
}

/** Creates `count` identities and signs each one in. */
export async function signInMany(count: number, opts: { concurrency?: number } = {}): Promise<SignedInSession[]> {
  return inBatches(count, opts.concurrency ?? 6, async () => signInAs(await createCheapIdentity()));
}
