// @ts-check
/**
 * The one place the environment is read and validated (zod). next.config.js imports it, so a missing or
 * bad value stops `next dev` and `next start` with a message naming the variable and what to set. Never fail
 * open: there are no silent defaults for secrets. Nothing is read when this module is imported, only when a
 * function below is called. `next build` checks the rest but needs no secret (readBuildEnv), so one build
 * can be promoted between environments; every process checks its secrets when it starts.
 *
 * Edge-safe: no Node built-ins, so middleware.ts can use readEdgeEnv().
 */
import { z } from "zod";
import { PRESETS, policySchema } from "./policy-config.js";

export class ConfigError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
}

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://localhost:3000" });

/**
 * Obvious non-secrets (checked case-insensitively as parts of the value). A random value never contains
 * one of these by chance at any length a person would set.
 */
const PLACEHOLDERS = [
  "changeme",
  "change-me",
  "change_me",
  "replaceme",
  "replace-me",
  "placeholder",
  "password",
  "secret",
  "example",
  "default",
  "xxxxxx",
  "qwerty",
];

/**
 * Why a SESSION_SECRET is too weak to be a key, or null. It must look like what `openssl rand -hex 32`
 * gives: at least 32 characters, at least 8 different ones, no placeholder word, not a short pattern
 * repeated, no long run of consecutive characters ("0123456789abcdef"). Deliberately simple rules that a
 * random value passes (a 32-character hex value has fewer than 8 distinct characters with probability
 * about 1e-8) and a made-up one rarely does; they cannot prove randomness, only catch the usual mistakes.
 * @param {string} value
 * @returns {string | null}
 */
export function secretWeakness(value) {
  if (value.length < 32) return "is shorter than 32 characters";
  const lower = value.toLowerCase();
  const word = PLACEHOLDERS.find((w) => lower.includes(w));
  if (word) return `contains the placeholder "${word}"`;
  if (new Set(value).size < 8) return "uses fewer than 8 different characters";
  for (let period = 1; period <= value.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < value.length && repeats; i++) repeats = value[i] === value[i - period];
    if (repeats) return `repeats a pattern of ${period} character${period === 1 ? "" : "s"}`;
  }
  // "01234567", "hgfedcba": a run of characters one code point apart, in one direction.
  let run = 1;
  let previousStep = 0;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    run = step === 1 || step === -1 ? (step === previousStep ? run + 1 : 2) : 1;
    previousStep = step;
    if (run >= 8) return "contains a run of 8 consecutive characters";
  }
  return null;
}

const RANDOM = "e.g. the output of `openssl rand -hex 32`";
/** @param {string} hint */
const secret = (hint) =>
  z.string({ error: `is required: 32+ random characters (${RANDOM})${hint}` }).superRefine((value, ctx) => {
    const weakness = secretWeakness(value);
    if (weakness) ctx.addIssue({ code: "custom", message: `is too weak (${weakness}): set a random value, ${RANDOM}` });
  });

const edgeSchema = z.object({
  APP_URL: url.default("http://localhost:3000"),
  /**
   * Where the Edge gate reaches this app's own Node side (/api/internal/*). Default: this process on
   * loopback (http://127.0.0.1:<PORT>, see withInternalUrl), never the public origin, so the signed calls
   * do not travel through proxies, logs or the internet. Set it when the app listens elsewhere.
   */
  APP_INTERNAL_URL: url.optional(),
  /** The port this process listens on: `next start` / `next dev` set it from --port. */
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  KRATOS_PUBLIC_URL: url.default("http://localhost:4433"),
  /** Server-to-Kratos public URL; defaults to KRATOS_PUBLIC_URL. */
  KRATOS_PUBLIC_INTERNAL_URL: url.optional(),
  KRATOS_ADMIN_URL: url
    .default("http://127.0.0.1:4434")
    .refine(
      (v) =>
        ["127.0.0.1", "localhost", "[::1]"].includes(new URL(v).hostname) ||
        process.env.KRATOS_ADMIN_ALLOW_NON_LOOPBACK === "true",
      {
        message:
          "must be a loopback URL (the Kratos admin API has no authentication); set KRATOS_ADMIN_ALLOW_NON_LOOPBACK=true only behind a private network",
      },
    ),
  KRATOS_SESSION_COOKIE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default("ory_kratos_session"),
  SESSION_SECRET: secret("; scripts/dev.sh writes one to .env.local"),
  /**
   * Rotation (lib/session/record-keys.ts): the key SESSION_SECRET held before. Activity records and internal
   * calls signed with it are still accepted, and records are re-signed with SESSION_SECRET on their next
   * activity, so a rotation signs nobody out. Remove it once every browser has been active (after the
   * absolute session lifetime at the latest).
   */
  SESSION_SECRET_PREVIOUS: secret("").optional(),
  IDLE_POLICY_PRESET: z.enum(/** @type {[string, ...string[]]} */ (Object.keys(PRESETS))).default("default"),
  IDLE_POLICY: z.string().optional(),
});

const serverSchema = edgeSchema.extend({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .default("postgres://postgres@127.0.0.1:5432/app"),
  /**
   * Shared with Kratos, which sends it with its settings web hook (/api/internal/kratos-settings): the hook
   * is only believed with it. Same strength rule as SESSION_SECRET; scripts/dev.sh writes one to .env.local.
   */
  KRATOS_HOOK_SECRET: secret(", the value Kratos sends with its settings hook; scripts/dev.sh writes one"),
  /** "false" disables the in-process sweeper (when a separate worker runs it). */
  SWEEPER_ENABLED: z.enum(["true", "false"]).default("true"),
  /**
   * On SIGTERM, how long an instance waits for its outbox to reach PostgreSQL after the HTTP server closed
   * (lib/activity/shutdown.ts). Keep it below the supervisor's stop timeout (systemd TimeoutStopSec, docker
   * stop -t), or the supervisor kills the process first.
   */
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).default(8),
});

/**
 * @param {z.ZodError} error
 * @param {string} [prefix]
 */
function describe(error, prefix = "") {
  return error.issues.map((i) => `  - ${prefix}${i.path.join(".") || "(value)"}: ${i.message}`).join("\n");
}

/**
 * @template {z.ZodTypeAny} S
 * @param {S} schema
 * @param {Record<string, string | undefined>} env
 * @returns {z.infer<S>}
 */
function parse(schema, env) {
  // Empty strings count as unset, so `FOO=` in an env file means "use the default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      `Invalid environment configuration:\n${describe(result.error)}\nEvery variable is described in .env.example; docs/deploy.md says which process needs which.`,
    );
  }
  return result.data;
}

/**
 * The effective idle policy: the preset, then the IDLE_POLICY JSON overrides on top (shallow merge).
 * @param {Record<string, string | undefined>} [env]
 * @returns {import("./policy-config.js").PolicyConfig}
 */
export function readPolicy(env = process.env) {
  const { IDLE_POLICY_PRESET, IDLE_POLICY } = parse(
    edgeSchema.pick({ IDLE_POLICY_PRESET: true, IDLE_POLICY: true }),
    env,
  );
  const preset = PRESETS[IDLE_POLICY_PRESET];
  if (!preset)
    throw new ConfigError(`IDLE_POLICY_PRESET: unknown preset; use one of ${Object.keys(PRESETS).join(", ")}`);
  let overrides = {};
  if (IDLE_POLICY) {
    try {
      overrides = JSON.parse(IDLE_POLICY);
    } catch {
      throw new ConfigError("IDLE_POLICY: must be a JSON object, e.g. IDLE_POLICY='{\"idleDesktopSeconds\":900}'");
    }
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
      throw new ConfigError("IDLE_POLICY: must be a JSON object of policy fields");
    }
  }
  const result = policySchema.safeParse({ ...preset.policy, ...overrides });
  if (!result.success) {
    throw new ConfigError(
      `Invalid IDLE_POLICY (on top of preset "${IDLE_POLICY_PRESET}"):\n${describe(result.error, "IDLE_POLICY.")}`,
    );
  }
  return result.data;
}

/**
 * Whether Kratos' session cookie should be persistent: KRATOS_SESSION_COOKIE_PERSISTENT if set, else the
 * preset's choice (policy-config.js). Read by scripts/print-policy.ts when scripts/lib.sh starts Kratos.
 * @param {Record<string, string | undefined>} [env]
 * @returns {boolean}
 */
export function sessionCookiePersistent(env = process.env) {
  const { IDLE_POLICY_PRESET, KRATOS_SESSION_COOKIE_PERSISTENT } = parse(
    edgeSchema.pick({ IDLE_POLICY_PRESET: true }).extend({
      KRATOS_SESSION_COOKIE_PERSISTENT: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).optional(),
    }),
    env,
  );
  if (KRATOS_SESSION_COOKIE_PERSISTENT) return KRATOS_SESSION_COOKIE_PERSISTENT === "true";
  const preset = PRESETS[IDLE_POLICY_PRESET];
  if (!preset)
    throw new ConfigError(`IDLE_POLICY_PRESET: unknown preset; use one of ${Object.keys(PRESETS).join(", ")}`);
  return preset.sessionCookiePersistent;
}

/**
 * APP_INTERNAL_URL, always set: the configured value, else loopback on this process's own port (PORT, set
 * by `next start` / `next dev`; without it, APP_URL's port).
 * @template {{ APP_URL: string, APP_INTERNAL_URL?: string, PORT?: number }} T
 * @param {T} data
 * @returns {T & { APP_INTERNAL_URL: string }}
 */
function withInternalUrl(data) {
  if (data.APP_INTERNAL_URL) return /** @type {T & { APP_INTERNAL_URL: string }} */ (data);
  const app = new URL(data.APP_URL);
  const port = data.PORT ?? (app.port ? Number(app.port) : app.protocol === "https:" ? 443 : 80);
  return { ...data, APP_INTERNAL_URL: `http://127.0.0.1:${port}` };
}

/** @param {Record<string, string | undefined>} [env] */
export function readEdgeEnv(env = process.env) {
  return withInternalUrl(parse(edgeSchema, env));
}

/** @param {Record<string, string | undefined>} [env] */
export function readServerEnv(env = process.env) {
  return withInternalUrl(parse(serverSchema, env));
}

/**
 * What `next build` checks: every variable but the secrets, which the build never needs (they are checked
 * by readServerEnv()/readEdgeEnv() when a process starts or first uses them).
 * @param {Record<string, string | undefined>} [env]
 */
export function readBuildEnv(env = process.env) {
  return withInternalUrl(
    parse(serverSchema.omit({ SESSION_SECRET: true, SESSION_SECRET_PREVIOUS: true, KRATOS_HOOK_SECRET: true }), env),
  );
}
