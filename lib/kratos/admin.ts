/**
 * Kratos admin API calls. Web APIs only, so the Edge gate can revoke a session itself.
 * IMPORTANT: the admin API has no authentication of its own: it must only be reachable on loopback.
 */
import type { JsonPatch } from "@ory/client-fetch";
import { describeError, identityApi, requestInit, statusOf } from "./client";
import { KratosUnavailableError } from "./types";

/** Revokes one session (Kratos keeps the row, active=false). Idempotent: an unknown session is not an error. */
export async function revokeSession(sessionId: string): Promise<void> {
  try {
    await identityApi().disableSession({ id: sessionId }, requestInit());
  } catch (error) {
    if (statusOf(error) === 404) return;
    throw new KratosUnavailableError(`revoking a session failed (${describeError(error)})`);
  }
}

/** Revokes every session of an identity. */
export async function revokeIdentitySessions(identityId: string): Promise<void> {
  try {
    await identityApi().deleteIdentitySessions({ id: identityId }, requestInit());
  } catch (error) {
    if (statusOf(error) === 404) return;
    throw new KratosUnavailableError(`revoking sessions failed (${describeError(error)})`);
  }
}

export interface IdentitySummary {
  id: string;
  email: string;
  role: "user" | "admin";
  traits: Record<string, unknown>;
}

export async function findIdentityByEmail(email: string): Promise<IdentitySummary | null> {
  try {
    const list = await identityApi().listIdentities({ credentialsIdentifier: email }, requestInit());
    const identity = list[0];
    if (!identity) return null;
    const traits = (identity.traits ?? {}) as Record<string, unknown>;
    const meta = (identity.metadata_public ?? {}) as Record<string, unknown>;
    return {
      id: identity.id,
      email: String(traits.email ?? ""),
      role: meta.role === "admin" ? "admin" : "user",
      traits,
    };
  } catch (error) {
    throw new KratosUnavailableError(`looking up an identity failed (${describeError(error)})`);
  }
}

export async function createPasswordIdentity(input: {
  email: string;
  name: string;
  password: string;
  role: "user" | "admin";
  /** The address counts as verified (the demo accounts: nobody reads their mail). */
  verified?: boolean;
}): Promise<string> {
  try {
    const identity = await identityApi().createIdentity(
      {
        createIdentityBody: {
          schema_id: "default",
          traits: { email: input.email, name: input.name },
          credentials: { password: { config: { password: input.password } } },
          metadata_public: { role: input.role },
          state: "active",
          ...(input.verified
            ? { verifiable_addresses: [{ value: input.email, via: "email", verified: true, status: "completed" }] }
            : {}),
        },
      },
      requestInit(),
    );
    return identity.id;
  } catch (error) {
    throw new KratosUnavailableError(`creating an identity failed (${describeError(error)})`);
  }
}

/**
 * Sets an identity's role. Roles live in metadata_public (users cannot edit it), whose only key is the role:
 * the whole object is replaced, so a missing metadata_public is no special case.
 */
export async function setRole(identityId: string, role: "user" | "admin"): Promise<void> {
  await patchIdentity(identityId, [{ op: "add", path: "/metadata_public", value: { role } }]);
}

/** Applies a JSON Patch to an identity (never PUT: updateIdentity wipes metadata it is not given). */
export async function patchIdentity(identityId: string, patch: JsonPatch[]): Promise<void> {
  try {
    await identityApi().patchIdentity({ id: identityId, jsonPatch: patch }, requestInit());
  } catch (error) {
    throw new KratosUnavailableError(`updating an identity failed (${describeError(error)})`);
  }
}

/** Deletes an identity and, with it, its sessions and credentials. */
export async function deleteIdentity(identityId: string): Promise<void> {
  try {
    await identityApi().deleteIdentity({ id: identityId }, requestInit());
  } catch (error) {
    if (statusOf(error) === 404) return;
    throw new KratosUnavailableError(`deleting an identity failed (${describeError(error)})`);
  }
}
