/**
 * Tests for the route table (lib/config/routes.js): the middleware matcher literal, the header list in
 * next.config.js and the gate's public prefixes all follow it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { classify } from "../session/request-kind";
import { ROUTES, matcherSource, publicPrefixes, unmatchedHeaderSources } from "./routes.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The matcher literal in middleware.ts (Next reads it statically, so it cannot be computed there). */
function middlewareMatcher(): string[] {
  const source = readFileSync(join(ROOT, "middleware.ts"), "utf8");
  const m = source.match(/matcher:\s*\[([^\]]*)\]/);
  assert.ok(m, "middleware.ts has a matcher array");
  return [...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => JSON.parse(`"${x[1]}"`) as string);
}

/** Whether the middleware runs for `path`, as Next tests the matcher (anchored at both ends). */
const matched = (path: string) => new RegExp(`^${matcherSource()}$`).test(path);

/** Next's header `source` patterns as used here: exact paths and a trailing `/:path*`. */
function coveredByHeaders(path: string): boolean {
  return unmatchedHeaderSources().some((s) =>
    s.endsWith("/:path*") ? path === s.slice(0, -7) || path.startsWith(s.slice(0, -6)) : path === s,
  );
}

describe("route table", () => {
  it("middleware.ts's matcher literal is the one derived from the table", () => {
    assert.deepEqual(middlewareMatcher(), [matcherSource()]);
  });

  const cases: { path: string; gate: boolean }[] = [
    { path: "/", gate: true },
    { path: "/dashboard", gate: true },
    { path: "/billing", gate: true },
    { path: "/login", gate: true },
    { path: "/api/session", gate: true },
    { path: "/api/health", gate: true },
    { path: "/api/admin/insights", gate: true },
    { path: "/api/upload", gate: false },
    { path: "/api/upload/x", gate: true },
    { path: "/api/session/activity", gate: false },
    { path: "/api/session/events", gate: false },
    { path: "/api/internal/events", gate: false },
    { path: "/_next/static/chunks/a.js", gate: false },
    { path: "/_next/image", gate: false },
    { path: "/favicon.ico", gate: false },
    { path: "/robots.txt", gate: false },
  ];
  for (const c of cases) {
    it(`${c.path}: ${c.gate ? "the gate runs" : "the gate never runs"}`, () => {
      assert.equal(matched(c.path), c.gate);
    });
  }

  it("every route the gate never runs for gets its security headers from next.config.js", () => {
    for (const r of ROUTES.filter((x) => x.gate === "unmatched")) {
      // A path the entry covers: itself, or one below it for the folders.
      const probe = r.match === "exact" || /\.\w+$/.test(r.path) || r.path === "/_next/image" ? r.path : `${r.path}/x`;
      assert.equal(matched(probe), false, `${probe}: the gate never runs`);
      assert.ok(coveredByHeaders(probe), `${probe}: headers from next.config.js`);
    }
  });

  it("no matched page gets the static headers (a second CSP would be enforced too)", () => {
    for (const path of ["/", "/dashboard", "/billing", "/login", "/signed-out", "/admin"])
      assert.ok(!coveredByHeaders(path), path);
  });

  it("the gate's public prefixes are the table's, on whole segments", () => {
    const facts = (path: string) => ({ method: "GET", path, header: () => null });
    for (const prefix of publicPrefixes()) {
      assert.equal(classify(facts(prefix)), "public", prefix);
      assert.equal(classify(facts(`${prefix}/x`)), "public", `${prefix}/x`);
      assert.notEqual(classify(facts(`${prefix}x`)), "public", `${prefix}x`);
    }
  });
});
