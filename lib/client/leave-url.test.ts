import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leaveUrl } from "./leave-url";

describe("leaveUrl (another tab said signed out; the server agreed)", () => {
  it("the server's signed-out page wins: it knows the reason", () => {
    assert.equal(
      leaveUrl("/signed-out?reason=idle&area=%2Fbilling", "/signed-out?reason=manual"),
      "/signed-out?reason=idle&area=%2Fbilling",
    );
  });
  it("the server only says 'sign in' (cookies cleared by a manual sign-out): the other tab's signed-out page", () => {
    assert.equal(leaveUrl("/login?return_to=%2Fdashboard", "/signed-out?reason=manual"), "/signed-out?reason=manual");
  });
  it("a hint that is not our signed-out page is never followed", () => {
    for (const hint of [
      "https://evil.example/signed-out",
      "//evil.example",
      "/signed-out-evil",
      "/signed-out/../login",
      "/signed-out?x=\\\\evil",
      "javascript:alert(1)",
      "/signed-out?\nx",
    ]) {
      assert.equal(leaveUrl("/login?return_to=%2Fdashboard", hint), "/login?return_to=%2Fdashboard", hint);
    }
  });
});
