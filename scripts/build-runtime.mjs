// @ts-check
/**
 * Builds the app's command-line programs into plain JavaScript in dist/runtime/ (git-ignored), so that a
 * server runs them with `node` and the runtime dependencies only (`npm ci --omit=dev` after the build):
 *   migrate.mjs      db/migrate.ts          (npm run db:migrate)
 *   sweeper.mjs      scripts/sweeper.ts     (npm run sweeper)
 *   seed.mjs         scripts/seed.ts        (the demo accounts)
 *   admin-grant.mjs  scripts/admin-grant.ts (npm run admin:grant -- someone@example.com)
 *   print-policy.mjs scripts/print-policy.ts (Kratos' session settings for the start scripts)
 * plus a copy of db/migrations/ beside migrate.mjs (it reads them from its own folder).
 *
 * esbuild (a devDependency; tsx ships the same one) bundles our TypeScript and leaves every package of
 * package.json's "dependencies" external, resolved from node_modules at run time, except `server-only`:
 * bundled under the `react-server` condition it is an empty module, so the programs need no
 * `--conditions=react-server` flag (the guard still stops client bundles, which Next builds).
 * Plain JS on purpose: it runs before anything is compiled. `npm run build` runs it before `next build`.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "dist", "runtime");
const ENTRIES = {
  migrate: "db/migrate.ts",
  sweeper: "scripts/sweeper.ts",
  seed: "scripts/seed.ts",
  "admin-grant": "scripts/admin-grant.ts",
  "print-policy": "scripts/print-policy.ts",
};

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => name !== "server-only");

await build({
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(ROOT, file)])),
  outdir: OUT,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  conditions: ["react-server"],
  external: external.flatMap((name) => [name, `${name}/*`]),
  tsconfig: path.join(ROOT, "tsconfig.json"),
  logLevel: "warning",
});
cpSync(path.join(ROOT, "db", "migrations"), path.join(OUT, "migrations"), { recursive: true });
// scripts/lib.sh rebuilds only when a source file is newer than this stamp. Files are overwritten in
// place, never deleted first, so a program started from the folder meanwhile still finds its file.
writeFileSync(path.join(OUT, ".stamp"), `${new Date().toISOString()}\n`);
