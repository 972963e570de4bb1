/**
 * Prints a value of the effective idle policy for the shell scripts, so Kratos' session.lifespan always
 * equals the app's absolute lifetime. Exits non-zero with the validation message on a bad policy.
 *   node --import tsx scripts/print-policy.ts absolute   -> "14400s"
 *   node --import tsx scripts/print-policy.ts kratos     -> "14400s false": Kratos' session.lifespan and
 *                                                          session.cookie.persistent (the preset's choice)
 *   node --import tsx scripts/print-policy.ts json       -> the whole policy, e.g. "absoluteFrom": "sign-in" (where
 *                                                          the absolute lifetime counts from) and "activity"
 */
import { ConfigError, readPolicy, sessionCookiePersistent } from "../lib/config/env.js";

try {
  const policy = readPolicy();
  const what = process.argv[2] ?? "json";
  if (what === "absolute") console.log(`${policy.absoluteSeconds}s`);
  else if (what === "kratos") console.log(`${policy.absoluteSeconds}s ${sessionCookiePersistent()}`);
  else console.log(JSON.stringify(policy, null, 2));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
