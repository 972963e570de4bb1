/**
 * The bench's fixed facts: ports, folders and the policy it runs under. run.sh exports the stack's env
 * (Kratos URLs, DATABASE_URL, secrets); this module reads it once through zod, so a missing value stops
 * the bench with its name instead of a confusing failure halfway through.
 */
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";

export const ROOT = path.resolve(import.meta.dirname, "..");
/** Results and logs live here: git-, tsc- and eslint-ignored (.stack/), like the test stack's state. */
export const BENCH_DIR = path.join(ROOT, ".stack", "bench");
/**
 * IMPORTANT: the app copies live OUTSIDE the repository (one folder per clone, on the same file system so
 * node_modules can be hard-linked). Next takes the outermost lockfile as the Turbopack root; inside the
 * repository that is the repository itself, and a copy without middleware.ts then silently gets the
 * repository's middleware.ts compiled in (seen with Next 16.4).
 */
export const VARIANTS_DIR =
  process.env.BENCH_VARIANTS_DIR ??
  path.join(tmpdir(), "idle-signout-bench", createHash("sha256").update(ROOT).digest("hex").slice(0, 10));

const envSchema = z.object({
  APP_PORT: z.coerce.number().int().min(1024),
  KRATOS_PUBLIC_URL: z.url(),
  KRATOS_ADMIN_URL: z.url(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//),
  SESSION_SECRET: z.string().min(32),
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
});
export type BenchEnv = z.infer<typeof envSchema>;

export function benchEnv(): BenchEnv {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`bench environment incomplete (${names}): run the bench through \`npm run bench\` (bench/run.sh)`);
  }
  return parsed.data;
}

/** Command line: `npm run bench -- --quick` for a short development run (same table, fewer and shorter rounds). */
const argsSchema = z.object({
  quick: z.boolean().default(false),
  /** build the variants from the working tree (default, what `next build` would build) or from HEAD */
  source: z.enum(["worktree", "head"]).default("worktree"),
  /** write V8 CPU profiles of `next start` for ours and the empty middleware under load, and summarise them */
  profile: z.boolean().default(false),
  /** run only these parts (comma-separated): gate,calls,sweeper,client,audit */
  only: z.string().optional(),
});
export type BenchArgs = z.infer<typeof argsSchema> & { parts: Set<Part> };
export const PARTS = ["gate", "calls", "sweeper", "client", "audit"] as const;
export type Part = (typeof PARTS)[number];

export function parseArgs(argv: string[]): BenchArgs {
  const raw: Record<string, unknown> = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m)
      throw new Error(
        `unknown argument ${arg}: use --quick, --profile, --source=worktree|head, --only=${PARTS.join(",")}`,
      );
    raw[m[1]!] = m[2] ?? true;
  }
  const parsed = argsSchema.strict().safeParse(raw);
  if (!parsed.success)
    throw new Error(`bad arguments: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const only = parsed.data.only?.split(",").map((p) => p.trim()) ?? [...PARTS];
  const parts = new Set<Part>();
  for (const p of only) {
    if (!(PARTS as readonly string[]).includes(p))
      throw new Error(`--only: unknown part "${p}" (use ${PARTS.join(",")})`);
    parts.add(p as Part);
  }
  return { ...parsed.data, parts };
}

/**
 * The production policy the bench runs under: the default preset (revalidate 15 s, activity write 30 s),
 * not the test run's second-long budgets. Printed in the table's header.
 */
export const BENCH_POLICY_PRESET = "default";
