import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { APP_URL, createUser, signIn } from "../helpers/stack";

async function get(path: string, cookie = "") {
  const response = await fetch(`${APP_URL}${path}`, { headers: { cookie }, redirect: "manual" });
  await response.body?.cancel();
  return response;
}

describe("protected pages through the running app", () => {
  for (const path of ["/dashboard", "/billing", "/settings", "/admin"]) {
    it(`${path} without a session redirects to sign-in with a same-origin return_to`, async () => {
      const response = await get(path);
      assert.equal(response.status, 303);
      const location = new URL(response.headers.get("location") ?? "", APP_URL);
      assert.equal(location.pathname, "/login");
      assert.equal(location.searchParams.get("return_to"), path);
    });
  }

  it("/admin is 403 for a user and 200 for an admin (checked on the server)", async () => {
    const user = await signIn(await createUser("user"));
    const admin = await signIn(await createUser("admin"));
    assert.equal((await get("/admin", user)).status, 403);
    assert.equal((await get("/admin", admin)).status, 200);
    assert.equal((await get("/dashboard", user)).status, 200);
  });

  it("/login sends the browser to Kratos with the return_to made absolute, or dropped when foreign", async () => {
    const ok = await get("/login?return_to=%2Fbilling");
    assert.equal(
      new URL(ok.headers.get("location") ?? "").searchParams.get("return_to"),
      `${new URL(APP_URL).origin}/billing`,
    );
    for (const evil of ["//evil.example", "https://evil.example/x", "/%5Cevil.example", "javascript:alert(1)"]) {
      const response = await get(`/login?return_to=${encodeURIComponent(evil)}`);
      const returnTo = new URL(response.headers.get("location") ?? "").searchParams.get("return_to") ?? "";
      assert.equal(new URL(returnTo).origin, new URL(APP_URL).origin, `${evil} -> ${returnTo}`);
    }
  });
});
