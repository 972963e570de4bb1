/**
 * The apps the bench compares, each a throwaway copy of this repository's app in VARIANTS_DIR/<name>
 * (outside the repository: see config.ts) with its own production build (`next build`). The product gets
 * no bench-only branch: a copy differs from the product only in the files named here.
 *
 *   ours     the product unchanged (middleware.ts -> lib/gate) + the ping route
 *   none     no middleware.ts at all + the ping route
 *   empty    an Edge middleware that only calls NextResponse.next() + the ping route
 *   baseline a Node-runtime middleware: whoami per request, or whoami + a DB write (BENCH_BASELINE_MODE)
 *
 * Each copy is its own Turbopack root: it carries package-lock.json and a hard-linked node_modules
 * (`cp -al`: no space, ~1 s; Turbopack refuses a node_modules symlink pointing outside its root).
 * A build is reused when the copy's files hash the same as the last build's (same inputs, same output);
 * anything else rebuilds.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, VARIANTS_DIR } from "./config";
import { log } from "./log";

export const VARIANTS = ["ours", "none", "empty", "baseline"] as const;
export type Variant = (typeof VARIANTS)[number];

const TEMPLATES = path.join(import.meta.dirname, "templates");
const PING_ROUTE = "app/api/bench/ping/route.ts";

/**
 * What goes into the app's build: the app's own folders and root files, tracked or untracked-not-ignored
 * (what `next build` would see), or HEAD's. Tests, e2e, scripts and docs stay out: they are not part of
 * the build's output, and `next build` would type-check them (slower, and another engineer's half-edited
 * test would fail a bench build).
 */
const APP_FOLDERS = ["app/", "components/", "lib/", "public/"];
const APP_FILES = new Set([
  "middleware.ts",
  "instrumentation.ts",
  "next.config.js",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
]);

function sourceFiles(source: "worktree" | "head"): string[] {
  const args = source === "head" ? ["ls-tree", "-r", "--name-only", "HEAD"] : ["ls-files", "-co", "--exclude-standard"];
  return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 })
    .split("\n")
    .filter((f) => (APP_FILES.has(f) || APP_FOLDERS.some((d) => f.startsWith(d))) && !/\.test\.tsx?$/.test(f))
    .filter((f) => source === "head" || existsSync(path.join(ROOT, f)));
}

function overlay(variant: Variant): Record<string, string | null> {
  const ping = readFileSync(path.join(TEMPLATES, "ping-route.ts"), "utf8");
  switch (variant) {
    case "ours":
      return { [PING_ROUTE]: ping };
    case "none":
      return { [PING_ROUTE]: ping, "middleware.ts": null };
    case "empty":
      return { [PING_ROUTE]: ping, "middleware.ts": readFileSync(path.join(TEMPLATES, "empty-middleware.ts"), "utf8") };
    case "baseline":
      return {
        [PING_ROUTE]: ping,
        "middleware.ts": readFileSync(path.join(TEMPLATES, "baseline-middleware.ts"), "utf8"),
      };
  }
}

export function variantDir(variant: Variant): string {
  return path.join(VARIANTS_DIR, variant);
}

/** Lays out the copy and returns the hash of everything in it (the build cache key). */
function layOut(variant: Variant, source: "worktree" | "head"): string {
  const dir = variantDir(variant);
  const hash = createHash("sha256");
  const keep = new Set<string>([".next", "next-env.d.ts", ".build-hash", "build.log"]);
  // Start from a clean tree each time (a deleted product file must not linger), keeping the last build.
  if (existsSync(dir)) {
    for (const entry of execFileSync("ls", ["-A", dir], { encoding: "utf8" }).split("\n").filter(Boolean)) {
      if (!keep.has(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
  mkdirSync(dir, { recursive: true });
  const files = sourceFiles(source);
  const extra = overlay(variant);
  for (const file of files) {
    if (file in extra) continue;
    const content =
      source === "head"
        ? execFileSync("git", ["show", `HEAD:${file}`], { cwd: ROOT, maxBuffer: 64 << 20 })
        : readFileSync(path.join(ROOT, file));
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
    hash.update(file).update("\0").update(content).update("\0");
  }
  for (const [file, content] of Object.entries(extra)) {
    hash
      .update(`overlay:${file}`)
      .update("\0")
      .update(content ?? "<deleted>")
      .update("\0");
    if (content === null) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  try {
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")], { stdio: "ignore" });
  } catch {
    // another file system (BENCH_VARIANTS_DIR elsewhere): a real copy, slower but the same files
    rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
    execFileSync("cp", ["-a", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  }
  hash.update(readFileSync(path.join(ROOT, "node_modules/.package-lock.json")));
  return hash.digest("hex");
}

export function nextBin(variant: Variant): string {
  return path.join(variantDir(variant), "node_modules/next/dist/bin/next");
}

async function build(variant: Variant, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = variantDir(variant);
  const logFile = path.join(dir, "build.log");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(variant), "build"], {
      cwd: dir,
      env: { ...env, NEXT_DIST_DIR: ".next", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => out.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      writeFileSync(logFile, Buffer.concat(out));
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `next build of the "${variant}" copy failed (exit ${code}); last lines:\n` +
              Buffer.concat(out).toString().split("\n").slice(-30).join("\n"),
          ),
        );
    });
  });
}

/** Prepares every variant; builds run one at a time (two would only fight over the same two cores). */
export async function prepareVariants(
  source: "worktree" | "head",
  env: NodeJS.ProcessEnv,
  needed: readonly Variant[] = VARIANTS,
): Promise<void> {
  for (const variant of VARIANTS.filter((v) => needed.includes(v))) {
    const started = Date.now();
    const key = layOut(variant, source);
    const dir = variantDir(variant);
    const stamp = path.join(dir, ".build-hash");
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === key && existsSync(path.join(dir, ".next", "BUILD_ID"))) {
      log(`variant ${variant}: build is current (same sources), reused`);
      continue;
    }
    rmSync(stamp, { force: true });
    log(`variant ${variant}: next build ...`);
    await build(variant, env);
    writeFileSync(stamp, key);
    log(`variant ${variant}: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}
