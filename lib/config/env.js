// @ts-check
/**
 * The one place the environment is read and validated (zod). next.config.js imports it, so a missing or
 * bad value stops `next dev`, `next build` and `next start` with a message naming the variable and what to
 * set. Never fail open: there are no silent defaults for secrets.
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

const edgeSchema = z.object({
  APP_URL: url.default("http://localhost:3000"),
  /** Where the Edge gate reaches this app's own Node side (/api/internal/*); defaults to APP_URL. */
  APP_INTERNAL_URL: url.optional(),
  KRATOS_PUBLIC_URL: url.default("http://localhost:4433"),
  /** Server-to-Kratos public URL; defaults to KRATOS_PUBLIC_URL. */
  KRATOS_PUBLIC_INTERNAL_URL: url.optional(),
  KRATOS_ADMIN_URL: url
    .default("http://127.0.0.1:4434")
    .refine((v) => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(v).hostname) || process.env.KRATOS_ADMIN_ALLOW_NON_LOOPBACK === "true", {
      message: "must be a loopback URL (the Kratos admin API has no authentication); set KRATOS_ADMIN_ALLOW_NON_LOOPBACK=true only behind a private network",
    }),
  KRATOS_SESSION_COOKIE: z.string().regex(/^[A-Za-z0-9_-]+$/).default("ory_kratos_session"),
  SESSION_SECRET: z
    .string({ error: "is required: 32+ random characters (e.g. `openssl rand -hex 32`); scripts/dev.sh writes one to .env.local" })
    .min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)"),
  IDLE_POLICY_PRESET: z.enum(/** @type {[string, ...string[]]} */ (Object.keys(PRESETS))).default("default"),
  IDLE_POLICY: z.string().optional(),
});

const serverSchema = edgeSchema.extend({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .default("postgres://postgres@127.0.0.1:5432/app"),
  /** "false" disables the in-process sweeper (when a separate worker runs it). */
  SWEEPER_ENABLED: z.enum(["true", "false"]).default("true"),
});

/**
 * @param {z.ZodError} error
 * @param {string} [prefix]
 */
function describe(error, prefix = "") {
  return error.issues
    .map((i) => `  - ${prefix}${i.path.join(".") || "(value)"}: ${i.message}`)
    .join("\n");
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
    throw new ConfigError(`Invalid environment configuration:\n${describe(result.error)}\nSee the README's configuration table.`);
  }
  return result.data;
}

/**
 * The effective idle policy: the preset, then the IDLE_POLICY JSON overrides on top (shallow merge).
 * @param {Record<string, string | undefined>} [env]
 * @returns {import("./policy-config.js").PolicyConfig}
 */
export function readPolicy(env = process.env) {
  const { IDLE_POLICY_PRESET, IDLE_POLICY } = parse(edgeSchema.pick({ IDLE_POLICY_PRESET: true, IDLE_POLICY: true }), env);
  const preset = PRESETS[IDLE_POLICY_PRESET];
  if (!preset) throw new ConfigError(`IDLE_POLICY_PRESET: unknown preset; use one of ${Object.keys(PRESETS).join(", ")}`);
  let overrides = {};
  if (IDLE_POLICY) {
    try {
      overrides = JSON.parse(IDLE_POLICY);
    } catch {
      throw new ConfigError('IDLE_POLICY: must be a JSON object, e.g. IDLE_POLICY=\'{"idleDesktopSeconds":900}\'');
    }
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
      throw new ConfigError("IDLE_POLICY: must be a JSON object of policy fields");
    }
  }
  const result = policySchema.safeParse({ ...preset.policy, ...overrides });
  if (!result.success) {
    throw new ConfigError(`Invalid IDLE_POLICY (on top of preset "${IDLE_POLICY_PRESET}"):\n${describe(result.error, "IDLE_POLICY.")}`);
  }
  return result.data;
}

/** @param {Record<string, string | undefined>} [env] */
export function readEdgeEnv(env = process.env) {
  return parse(edgeSchema, env);
}

/** @param {Record<string, string | undefined>} [env] */
export function readServerEnv(env = process.env) {
  return parse(serverSchema, env);
}
