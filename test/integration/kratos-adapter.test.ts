import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { execFileSync } from "node:child_process";
import { findIdentityByEmail, revokeSession } from "../../lib/kratos/admin";
import { whoami } from "../../lib/kratos/session";
import { DEMO_ACCOUNTS } from "../../scripts/demo-accounts";
import { createUser, signIn, whoamiStatus } from "../helpers/stack";

describe("Kratos adapter against the real Kratos v1.3.1", () => {
  it("whoami tells 'no session' apart from 'Kratos unavailable'", async () => {
    assert.deepEqual(await whoami(""), { status: "none" });
    assert.deepEqual(await whoami("ory_kratos_session=not-a-real-session"), { status: "none" });
    const saved = process.env.KRATOS_PUBLIC_INTERNAL_URL;
    process.env.KRATOS_PUBLIC_INTERNAL_URL = "http://127.0.0.1:9"; // nothing listens on the discard port
    try {
      const result = await whoami("ory_kratos_session=x");
      assert.equal(result.status, "unavailable");
    } finally {
      if (saved === undefined) delete process.env.KRATOS_PUBLIC_INTERNAL_URL;
      else process.env.KRATOS_PUBLIC_INTERNAL_URL = saved;
    }
  });

  it("maps a real session to the app's SessionInfo, role from metadata_public", async () => {
    const admin = await createUser("admin");
    const cookie = await signIn(admin);
    const result = await whoami(cookie);
    assert.equal(result.status, "ok");
    if (result.status !== "ok") return;
    assert.equal(result.session.identityId, admin.id);
    assert.equal(result.session.email, admin.email);
    assert.equal(result.session.role, "admin");
    assert.equal(result.session.preference, undefined);
    assert.ok(result.session.expiresAt > result.session.authenticatedAt);
  });

  it("the absolute lifetime Kratos applies is the policy's", async () => {
    const user = await createUser();
    const result = await whoami(await signIn(user));
    assert.equal(result.status, "ok");
    if (result.status !== "ok") return;
    const policySeconds = Number(
      execFileSync("node", ["--import", "tsx", "scripts/print-policy.ts", "absolute"])
        .toString()
        .trim()
        .replace(/s$/, ""),
    );
    const lifespan = (result.session.expiresAt - result.session.authenticatedAt) / 1000;
    assert.ok(Math.abs(lifespan - policySeconds) < 2, `Kratos lifespan ${lifespan}s vs policy ${policySeconds}s`);
  });

  it("revokeSession ends the session in Kratos (whoami 401) and is idempotent", async () => {
    const user = await createUser();
    const cookie = await signIn(user);
    const result = await whoami(cookie);
    assert.equal(result.status, "ok");
    if (result.status !== "ok") return;
    assert.equal(await whoamiStatus(cookie), 200);
    await revokeSession(result.session.sessionId);
    assert.equal(await whoamiStatus(cookie), 401);
    await revokeSession(result.session.sessionId);
  });

  it("the demo accounts exist with their roles, and seeding again creates no duplicates", async () => {
    execFileSync("node", ["--import", "tsx", "scripts/seed.ts"]);
    for (const account of DEMO_ACCOUNTS) {
      const identity = await findIdentityByEmail(account.email);
      assert.ok(identity, `${account.email} exists`);
      assert.equal(identity.role, account.role);
      const cookie = await signIn(account);
      assert.equal(await whoamiStatus(cookie), 200);
    }
  });
});
