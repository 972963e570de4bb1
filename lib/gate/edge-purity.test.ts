/**
 * Static check: middleware.ts runs on the Edge runtime, so neither it nor anything it imports (transitively)
 * may pull in Node-only code: `pg`, `server-only`, `next/headers`, `react`, `node:*` or a Node built-in.
 * Bare packages are limited to an allow-list. The walker is tested on a fixture too, so the check cannot
 * pass by finding nothing.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

// @noble/hashes: pure JS (no node: imports, no Web Crypto), the gate's synchronous HMAC (lib/session/crypto.ts).
const ALLOWED_PACKAGES = new Set([
  "zod",
  "next/server",
  "@ory/client-fetch",
  "@noble/hashes/hmac.js",
  "@noble/hashes/sha2.js",
]);
const FORBIDDEN_PACKAGES = new Set(["pg", "server-only", "next/headers", "react"]);
const NODE_BUILTINS = new Set([
  "fs",
  "path",
  "child_process",
  "crypto",
  "net",
  "tls",
  "http",
  "https",
  "os",
  "stream",
  "buffer",
  "url",
  "util",
  "zlib",
  "dns",
  ...builtinModules.filter((m) => !m.startsWith("_")),
]);

interface Walk {
  /** files reached from the entry, relative to the root, with "/" separators */
  files: string[];
  /** "file: specifier (why)" for every import an Edge module must not have */
  violations: string[];
  /** bare packages outside the allow-list, as "file: specifier" */
  unexpectedPackages: string[];
}

/** Value imports of a module: static, side-effect, re-exports and dynamic import(). Type-only ones are erased. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  // import x from "m" / import { a, b as c } from "m" / import * as ns from "m" /
  // export { a } from "m" / export * from "m"
  // The clause admits only identifiers, braces, commas, `*` and whitespace, so it cannot run across statements.
  const fromRe = /^[ \t]*(import|export)\s+([\w$*\s,{}]*?)\s*from\s*["']([^"']+)["']/gm;
  for (const m of source.matchAll(fromRe)) {
    const clause = (m[2] ?? "").trim();
    if (/^type\b/.test(clause)) continue; // import type / export type: erased
    found.push(m[3] ?? "");
  }
  // import "m" (side effects)
  for (const m of source.matchAll(/^[ \t]*import\s*["']([^"']+)["']/gm)) found.push(m[1] ?? "");
  // import("m"), but not JSDoc/TS type positions such as {import("m").T} or typeof import("m")
  for (const m of source.matchAll(/(^|[^\w$.{])(typeof\s+)?import\s*\(\s*["']([^"']+)["']\s*\)/gm)) {
    if (m[2]) continue;
    found.push(m[3] ?? "");
  }
  return found;
}

function resolveFile(base: string): string | undefined {
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, join(base, "index.ts")];
  // TypeScript lets "./x.js" name x.ts.
  if (base.endsWith(".js")) candidates.push(`${base.slice(0, -3)}.ts`, `${base.slice(0, -3)}.tsx`);
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

function walkEdgeImports(entry: string, root: string): Walk {
  const seen = new Set<string>();
  const violations: string[] = [];
  const unexpectedPackages: string[] = [];
  const rel = (file: string) => relative(root, file).split(sep).join("/");
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const where = `${rel(file)}: ${specifier}`;
      if (specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("@/")) {
        const base = specifier.startsWith("@/") ? join(root, specifier.slice(2)) : resolve(dirname(file), specifier);
        const target = resolveFile(base);
        if (target) queue.push(target);
        else violations.push(`${where} (unresolved)`);
        continue;
      }
      const name = packageName(specifier);
      if (specifier.startsWith("node:")) violations.push(`${where} (node: module)`);
      else if (NODE_BUILTINS.has(name)) violations.push(`${where} (Node built-in)`);
      else if (FORBIDDEN_PACKAGES.has(specifier) || FORBIDDEN_PACKAGES.has(name))
        violations.push(`${where} (Node-only package)`);
      else if (!ALLOWED_PACKAGES.has(specifier)) unexpectedPackages.push(where);
    }
  }
  return { files: [...seen].map(rel).sort(), violations, unexpectedPackages };
}

describe("importsOf", () => {
  const cases: { name: string; source: string; expected: string[] }[] = [
    { name: "default import", source: 'import x from "a";', expected: ["a"] },
    { name: "named imports over several lines", source: 'import {\n  a,\n  b as c,\n} from "./b";', expected: ["./b"] },
    { name: "namespace import", source: "import * as ns from 'c';", expected: ["c"] },
    { name: "default and named", source: 'import d, { e } from "d";', expected: ["d"] },
    {
      name: "inline type specifier still imports the module",
      source: 'import { type T, v } from "e";',
      expected: ["e"],
    },
    { name: "side-effect import", source: 'import "server-only";', expected: ["server-only"] },
    {
      name: "re-export",
      source: 'export { a } from "./f";\nexport * from "./g";\nexport * as h from "./h";',
      expected: ["./f", "./g", "./h"],
    },
    { name: "dynamic import", source: 'const m = await import("pg");', expected: ["pg"] },
    { name: "import type is erased", source: 'import type { T } from "react";', expected: [] },
    { name: "export type is erased", source: 'export type { T } from "react";', expected: [] },
    {
      name: "JSDoc type import is not an import",
      source: '/** @returns {import("./policy-config.js").PolicyConfig} */',
      expected: [],
    },
    { name: "typeof import() is a type", source: 'type M = typeof import("pg");', expected: [] },
    {
      name: "commented-out imports (line comment, JSDoc line) are ignored",
      source: '// import x from "pg";\n/**\n * import x from "pg";\n */',
      expected: [],
    },
    {
      name: "an export type alias does not swallow the next import",
      source: 'export type E = { a: string };\nimport { z } from "zod";',
      expected: ["zod"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(importsOf(c.source).sort(), [...c.expected].sort());
    });
  }
});

describe("middleware.ts is Edge-pure", () => {
  const walk = walkEdgeImports(join(ROOT, "middleware.ts"), ROOT);

  it("the walk reaches the gate, the idle rule, evaluate and the Kratos session adapter", () => {
    for (const f of [
      "middleware.ts",
      "lib/gate/gate.ts",
      "lib/policy/idle-rule.ts",
      "lib/session/evaluate.ts",
      "lib/kratos/session.ts",
    ]) {
      assert.ok(walk.files.includes(f), `${f} not reached; reached: ${walk.files.join(", ")}`);
    }
  });

  it("no module imports pg, server-only, next/headers, react or a Node built-in; all relative imports resolve", () => {
    assert.deepEqual(walk.violations, [], `Edge-unsafe imports:\n  ${walk.violations.join("\n  ")}`);
  });

  it(`bare packages are limited to ${[...ALLOWED_PACKAGES].join(", ")}`, () => {
    assert.deepEqual(walk.unexpectedPackages, [], `unexpected packages:\n  ${walk.unexpectedPackages.join("\n  ")}`);
  });
});

describe("the walker catches violations (fixture)", () => {
  const dir = mkdtempSync(join(tmpdir(), "edge-purity-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function write(file: string, text: string): void {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  /** A module's source from its lines. */
  const lines = (...l: string[]) => l.map((x) => `${x}\n`).join("");

  it("reports pg 2 hops away, node:/built-in imports, unexpected packages, missing files; skips type imports", () => {
    write(
      "entry.ts",
      lines(
        'import { helper } from "./lib/helper";',
        'import type { ReactNode } from "react";',
        'import { z } from "zod";',
        "export const x = helper(z);",
      ),
    );
    write(
      "lib/helper.ts",
      lines(
        'import { query } from "@/lib/db";',
        'export * from "./more.js";',
        "export function helper(v: unknown) { return query(v); }",
      ),
    );
    write("lib/db/index.ts", 'import { Pool } from "pg";\nexport const query = (v: unknown) => new Pool(v);\n');
    write(
      "lib/more.ts",
      lines(
        'import { readFileSync } from "node:fs";',
        'import path from "path";',
        'const lazy = () => import("left-pad");',
        'import "./missing";',
        "export const more = [readFileSync, path, lazy];",
      ),
    );
    const walk = walkEdgeImports(join(dir, "entry.ts"), dir);
    assert.deepEqual(walk.files, ["entry.ts", "lib/db/index.ts", "lib/helper.ts", "lib/more.ts"]);
    assert.deepEqual(walk.violations.sort(), [
      "lib/db/index.ts: pg (Node-only package)",
      "lib/more.ts: ./missing (unresolved)",
      "lib/more.ts: node:fs (node: module)",
      "lib/more.ts: path (Node built-in)",
    ]);
    assert.deepEqual(walk.unexpectedPackages, ["lib/more.ts: left-pad"]);
  });

  it("reports server-only, next/headers and react value imports, and built-in subpaths", () => {
    write(
      "entry2.ts",
      lines(
        'import "server-only";',
        'import { cookies } from "next/headers";',
        'import { useState } from "react";',
        'import { readFile } from "fs/promises";',
        'import { NextResponse } from "next/server";',
      ),
    );
    const walk = walkEdgeImports(join(dir, "entry2.ts"), dir);
    assert.deepEqual(walk.violations.sort(), [
      "entry2.ts: fs/promises (Node built-in)",
      "entry2.ts: next/headers (Node-only package)",
      "entry2.ts: react (Node-only package)",
      "entry2.ts: server-only (Node-only package)",
    ]);
    assert.deepEqual(walk.unexpectedPackages, []);
  });

  it("a clean module graph reports nothing", () => {
    write("clean/entry.ts", 'import { a } from "./a";\nimport type { X } from "pg";\nexport { a };\n');
    write(
      "clean/a.ts",
      lines(
        'import { z } from "zod";',
        'import { NextResponse } from "next/server";',
        'import { FrontendApi } from "@ory/client-fetch";',
        "export const a = [z, NextResponse, FrontendApi];",
      ),
    );
    const walk = walkEdgeImports(join(dir, "clean/entry.ts"), dir);
    assert.deepEqual(walk.files, ["clean/a.ts", "clean/entry.ts"]);
    assert.deepEqual(walk.violations, []);
    assert.deepEqual(walk.unexpectedPackages, []);
  });
});
