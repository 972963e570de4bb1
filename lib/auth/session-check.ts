import "server-only";
/**
 * The Node adapter of the enforcement core: the same evaluation (lib/session/evaluate.ts) and the same
 * verdict (lib/session/enforce.ts) as the Edge gate, for every page, server action and route handler, so
 * nothing runs on an expired session even if the middleware matcher misses a route. Its effects are applied
 * the Node way: Kratos for a revocation, the database through the outbox for the session end, the audit
 * trail and the throttled activity write, next/headers' cookies for a re-issued record.
 * verifySession() and apiSession() render the answer (a redirect, or JSON).
 *
 * A page, prefetch or action the gate admitted carries the instant the gate judged it at (its signed
 * admission, lib/session/admission.ts): the record's freshness is judged at that instant, so a record the
 * gate found fresh is fresh here too and this look never needs Kratos. (The activity itself is stamped and
 * judged at this side's own clock, where the work runs, as before.)
 */
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { noteActivity, readActivity, recordSessionEnd } from "@/lib/activity/store";
import { audit } from "@/lib/audit/write";
import { readEdgeEnv, readPolicy } from "@/lib/config/env.js";
import type { PolicyConfig } from "@/lib/config/policy-config.js";
import { revokeSession } from "@/lib/kratos/admin";
import { whoami } from "@/lib/kratos/session";
import { deviceFrom, type Budget, type Device } from "@/lib/policy/idle-rule";
import { ADMISSION_HEADER, admittedAt } from "@/lib/session/admission";
import { ACTIVITY_COOKIE, type ActivityRecord } from "@/lib/session/activity-record";
import { enforce, type Answer, type Effect } from "@/lib/session/enforce";
import { Confirmations, evaluate, type ServerActivity } from "@/lib/session/evaluate";
import { KIND_HEADER, isApiLike, type ApiKind, type PageKind } from "@/lib/session/request-kind";
import type { Session } from "@/lib/session/session";
import { PATH_HEADER } from "./constants";
import { saveRecord } from "./record";

export type CheckKind = PageKind | ApiKind;

/** What verifySession() and apiSession() hand out: the session, its record and its deadlines. */
export interface VerifiedSession extends Session {
  /** the signed record after this request */
  record: ActivityRecord;
  /** budget governing the last activity, and its deadline (null: no idle limit) */
  budget: Budget;
  idleDeadline: number | null;
  absoluteDeadline: number;
  device: Device;
}

export type Check =
  | { answer: Extract<Answer, { kind: "pass" }>; session: VerifiedSession }
  | { answer: Exclude<Answer, { kind: "pass" }>; session?: undefined };

/** Kratos answers this process has had (see lib/session/confirmations.ts). */
const confirmations = new Confirmations();

async function serverActivity(sessionId: string): Promise<ServerActivity> {
  try {
    const row = await readActivity(sessionId);
    return row && !row.ended ? { lastActivityAt: row.lastActivityAt, lastPath: row.lastPath } : null;
  } catch {
    return "unavailable";
  }
}

/** The requested path as the gate saw it (or "/" when no gate ran: the normal budget, never a looser one). */
export async function requestPath(): Promise<string> {
  const value = (await headers()).get(PATH_HEADER) ?? "/";
  return value.split("?")[0] || "/";
}

/**
 * `declaredArea`: the area this check belongs to whatever the URL (verifyAdmin: "/admin"; billing actions:
 * "/billing"), so an admin action posted from /dashboard or an admin API is judged as the admin area.
 * Memoised per request.
 */
export const checkSession = cache(async (kind: CheckKind, declaredArea?: string): Promise<Check> => {
  const env = readEdgeEnv();
  const policy = readPolicy();
  const h = await headers();
  const jar = await cookies();
  // API calls are judged against the page the user is on (the record's), never their own path; and the gate
  // may pass them on without rewriting request headers, so a path or admission header there could be the browser's.
  const apiLike = isApiLike(kind);
  const recordCookie = jar.get(ACTIVITY_COOKIE)?.value;
  const admitted = apiLike
    ? undefined
    : admittedAt(env.SESSION_SECRET, h.get(ADMISSION_HEADER), {
        kind: h.get(KIND_HEADER) ?? "",
        path: h.get(PATH_HEADER) ?? "",
        record: recordCookie ?? "",
      });
  const path = apiLike ? "/" : await requestPath();
  const device = deviceFrom(h.get("sec-ch-ua-mobile"), h.get("user-agent"));
  const evaluation = await evaluate(
    {
      now: Date.now(),
      freshAt: admitted,
      path,
      kind,
      where: "handler",
      declaredArea,
      device,
      kratosCookieName: env.KRATOS_SESSION_COOKIE,
      kratosCookie: jar.get(env.KRATOS_SESSION_COOKIE)?.value,
      recordCookie,
      policy,
      secret: env.SESSION_SECRET,
    },
    { whoami, serverActivity, confirmations },
  );
  const { answer, effects } = enforce(evaluation, { where: "handler", kind, path, device, policy });
  await apply(effects, policy);
  if (answer.kind !== "pass") return { answer };
  if (evaluation.outcome !== "allow") throw new Error(`a pass for the outcome ${evaluation.outcome}`);
  return { answer, session: { ...evaluation.session, record: evaluation.record, ...answer.deadlines, device } };
});

/** The verdict's effects, in order. A revocation Kratos refuses throws KratosUnavailableError: deny, never pretend. */
async function apply(effects: Effect[], policy: PolicyConfig): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case "revoke":
        await revokeSession(effect.sessionId);
        break;
      case "end":
        recordSessionEnd(effect.end);
        break;
      case "audit":
        audit(effect.event);
        break;
      case "note-activity":
        // Queued now, not after the response: the sweeper waits for this process's queue (sweepWhenSafe),
        // and under load a write left to after() reached the queue seconds late.
        noteActivity(effect.write, policy.activityWriteSeconds * 1000);
        break;
      case "set-record":
        if (effect.respond) await saveRecord(effect.record);
        break;
      case "clear-cookies":
        break; // the gate's (a page being rendered cannot set cookies)
    }
  }
}
