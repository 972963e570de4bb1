/**
 * One evaluation of a request's session, shared by the Edge gate (middleware.ts) and verifySession()
 * (pages, server actions, route handlers). Web APIs only; I/O comes in through `deps`. What to do about
 * it (revoke, audit, answer) is decided once, in lib/session/enforce.ts.
 *
 * 1. No Kratos cookie -> "no-session".
 * 2. The signed activity record is read. Kratos is asked (whoami) only when the record is missing, invalid,
 *    checked with another cookie, or older than `revalidateSeconds`: that interval bounds how long a
 *    revocation made elsewhere (admin, another app) can go unnoticed.
 * 3. Kratos unreachable -> "unavailable" (deny, but never a sign-out). Kratos 401 -> "ended".
 * 4. The idle rule (lib/policy/idle-rule.ts) decides: allow / step-up / expire.
 */
import type { PolicyConfig } from "@/lib/config/policy-config.js";
import type { WhoamiResult } from "@/lib/kratos/types";
import {
  decide,
  effectiveLastActivity,
  judgedPath,
  type Decision,
  type Device,
  type Subject,
} from "@/lib/policy/idle-rule";
import { cookieToken, decodeRecord, type ActivityRecord } from "./activity-record";
import { Confirmations } from "./confirmations";
import { isApiLike, movesClock, type RequestKind } from "./request-kind";
import type { Session } from "./session";

export { Confirmations };

export type ServerActivity = { lastActivityAt: number; lastPath: string } | null | "unavailable";

export interface EvaluateDeps {
  whoami: (cookieHeader: string) => Promise<WhoamiResult>;
  /**
   * The last activity the server knows for a session: when the record is missing, and before an idle end or
   * step-up.
   */
  serverActivity: (sessionId: string) => Promise<ServerActivity>;
  /** Kratos answers this process has had (see Confirmations); without it, only the record's check time counts. */
  confirmations?: Confirmations;
}

export interface EvaluateInput {
  now: number;
  path: string;
  kind: RequestKind;
  /** who evaluates: the Edge gate moves the clock for navigations only, the Node side where work runs */
  where: "gate" | "handler";
  /** an area the caller names itself (verifyAdmin: "/admin"), judged whatever the path (judgedPath()) */
  declaredArea?: string;
  device: Device;
  /** Kratos' session cookie name and value (decoded); only this cookie is sent to Kratos. */
  kratosCookieName: string;
  kratosCookie: string | undefined;
  recordCookie: string | undefined;
  policy: PolicyConfig;
  secret: string;
  /**
   * The instant the record's freshness is judged at, when not `now`: the gate's admission (verifySession()
   * on a request the gate admitted, lib/session/admission.ts), so a record the gate found fresh is fresh here
   * too and the Node side's look never needs Kratos. Never later than `now`.
   */
  freshAt?: number;
}

interface Common {
  /** why a presented record was ignored (for the log; never its value) */
  ignoredRecord: "format" | "signature" | "payload" | undefined;
  askedKratos: boolean;
}

export type Ended = {
  outcome: "ended";
  reason: "idle" | "absolute" | "revoked";
  lastPath: string | undefined;
  budgetSeconds: number | null;
};

export type Judged = {
  outcome: "expire" | "step-up" | "allow";
  session: Session;
  decision: Decision;
  record: ActivityRecord;
  /** the valid record this request presented for this session, if any (to skip re-issuing an equal one) */
  presented: ActivityRecord | undefined;
  /** the governing path of the last activity */
  lastPath: string;
  /** a pending step-up was just satisfied by a newer authentication */
  stepUpCompleted: boolean;
  /** this evaluation is the first to require a step-up (not yet pending) */
  stepUpStarted: boolean;
};

export type Evaluation = Common &
  ({ outcome: "no-session" } | Ended | { outcome: "unavailable"; detail: string } | Judged);

/** The session's own fields of a record (or of Kratos' answer). */
function sessionOf(s: Session): Session {
  const { sessionId, identityId, email, name, role, preference, issuedAt, authenticatedAt, expiresAt } = s;
  return { sessionId, identityId, email, name, role, preference, issuedAt, authenticatedAt, expiresAt };
}

export async function evaluate(input: EvaluateInput, deps: EvaluateDeps): Promise<Evaluation> {
  if (!input.kratosCookie) return { outcome: "no-session", ignoredRecord: undefined, askedKratos: false };
  const read = decodeRecord(input.recordCookie, input.secret);
  const ignoredRecord = read.status === "invalid" ? read.reason : undefined;
  const known = await identify(input, input.kratosCookie, read.status === "valid" ? read.record : undefined, deps);
  if ("outcome" in known) return { ...known, ignoredRecord };
  return { ...(await judge(input, known, deps)), ignoredRecord, askedKratos: known.askedKratos };
}

/** Who the session is: from a fresh record, else from Kratos. */
interface Known {
  session: Session;
  /** the presented record, if it belongs to this session */
  record: ActivityRecord | undefined;
  tok: string;
  checkedAt: number;
  askedKratos: boolean;
}

type Early = Common & ({ outcome: "no-session" } | Ended | { outcome: "unavailable"; detail: string });

async function identify(
  input: EvaluateInput,
  kratosCookie: string,
  record: ActivityRecord | undefined,
  deps: EvaluateDeps,
): Promise<Known | Early> {
  const { now, policy } = input;
  const at = Math.min(input.freshAt ?? now, now);
  const tok = cookieToken(kratosCookie);
  // The later of the record's check time and this process's own last confirmation for this cookie.
  const checkedAt =
    record && record.kratosToken === tok
      ? Math.max(record.checkedAt, deps.confirmations?.lastFor(tok, record.sessionId) ?? 0)
      : undefined;
  if (record && checkedAt !== undefined && checkedAt <= at && at - checkedAt < policy.revalidateSeconds * 1000) {
    return { session: sessionOf(record), record, tok, checkedAt, askedKratos: false };
  }
  // IMPORTANT: rebuild the header from the parsed value: Next re-serializes request cookies after
  // middleware sets one (URL-encoding "=" to "%3D"), which Kratos cannot read. Kratos' values are
  // base64, so the parsed value is exactly what Kratos issued. No other cookie is sent to Kratos.
  const who = await deps.whoami(`${input.kratosCookieName}=${kratosCookie}`);
  if (who.status === "unavailable")
    return { outcome: "unavailable", detail: who.detail, ignoredRecord: undefined, askedKratos: true };
  if (who.status === "none") {
    deps.confirmations?.forget(tok);
    if (!record) return { outcome: "no-session", ignoredRecord: undefined, askedKratos: true };
    return { ...endedBy(record, input), ignoredRecord: undefined, askedKratos: true };
  }
  deps.confirmations?.confirm(tok, who.session.sessionId, now);
  // A record of another session (an older sign-in in this browser, or a moved cookie) says nothing here.
  const own = record && record.sessionId === who.session.sessionId ? record : undefined;
  return { session: sessionOf(who.session), record: own, tok, checkedAt: now, askedKratos: true };
}

/** Kratos ended the session: tell the user why, as far as the record knows. */
function endedBy(record: ActivityRecord, input: EvaluateInput): Ended {
  const subject: Subject = { role: record.role, preference: record.preference, device: input.device };
  const times = {
    now: input.now,
    issuedAt: record.issuedAt,
    authenticatedAt: record.authenticatedAt,
    expiresAt: record.expiresAt,
    lastActivityAt: record.lastActivityAt,
    lastActivityPath: record.lastPath,
  };
  const d = decide(times, record.lastPath, subject, input.policy);
  const reason = d.kind === "expire" ? d.reason : "revoked";
  const budgetSeconds = d.kind === "expire" && d.reason === "idle" ? d.budget.seconds : null;
  return { outcome: "ended", reason, lastPath: record.lastPath, budgetSeconds };
}

/** The idle rule on what is known, then the record this request leaves behind. */
async function judge(input: EvaluateInput, known: Known, deps: EvaluateDeps): Promise<Judged> {
  const { now, policy } = input;
  const { session, record } = known;
  let activity: { at: number | undefined; path: string | undefined } = {
    at: record?.lastActivityAt,
    path: record?.lastPath,
  };
  // IMPORTANT: a missing record never resets the idle clock: ask the server, else count from authentication.
  if (!record) activity = laterOf(activity, await deps.serverActivity(session.sessionId));

  const subject: Subject = { role: session.role, preference: session.preference, device: input.device };
  // The longest gap so far counts only for the authentication it was measured under (re-auth clears it).
  const longestGapMs = record && record.authenticatedAt === session.authenticatedAt ? record.longestGapMs : 0;
  // API calls: the page the user is on and their own area; pages and actions: their path and a named area.
  const requested = () =>
    judgedPath(
      { path: input.path, apiLike: isApiLike(input.kind), lastPath: activity.path, declared: input.declaredArea },
      subject,
      policy,
    );
  const rule = () => {
    const times = {
      now,
      issuedAt: session.issuedAt,
      authenticatedAt: session.authenticatedAt,
      expiresAt: session.expiresAt,
      lastActivityAt: activity.at,
      lastActivityPath: activity.path,
      longestGapMs,
    };
    return decide(times, requested(), subject, policy);
  };
  let decision = rule();
  if (record && (decision.kind === "step-up" || (decision.kind === "expire" && decision.reason === "idle"))) {
    // Before ending a session (or asking for a step-up) on the browser's record alone, ask the server too and
    // take the later activity: a record can be older than what the browser did (answers that crossed, see
    // needsReissue(); another instance). Rare path, one lookup. Unavailable: the record alone decides.
    const server = laterOf(activity, await deps.serverActivity(session.sessionId));
    if (server !== activity) {
      activity = server;
      decision = rule();
    }
  }
  const lastPath = activity.path ?? requested();
  const pending = record?.stepUpSince ?? null;
  const stepUpCompleted = pending !== null && session.authenticatedAt > pending;
  const next = nextRecord(input, known, {
    decision,
    lastActivityAt: activity.at,
    lastPath,
    longestGapMs,
    pending,
    stepUpCompleted,
  });
  const outcome = decision.kind === "allow" ? "allow" : decision.kind === "step-up" ? "step-up" : "expire";
  const stepUpStarted = decision.kind === "step-up" && (pending === null || stepUpCompleted);
  return { outcome, session, decision, record: next, presented: record, lastPath, stepUpCompleted, stepUpStarted };
}

/** `known`, or the server's activity when it is later (an unknown or unavailable server changes nothing). */
function laterOf(known: { at: number | undefined; path: string | undefined }, server: ServerActivity) {
  if (!server || server === "unavailable" || server.lastActivityAt <= (known.at ?? 0)) return known;
  return { at: server.lastActivityAt, path: server.lastPath };
}

function nextRecord(
  input: EvaluateInput,
  known: Known,
  j: {
    decision: Decision;
    lastActivityAt: number | undefined;
    lastPath: string;
    longestGapMs: number;
    pending: number | null;
    stepUpCompleted: boolean;
  },
): ActivityRecord {
  const { now, kind } = input;
  const { session } = known;
  const effectiveLast = effectiveLastActivity({
    authenticatedAt: session.authenticatedAt,
    lastActivityAt: j.lastActivityAt,
  });
  const active = j.decision.kind === "allow" && movesClock(kind, input.where);
  const stepUpSince =
    j.decision.kind === "step-up"
      ? j.stepUpCompleted
        ? now
        : (j.pending ?? now)
      : j.stepUpCompleted
        ? null
        : j.pending;
  return {
    ...session,
    email: session.email.slice(0, 320),
    name: session.name.slice(0, 100),
    kratosToken: known.tok,
    lastActivityAt: active ? now : effectiveLast,
    lastPath: (active && (kind === "page" || kind === "action") ? input.path : j.lastPath).slice(0, 256),
    checkedAt: known.askedKratos ? now : known.checkedAt,
    stepUpSince,
    // Activity closes the gap that ends now: remember it if it is the longest since authentication.
    longestGapMs: active ? Math.max(j.longestGapMs, now - effectiveLast) : j.longestGapMs,
  };
}
