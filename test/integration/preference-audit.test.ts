/**
 * One audited control for the idle-timeout choice (issue 16, item 4). The trait can be changed without the
 * app's settings page, through Kratos' own settings flow; Kratos then calls the app back (a web hook with a
 * shared secret) and exactly one `idle_preference_changed` row is written per change, none for a save that
 * changed something else, and none for a hook call without the secret.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { recordPreferenceChange } from "../../lib/audit/preference-change";
import { eventually } from "../helpers/http";
import { APP_URL, KRATOS_PUBLIC_URL, cookiesFrom, createUser, pool, signIn, type TestUser } from "../helpers/stack";

interface PreferenceRow {
  metadata: { from: number | null; to: number | null; via: string; from_known: boolean };
}

let db: pg.Pool;
before(() => {
  db = pool();
});
after(async () => {
  await db.end();
  const { db: appPool } = await import("../../lib/db/pool");
  await appPool().end();
});

const rowsOf = async (identityId: string): Promise<PreferenceRow[]> =>
  (
    await db.query<PreferenceRow>(
      "SELECT metadata FROM security_audit WHERE event_type = 'idle_preference_changed' AND identity_id = $1 ORDER BY id",
      [identityId],
    )
  ).rows;

/** Saves the profile through Kratos' browser settings flow (JSON), the way its own form would. */
async function saveProfileInKratos(
  cookie: string,
  user: TestUser,
  traits: { name: string; idle_timeout_minutes?: number },
): Promise<void> {
  const init = await fetch(`${KRATOS_PUBLIC_URL}/self-service/settings/browser`, {
    headers: { accept: "application/json", cookie },
  });
  assert.equal(init.status, 200, `settings flow: ${init.status}`);
  const flow = (await init.json()) as {
    id: string;
    ui: { nodes: { attributes: { name?: string; value?: string } }[] };
  };
  const csrf = flow.ui.nodes.find((n) => n.attributes.name === "csrf_token")?.attributes.value;
  const submit = await fetch(`${KRATOS_PUBLIC_URL}/self-service/settings?flow=${flow.id}`, {
    method: "POST",
    headers: {
      accept: "application/json",
      "content-type": "application/json",
      cookie: [cookie, ...cookiesFrom(init)].join("; "),
    },
    body: JSON.stringify({ method: "profile", csrf_token: csrf, traits: { email: user.email, ...traits } }),
  });
  assert.equal(submit.status, 200, `settings submit: ${await submit.text()}`);
}

describe("the idle-timeout trait changed through Kratos' own settings flow", () => {
  it("writes one row per change (from unknown, then from the known value) and none for a name-only save", async () => {
    const user = await createUser();
    const cookie = await signIn(user);
    await saveProfileInKratos(cookie, user, { name: "First", idle_timeout_minutes: 15 });
    const first = await eventually(
      async () => ((await rowsOf(user.id)).length === 1 ? rowsOf(user.id) : undefined),
      10_000,
    );
    assert.deepEqual(first[0]!.metadata, { from: null, to: 15, via: "kratos_settings_flow", from_known: false });

    await saveProfileInKratos(cookie, user, { name: "Renamed", idle_timeout_minutes: 15 });
    await saveProfileInKratos(cookie, user, { name: "Renamed", idle_timeout_minutes: 60 });
    // The hooks are answered in order by one instance, so once the second change's row is there the
    // name-only save between them has been handled: it added nothing.
    const rows = await eventually(
      async () => ((await rowsOf(user.id)).length >= 2 ? rowsOf(user.id) : undefined),
      10_000,
    );
    assert.deepEqual(
      rows.map((r) => r.metadata),
      [
        { from: null, to: 15, via: "kratos_settings_flow", from_known: false },
        { from: 15, to: 60, via: "kratos_settings_flow", from_known: true },
      ],
    );
  });
});

describe("the hook endpoint", () => {
  const send = (headers: Record<string, string>, body: unknown) =>
    fetch(`${APP_URL}/api/internal/kratos-settings`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("refuses a call without Kratos' secret or with a wrong one, and writes nothing", async () => {
    const identityId = randomUUID();
    const body = { identity_id: identityId, idle_timeout_minutes: 0 };
    const wrong: Record<string, string>[] = [
      {},
      { "x-kratos-hook-secret": "not-the-secret" },
      { "x-kratos-hook-secret": `${process.env.KRATOS_HOOK_SECRET}x` },
    ];
    for (const headers of wrong) {
      const response = await send(headers, body);
      assert.equal(response.status, 403);
      assert.equal(((await response.json()) as { error: string }).error, "invalid_hook_secret");
    }
    const known = await db.query("SELECT 1 FROM idle_preference WHERE identity_id = $1", [identityId]);
    assert.equal(known.rowCount, 0);
  });

  it("with the secret, refuses a malformed body with the reason", async () => {
    const response = await send(
      { "x-kratos-hook-secret": process.env.KRATOS_HOOK_SECRET ?? "" },
      { identity_id: "nope", idle_timeout_minutes: "15" },
    );
    assert.equal(response.status, 400);
    const answer = (await response.json()) as { error: string; message: string };
    assert.equal(answer.error, "invalid_body");
    assert.match(answer.message, /identity_id/);
  });

  it("the same change reported at once by several writers (instances, a retried hook) is audited once", async () => {
    const identityId = randomUUID();
    const change = { identityId, sessionId: null, via: "kratos_settings_flow" } as const;
    assert.equal(await recordPreferenceChange({ ...change, to: 30 }), true);
    const written = await Promise.all([1, 2, 3, 4].map(() => recordPreferenceChange({ ...change, to: 0 })));
    assert.deepEqual(
      written.filter(Boolean).length,
      1,
      "one writer wins the row lock; the others find the value unchanged",
    );
    assert.deepEqual(
      (await rowsOf(identityId)).map((r) => r.metadata),
      [
        { from: null, to: 30, via: "kratos_settings_flow", from_known: false },
        { from: 30, to: 0, via: "kratos_settings_flow", from_known: true },
      ],
    );
  });

  it("the app's own form knows the value before, so even its first report is audited with it", async () => {
    const identityId = randomUUID();
    assert.equal(
      await recordPreferenceChange({ identityId, sessionId: null, to: 15, via: "app_settings", knownFrom: null }),
      true,
    );
    assert.equal(
      await recordPreferenceChange({ identityId, sessionId: null, to: 15, via: "app_settings", knownFrom: 15 }),
      false,
    );
    assert.deepEqual(
      (await rowsOf(identityId)).map((r) => r.metadata),
      [{ from: null, to: 15, via: "app_settings", from_known: true }],
    );
  });
});
