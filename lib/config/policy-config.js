// @ts-check
/**
 * The idle/absolute policy's settings: named presets, each tied to the requirement it follows, and the
 * zod schema that validates overrides from IDLE_POLICY (JSON). Plain JavaScript because next.config.js
 * imports it to fail the build on a bad value; the rule that uses it is lib/policy/idle-rule.ts.
 */
import { z } from "zod";

const seconds = z.number().int().positive();

const ceilingSchema = z
  .object({
    /** Path prefix matched on whole segments: "/billing" covers "/billing/x", not "/billingx". */
    prefix: z.string().regex(/^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/, "must look like /billing"),
    seconds,
    /** Shown to people: "signed out after 5 minutes of inactivity on Billing". */
    label: z.string().min(1).max(40),
  })
  .strict();

export const policySchema = z
  .object({
    /** Absolute lifetime (Kratos session.lifespan). Idle time never extends it. */
    absoluteSeconds: seconds,
    /**
     * Where the absolute lifetime counts from: "sign-in" (Kratos issued_at, the session's creation: a step-up
     * or refresh login never extends it) or "last-authentication" (Kratos authenticated_at: each
     * re-authentication restarts it, as NIST SP 800-63B counts). docs/decisions.md says why each preset picks.
     */
    absoluteFrom: z.enum(["sign-in", "last-authentication"]),
    /** Normal idle budget on desktop and on mobile; applies where no ceiling is stricter. */
    idleDesktopSeconds: seconds,
    idleMobileSeconds: seconds,
    /** Sensitive areas: ceilings that always apply, whatever the device or the user's choice. */
    ceilings: z.array(ceilingSchema).max(20),
    /** The user's choice (Kratos trait, minutes) mapped to seconds. 0 ("never") has no idle limit. */
    preferenceSeconds: z.object({ 15: seconds, 30: seconds, 60: seconds }).strict(),
    /** Admins are capped at this and can never choose "never". */
    adminCapSeconds: seconds,
    /** The warning shows this long before the idle deadline (WCAG 2.2.1 asks for at least 20 s). */
    warningSeconds: z.number().int().min(20).max(600),
    /** Warn this long before the absolute deadline (it cannot be extended, only re-authenticated). */
    absoluteWarningSeconds: z.number().int().min(20).max(3600),
    /** Sensitive actions need an authentication younger than this (step-up). */
    stepUpWindowSeconds: seconds,
    /** How often the gate re-asks Kratos (whoami) per session: the revocation bound. */
    revalidateSeconds: z.number().int().min(1).max(300),
    /** Server-side activity record written at most this often per session: the sweeper's slack. */
    activityWriteSeconds: z.number().int().min(1).max(300),
    /** How often the sweeper looks for abandoned sessions. */
    sweepIntervalSeconds: z.number().int().min(1).max(3600),
    /**
     * What browser input counts as activity besides clicks, keys, typing, wheel, touch and scroll.
     * `pointerMovement`: the mouse moving over the page (throttled in the browser: one look a second, a
     * heartbeat at most every heartbeat interval; lib/client/idle-input.ts).
     */
    activity: z.object({ pointerMovement: z.boolean() }).strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.warningSeconds >= p.idleDesktopSeconds && p.idleDesktopSeconds >= 40) {
      ctx.addIssue({ code: "custom", path: ["warningSeconds"], message: "must be shorter than idleDesktopSeconds" });
    }
    const prefixes = new Set();
    for (const c of p.ceilings) {
      if (prefixes.has(c.prefix))
        ctx.addIssue({ code: "custom", path: ["ceilings"], message: `duplicate prefix ${c.prefix}` });
      prefixes.add(c.prefix);
    }
  });

/** @typedef {z.infer<typeof policySchema>} PolicyConfig */

const MIN = 60;
const HOUR = 3600;

/** @type {PolicyConfig} */
const base = {
  absoluteSeconds: 4 * HOUR,
  // "4 h absolute" read as a promise from sign-in: a step-up must not buy another 4 h (docs/decisions.md).
  absoluteFrom: "sign-in",
  idleDesktopSeconds: 30 * MIN,
  idleMobileSeconds: 60 * MIN,
  ceilings: [
    { prefix: "/billing", seconds: 5 * MIN, label: "Billing" },
    { prefix: "/admin", seconds: 10 * MIN, label: "Admin" },
  ],
  preferenceSeconds: { 15: 15 * MIN, 30: 30 * MIN, 60: 60 * MIN },
  adminCapSeconds: 15 * MIN,
  warningSeconds: 60,
  absoluteWarningSeconds: 5 * MIN,
  stepUpWindowSeconds: 5 * MIN,
  revalidateSeconds: 15,
  activityWriteSeconds: 30,
  sweepIntervalSeconds: 15,
  // The seed counts mouse movement; a person reading without clicking is still there (docs/decisions.md).
  activity: { pointerMovement: true },
};

/**
 * Named presets (IDLE_POLICY_PRESET). Each says which requirement it follows; see the README's table.
 *
 * `sessionCookiePersistent`: whether Kratos' session cookie outlives the browser (Kratos
 * session.cookie.persistent, set from this by scripts/lib.sh as SESSION_COOKIE_PERSISTENT). The compliance
 * and high-value presets are meant for shared or managed devices (a counter, a ward, a branch office), where
 * a browser restart must not hand the next person a live session: their cookie is a browser-session cookie.
 * The default keeps Kratos' own default (persistent). KRATOS_SESSION_COOKIE_PERSISTENT overrides either way.
 * @type {Record<string, { source: string, sessionCookiePersistent: boolean, policy: PolicyConfig }>}
 */
export const PRESETS = {
  default: {
    source: "OWASP ASVS 4.0.3 3.3.2 L2 (30 min idle), with 4 h absolute and stricter sensitive areas",
    sessionCookiePersistent: true,
    policy: base,
  },
  "pci-dss": {
    source: "PCI DSS v4.0 8.2.8: re-authenticate after more than 15 minutes idle",
    sessionCookiePersistent: false,
    policy: { ...base, idleDesktopSeconds: 15 * MIN, idleMobileSeconds: 15 * MIN, adminCapSeconds: 15 * MIN },
  },
  "nist-aal2": {
    source: "NIST SP 800-63B rev 4 AAL2: inactivity 1 h, reauthentication at least every 24 h",
    sessionCookiePersistent: false,
    policy: {
      ...base,
      absoluteSeconds: 24 * HOUR,
      absoluteFrom: "last-authentication",
      idleDesktopSeconds: HOUR,
      idleMobileSeconds: HOUR,
    },
  },
  "nist-aal3": {
    source: "NIST SP 800-63B rev 4 AAL3: inactivity 15 min, reauthentication at least every 12 h",
    sessionCookiePersistent: false,
    policy: {
      ...base,
      absoluteSeconds: 12 * HOUR,
      absoluteFrom: "last-authentication",
      idleDesktopSeconds: 15 * MIN,
      idleMobileSeconds: 15 * MIN,
    },
  },
  banking: {
    source: "OWASP Session Management Cheat Sheet, high-value applications: 2-5 min idle on money, 15 min elsewhere",
    sessionCookiePersistent: false,
    policy: {
      ...base,
      absoluteSeconds: 4 * HOUR,
      idleDesktopSeconds: 15 * MIN,
      idleMobileSeconds: 15 * MIN,
      ceilings: [
        { prefix: "/billing", seconds: 5 * MIN, label: "Billing" },
        { prefix: "/admin", seconds: 5 * MIN, label: "Admin" },
      ],
      adminCapSeconds: 10 * MIN,
    },
  },
};
