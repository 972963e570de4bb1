/**
 * Every process restarted on the same databases (Caddy, both app instances, Kratos): a signed-in browser
 * carries on where it was. Nothing that decides a session lives only in process memory: Kratos' sessions
 * and the app's activity are in PostgreSQL, the activity record is signed with SESSION_SECRET, and Caddy's
 * local CA stays in its data folder.
 */
import { expect, register, test } from "../fixtures";
import { reportFigure } from "../../test/helpers/figures";
import { pidOf, stackShell, upstreamOf, whoami } from "./stack";

const PROCESSES = ["caddy", "kratos", "app-1", "app-2"];

test("restart every process on the same databases: the signed-in session carries on", async ({
  page,
  context,
  account,
}) => {
  await register(page, account);
  const cookie = (await context.cookies()).find((c) => c.name === "ory_kratos_session");
  const kratosCookie = `ory_kratos_session=${cookie!.value}`;
  const before = await whoami(kratosCookie);
  expect(before.status).toBe(200);
  const pidsBefore = PROCESSES.map(pidOf);

  const started = Date.now();
  await stackShell("prod_stop_all; prod_start_all");
  const restartSeconds = (Date.now() - started) / 1000;
  const pidsAfter = PROCESSES.map(pidOf);
  for (const [i, name] of PROCESSES.entries()) expect(pidsAfter[i], `${name} is a new process`).not.toBe(pidsBefore[i]);

  const again = await page.goto("/dashboard");
  expect(again?.status()).toBe(200);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("button", { name: /^sign out$/i })).toBeVisible();
  const after = await whoami(kratosCookie);
  expect(after, "the same Kratos session").toEqual(before);
  // Both restarted instances honour it (round robin: consecutive requests, different instances; the tab is
  // closed so that none of its own requests comes between).
  await page.close();
  const answers = [
    await context.request.get("/dashboard", { maxRedirects: 0 }),
    await context.request.get("/dashboard", { maxRedirects: 0 }),
  ];
  expect(answers.map((a) => a.status())).toEqual([200, 200]);
  expect(new Set(answers.map((a) => a.headers()["x-upstream"]))).toEqual(new Set([upstreamOf(1), upstreamOf(2)]));

  reportFigure(
    "production",
    "restart of every process: session carried on",
    `yes (restart took ${restartSeconds.toFixed(1)} s)`,
  );
});
