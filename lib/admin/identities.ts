import "server-only";
/**
 * Who an admin means: an email address (looked up in Kratos) or an identity id.
 * Throws KratosUnavailableError when Kratos cannot answer (callers say so; never "no such user").
 */
import { describeError, identityApi, requestInit, statusOf } from "@/lib/kratos/client";
import { findIdentityByEmail } from "@/lib/kratos/admin";
import { KratosUnavailableError } from "@/lib/kratos/types";
import type { UserRef } from "./filters";

export interface Target {
  id: string;
  email: string | null;
}

/**
 * The identity id to filter the audit trail by. An id is taken as given: the audit trail outlives deleted
 * identities, so their rows must stay reachable. null: no identity has that email.
 */
export async function identityIdFor(ref: UserRef): Promise<string | null> {
  if ("identityId" in ref) return ref.identityId;
  return (await findIdentityByEmail(ref.email))?.id ?? null;
}

/** An identity that exists in Kratos now (for actions on it), or null. */
export async function existingIdentity(ref: UserRef): Promise<Target | null> {
  if ("email" in ref) {
    const found = await findIdentityByEmail(ref.email);
    return found ? { id: found.id, email: found.email } : null;
  }
  try {
    const identity = await identityApi().getIdentity({ id: ref.identityId }, requestInit());
    const email = (identity.traits as Record<string, unknown> | undefined)?.email;
    return { id: identity.id, email: typeof email === "string" ? email : null };
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw new KratosUnavailableError(`looking up an identity failed (${describeError(error)})`);
  }
}
