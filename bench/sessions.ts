/**
 * Real Kratos sessions for the load: identities created through the admin API, each signed in through
 * Kratos' browser login flow (JSON variant, like a browser without JavaScript), with the same helpers the
 * integration tests use.
 */
import { createUser, signIn } from "../test/helpers/stack";

export interface BenchSession {
  /** `ory_kratos_session=...` */
  kratosCookie: string;
  email: string;
}

export async function signInMany(count: number, parallel = 8): Promise<BenchSession[]> {
  const sessions: BenchSession[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const user = await createUser();
      sessions.push({ kratosCookie: await signIn(user), email: user.email });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return sessions;
}
