/**
 * One control for the idle timeout (issue 16, item 4): the app's radio group sets it; Kratos' profile form on
 * the same page carries it only as a hidden input, so saving a new name there neither shows it as free text
 * nor drops it, and the audit trail gets exactly one `idle_preference_changed` row, from the app's form.
 */
import pg from "pg";
import { register, test, expect } from "./fixtures";

const KRATOS_ADMIN = process.env.KRATOS_ADMIN_URL ?? "http://127.0.0.1:4534";

async function identityOf(email: string): Promise<{ id: string; traits: Record<string, unknown> }> {
  const r = await fetch(`${KRATOS_ADMIN}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
  const [identity] = (await r.json()) as { id: string; traits: Record<string, unknown> }[];
  if (!identity) throw new Error(`no identity for ${email}`);
  return identity;
}

async function preferenceRows(identityId: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ metadata: unknown }>(
      "SELECT metadata FROM security_audit WHERE event_type = 'idle_preference_changed' AND identity_id = $1 ORDER BY id",
      [identityId],
    );
    return rows.map((r) => r.metadata);
  } finally {
    await client.end();
  }
}

test("Kratos' profile form neither shows nor drops the timeout; one change, one audit row", async ({
  page,
  account,
}) => {
  await register(page, account);
  await page.goto("/settings");
  await page.getByLabel("15 minutes", { exact: true }).check();
  await page.getByRole("button", { name: "Save auto sign-out" }).click();
  await expect(page.getByTestId("idle-pref-saved")).toContainText("Saved");

  await page.reload();
  const carried = page.locator('input[name="traits.idle_timeout_minutes"]');
  await expect(carried).toHaveCount(1);
  await expect(carried).toHaveAttribute("type", "hidden");
  await expect(carried).toHaveValue("15");
  await expect(page.getByText("Auto sign-out after (minutes, 0 = never)")).toHaveCount(0);

  const profile = page.locator("form").filter({ has: page.locator('input[name="traits.name"]') });
  await profile.locator('input[name="traits.name"]').fill("Renamed In Kratos");
  await profile.getByRole("button", { name: /save/i }).click();
  const { id } = await identityOf(account.email);
  await expect
    .poll(async () => (await identityOf(account.email)).traits.name, { timeout: 10_000 })
    .toBe("Renamed In Kratos");
  expect((await identityOf(account.email)).traits.idle_timeout_minutes).toBe(15);

  await expect
    .poll(() => preferenceRows(id), { timeout: 10_000 })
    .toEqual([{ from: null, to: 15, via: "app_settings", from_known: true }]);
});
