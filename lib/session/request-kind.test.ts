/**
 * Tests for request classification (lib/session/request-kind.ts): which requests are public, internal,
 * the status poll, the heartbeat, API calls, server actions, prefetches or page views, and which of them
 * count as activity or are answered with JSON. Pure: no clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classify, movesClock, pageKindFrom, isApiLike, type RequestKind } from "./request-kind";

/** Builds RequestFacts with a case-insensitive header lookup, as the gate does (Headers.get). */
function facts(method: string, path: string, headers: Record<string, string> = {}) {
  const h = new Headers(headers);
  return { method, path, header: (name: string) => h.get(name) };
}

describe("classify", () => {
  const cases: { method: string; path: string; headers?: Record<string, string>; kind: RequestKind }[] = [
    // Public pages and endpoints (whole-segment prefixes).
    { method: "GET", path: "/login", kind: "public" },
    { method: "GET", path: "/login/callback", kind: "public" },
    { method: "POST", path: "/login", kind: "public" },
    { method: "GET", path: "/registration", kind: "public" },
    { method: "GET", path: "/registration/x", kind: "public" },
    { method: "GET", path: "/recovery", kind: "public" },
    { method: "GET", path: "/verification", kind: "public" },
    { method: "GET", path: "/error", kind: "public" },
    { method: "GET", path: "/signed-out", kind: "public" },
    { method: "GET", path: "/api/health", kind: "public" },
    { method: "GET", path: "/favicon.ico", kind: "public" },
    { method: "GET", path: "/robots.txt", kind: "public" },
    { method: "POST", path: "/login", headers: { "next-action": "abc" }, kind: "public" },
    // Look-alikes of public prefixes are NOT public.
    { method: "GET", path: "/loginx", kind: "page" },
    { method: "GET", path: "/registrationx", kind: "page" },
    { method: "GET", path: "/recoveryx", kind: "page" },
    { method: "GET", path: "/errors", kind: "page" },
    { method: "GET", path: "/signed-outside", kind: "page" },
    { method: "GET", path: "/x/login", kind: "page" },
    { method: "GET", path: "/api/healthz", kind: "api" },
    // Internal channel.
    { method: "POST", path: "/api/internal/events", kind: "internal" },
    { method: "GET", path: "/api/internal/activity", kind: "internal" },
    { method: "GET", path: "/api/internal", kind: "internal" },
    { method: "GET", path: "/api/internalx", kind: "api" },
    // Session status poll: GET and HEAD only.
    { method: "GET", path: "/api/session", kind: "poll" },
    { method: "HEAD", path: "/api/session", kind: "poll" },
    { method: "POST", path: "/api/session", kind: "api" },
    { method: "DELETE", path: "/api/session", kind: "api" },
    { method: "GET", path: "/api/sessions", kind: "api" },
    // Heartbeat.
    { method: "POST", path: "/api/session/activity", kind: "heartbeat" },
    { method: "POST", path: "/api/session/activity/x", kind: "api" },
    // Other API routes.
    { method: "GET", path: "/api/anything", kind: "api" },
    { method: "POST", path: "/api/anything", kind: "api" },
    { method: "GET", path: "/api", kind: "api" },
    { method: "GET", path: "/api/x", headers: { "next-router-prefetch": "1" }, kind: "api" },
    { method: "POST", path: "/api/x", headers: { "next-action": "abc" }, kind: "api" },
    // Server actions: POST with a next-action header.
    { method: "POST", path: "/billing", headers: { "next-action": "7f3a9c" }, kind: "action" },
    { method: "POST", path: "/dashboard", headers: { "Next-Action": "7f3a9c" }, kind: "action" },
    { method: "POST", path: "/billing", headers: { "next-action": "" }, kind: "action" },
    { method: "GET", path: "/billing", headers: { "next-action": "7f3a9c" }, kind: "page" },
    { method: "POST", path: "/billing", kind: "page" },
    // Prefetches: Next's router prefetch is rendered (not activity); a browser's own prefetch or prerender
    // is answered without rendering.
    { method: "GET", path: "/dashboard", headers: { "next-router-prefetch": "1" }, kind: "prefetch" },
    {
      method: "GET",
      path: "/billing",
      headers: { "Next-Router-Prefetch": "1", rsc: "1", "sec-fetch-dest": "empty" },
      kind: "prefetch",
    },
    { method: "GET", path: "/dashboard", headers: { purpose: "prefetch" }, kind: "background" },
    { method: "GET", path: "/dashboard", headers: { "sec-purpose": "prefetch" }, kind: "background" },
    { method: "GET", path: "/dashboard", headers: { "sec-purpose": "prefetch;prerender" }, kind: "background" },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-purpose": "prefetch", "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" },
      kind: "background",
    },
    { method: "GET", path: "/dashboard", headers: { purpose: "navigate" }, kind: "page" },
    // Navigations by the person, from fetch metadata.
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate", "sec-fetch-site": "none" },
      kind: "page",
    },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate", "sec-fetch-site": "cross-site" },
      kind: "page",
    },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "empty", "sec-fetch-site": "same-origin", rsc: "1" },
      kind: "page",
    },
    {
      method: "POST",
      path: "/billing",
      headers: { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" },
      kind: "page",
    },
    // A page loaded as something else: not the person (never rendered, never activity).
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "image", "sec-fetch-mode": "no-cors", "sec-fetch-site": "same-site" },
      kind: "background",
    },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "script", "sec-fetch-site": "same-origin" },
      kind: "background",
    },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "iframe", "sec-fetch-mode": "navigate" },
      kind: "background",
    },
    { method: "GET", path: "/dashboard", headers: { "sec-fetch-dest": "style" }, kind: "background" },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "empty", "sec-fetch-site": "same-origin" },
      kind: "background",
    },
    {
      method: "GET",
      path: "/dashboard",
      headers: { "sec-fetch-dest": "empty", "sec-fetch-site": "same-site", rsc: "1" },
      kind: "background",
    },
    // Clients without fetch metadata (curl, old browsers): a navigation.
    { method: "GET", path: "/dashboard", headers: { "sec-fetch-mode": "cors" }, kind: "page" },
    // Page views.
    { method: "GET", path: "/dashboard", kind: "page" },
    { method: "GET", path: "/", kind: "page" },
    { method: "GET", path: "/billing/invoices", kind: "page" },
    { method: "GET", path: "/dashboard", headers: { "next-router-state-tree": "x", rsc: "1" }, kind: "page" },
  ];
  for (const c of cases) {
    const shown = c.headers ? ` ${JSON.stringify(c.headers)}` : "";
    it(`${c.method} ${c.path}${shown} → ${c.kind}`, () => {
      assert.equal(classify(facts(c.method, c.path, c.headers)), c.kind);
    });
  }
});

describe("movesClock and isApiLike", () => {
  const cases: { kind: RequestKind; gate: boolean; handler: boolean; json: boolean }[] = [
    { kind: "public", gate: false, handler: false, json: false },
    { kind: "internal", gate: false, handler: false, json: false },
    { kind: "poll", gate: false, handler: false, json: true },
    { kind: "report", gate: false, handler: false, json: true },
    { kind: "heartbeat", gate: false, handler: false, json: true },
    { kind: "api", gate: false, handler: true, json: true },
    { kind: "action", gate: false, handler: true, json: false },
    { kind: "prefetch", gate: false, handler: false, json: false },
    { kind: "background", gate: false, handler: false, json: false },
    { kind: "page", gate: true, handler: true, json: false },
  ];
  for (const c of cases) {
    it(`${c.kind}: moves the clock at the gate ${c.gate}, where it runs ${c.handler}; JSON ${c.json}`, () => {
      assert.equal(movesClock(c.kind, "gate"), c.gate);
      assert.equal(movesClock(c.kind, "handler"), c.handler);
      assert.equal(isApiLike(c.kind), c.json);
    });
  }

  it("the gate moves the clock for navigations only: actions and API calls count where they run", () => {
    assert.deepEqual(
      cases.filter((c) => movesClock(c.kind, "gate")).map((c) => c.kind),
      ["page"],
    );
    assert.deepEqual(
      cases.filter((c) => movesClock(c.kind, "handler")).map((c) => c.kind),
      ["api", "action", "page"],
    );
  });

  it("the Node side takes only page kinds from the gate's header", () => {
    assert.equal(pageKindFrom("prefetch"), "prefetch");
    assert.equal(pageKindFrom("page"), "page");
    assert.equal(pageKindFrom("action"), "action");
    assert.equal(pageKindFrom("api"), undefined);
    assert.equal(pageKindFrom("background"), undefined);
    assert.equal(pageKindFrom(null), undefined);
  });

  it("only poll, heartbeat and api want JSON", () => {
    assert.deepEqual(
      cases.filter((c) => isApiLike(c.kind)).map((c) => c.kind),
      ["poll", "report", "heartbeat", "api"],
    );
  });
});
