/**
 * Tests for request classification (lib/session/request-kind.ts): which requests are public, internal,
 * the status poll, the heartbeat, API calls, server actions, prefetches or page views, and which of them
 * count as activity or are answered with JSON. Pure: no clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classify, isActivity, wantsJson, type RequestKind } from "./request-kind";

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
    { method: "GET", path: "/error", kind: "public" },
    { method: "GET", path: "/signed-out", kind: "public" },
    { method: "GET", path: "/api/health", kind: "public" },
    { method: "GET", path: "/favicon.ico", kind: "public" },
    { method: "GET", path: "/robots.txt", kind: "public" },
    { method: "POST", path: "/login", headers: { "next-action": "abc" }, kind: "public" },
    // Look-alikes of public prefixes are NOT public.
    { method: "GET", path: "/loginx", kind: "page" },
    { method: "GET", path: "/registrationx", kind: "page" },
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
    // Prefetches.
    { method: "GET", path: "/dashboard", headers: { "next-router-prefetch": "1" }, kind: "prefetch" },
    { method: "GET", path: "/dashboard", headers: { purpose: "prefetch" }, kind: "prefetch" },
    { method: "GET", path: "/dashboard", headers: { "sec-purpose": "prefetch" }, kind: "prefetch" },
    { method: "GET", path: "/dashboard", headers: { "sec-purpose": "prefetch;prerender" }, kind: "prefetch" },
    { method: "GET", path: "/billing", headers: { "Next-Router-Prefetch": "1" }, kind: "prefetch" },
    { method: "GET", path: "/dashboard", headers: { purpose: "navigate" }, kind: "page" },
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

describe("isActivity and wantsJson", () => {
  const cases: { kind: RequestKind; activity: boolean; json: boolean }[] = [
    { kind: "public", activity: false, json: false },
    { kind: "internal", activity: false, json: false },
    { kind: "poll", activity: false, json: true },
    { kind: "heartbeat", activity: false, json: true },
    { kind: "api", activity: true, json: true },
    { kind: "action", activity: true, json: false },
    { kind: "prefetch", activity: false, json: false },
    { kind: "page", activity: true, json: false },
  ];
  for (const c of cases) {
    it(`${c.kind}: activity ${c.activity}, JSON ${c.json}`, () => {
      assert.equal(isActivity(c.kind), c.activity);
      assert.equal(wantsJson(c.kind), c.json);
    });
  }

  it("only page, action and api count as activity", () => {
    assert.deepEqual(
      cases.filter((c) => isActivity(c.kind)).map((c) => c.kind),
      ["api", "action", "page"],
    );
  });

  it("only poll, heartbeat and api want JSON", () => {
    assert.deepEqual(
      cases.filter((c) => wantsJson(c.kind)).map((c) => c.kind),
      ["poll", "heartbeat", "api"],
    );
  });
});
