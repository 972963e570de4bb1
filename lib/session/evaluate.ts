/**
 * One evaluation of a request's session, shared by the Edge gate (middleware.ts) and verifySession()
 * (pages, server actions, route handlers). Web APIs only; I/O comes in through `deps`.
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
import { decide, judgedPath, type Decision, type Device, type Subject } from "@/lib/policy/idle-rule";
import { cookieToken, decodeRecord, type ActivityRecord } from "./activity-record";
import { movesClock, wantsJson, type RequestKind } from "./request-kind";
import { CACHE_SIZE, remember } from "./remember";

export interface SessionView {
  sessionId: string;
  identityId: string;
  email: string;
  name: string;
  role: "user" | "admin";
  preference: 0 | 15 | 30 | 60 | undefined;
  authenticatedAt: number;
  expiresAt: number;
}

export type ServerActivity = { lastActivityAt: number; lastPath: string } | null | "unavailable";

export interface EvaluateDeps {
  whoami: (cookieHeader: string) => Promise<WhoamiResult>;
  /** The last activity the server knows for a session: when the record is missing, and before an idle end or step-up. */
  serverActivity: (sessionId: string) => Promise<ServerActivity>;
  /** Kratos answers this process has had (see Confirmations); without it, only the record's `ck` counts. */
  confirmations?: Confirmations;
}

/**
 * When Kratos last confirmed a session for an exact cookie, as seen by this process (per Edge isolate or
 * Node process; bounded, oldest out first). A status poll or prefetch that had to ask Kratos does not
 * re-issue the record for that alone (see needsReissue: its answer can cross a newer one), so without this
 * the browser's next request presented the old check time and asked Kratos again, a second or two later
 * (bench item 3: 5.4 whoami calls per session-minute instead of 3.8). The bound is unchanged: a check
 * counts for revalidateSeconds from the time Kratos answered, whichever of the two remembers it.
 */
export class Confirmations {
  private readonly byToken = new Map<string, { sid: string; at: number }>();
  constructor(private readonly size = CACHE_SIZE) {}

  /** Kratos confirmed session `sid` for the cookie with token `tok` at `at`. */
  confirm(tok: string, sid: string, at: number): void {
    remember(this.byToken, tok, { sid, at }, this.size);
  }

  /** Kratos no longer knows the cookie: forget it. */
  forget(tok: string): void {
    this.byToken.delete(tok);
  }

  /** The last confirmation of `sid` for this cookie, if any. */
  lastFor(tok: string, sid: string): number | undefined {
    const hit = this.byToken.get(tok);
    return hit && hit.sid === sid ? hit.at : undefined;
  }
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
   * Extra age a record may have and still count as checked, on top of revalidateSeconds (default 0). Only
   * for verifySession(), which re-evaluates a request the gate admitted a moment earlier: see session-check.
   */
  recheckGraceMs?: number;
}

interface Common {
  /** why a presented record was ignored (for the log; never its value) */
  ignoredRecord: "format" | "signature" | "payload" | undefined;
  askedKratos: boolean;
}

export type Evaluation = Common &
  (
    | { outcome: "no-session" }
    | { outcome: "ended"; reason: "idle" | "absolute" | "revoked"; lastPath: string | undefined; budgetSeconds: number | null }
    | { outcome: "unavailable"; detail: string }
    | {
        outcome: "expire" | "step-up" | "allow";
        session: SessionView;
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
      }
  );

function viewFromRecord(r: ActivityRecord): SessionView {
  return { sessionId: r.sid, identityId: r.iid, email: r.em, name: r.nm, role: r.role, preference: r.pref ?? undefined, authenticatedAt: r.aa, expiresAt: r.exp };
}

export async function evaluate(input: EvaluateInput, deps: EvaluateDeps): Promise<Evaluation> {
  const { now, policy } = input;
  if (!input.kratosCookie) return { outcome: "no-session", ignoredRecord: undefined, askedKratos: false };

  const read = decodeRecord(input.recordCookie, input.secret);
  const ignoredRecord = read.status === "invalid" ? read.reason : undefined;
  let record = read.status === "valid" ? read.record : undefined;
  const tok = cookieToken(input.kratosCookie);

  const maxAge = policy.revalidateSeconds * 1000 + (input.recheckGraceMs ?? 0);
  // The later of the record's check time and this process's own last confirmation for this cookie.
  const checkedAt = record && record.tok === tok ? Math.max(record.ck, deps.confirmations?.lastFor(tok, record.sid) ?? 0) : undefined;
  const fresh = record !== undefined && checkedAt !== undefined && checkedAt <= now && now - checkedAt < maxAge;
  let session: SessionView;
  let askedKratos = false;
  if (fresh && record) {
    session = viewFromRecord(record);
  } else {
    askedKratos = true;
    // IMPORTANT: rebuild the header from the parsed value: Next re-serializes request cookies after
    // middleware sets one (URL-encoding "=" to "%3D"), which Kratos cannot read. Kratos' values are
    // base64, so the parsed value is exactly what Kratos issued. No other cookie is sent to Kratos.
    const who = await deps.whoami(`${input.kratosCookieName}=${input.kratosCookie}`);
    if (who.status === "unavailable") return { outcome: "unavailable", detail: who.detail, ignoredRecord, askedKratos };
    if (who.status === "none") {
      deps.confirmations?.forget(tok);
      if (!record) return { outcome: "no-session", ignoredRecord, askedKratos };
      // Kratos ended it: tell the user why, as far as the record knows.
      const d = decide(
        { now, authenticatedAt: record.aa, expiresAt: record.exp, lastActivityAt: record.la, lastActivityPath: record.lp },
        record.lp,
        { role: record.role, preference: record.pref ?? undefined, device: input.device },
        policy,
      );
      const reason = d.kind === "expire" ? d.reason : "revoked";
      const budgetSeconds = d.kind === "expire" && d.reason === "idle" ? d.budget.seconds : null;
      return { outcome: "ended", reason, lastPath: record.lp, budgetSeconds, ignoredRecord, askedKratos };
    }
    const s = who.session;
    deps.confirmations?.confirm(tok, s.sessionId, now);
    session = {
      sessionId: s.sessionId,
      identityId: s.identityId,
      email: s.email,
      name: s.name,
      role: s.role,
      preference: s.preference,
      authenticatedAt: s.authenticatedAt,
      expiresAt: s.expiresAt,
    };
    // A record of another session (an older sign-in in this browser, or a moved cookie) says nothing here.
    if (record && record.sid !== s.sessionId) record = undefined;
  }

  let lastActivityAt = record?.la;
  let lastPath = record?.lp;
  if (!record) {
    // IMPORTANT: a missing record never resets the idle clock: ask the server, else count from authentication.
    const server = await deps.serverActivity(session.sessionId);
    if (server && server !== "unavailable") {
      lastActivityAt = server.lastActivityAt;
      lastPath = server.lastPath;
    }
  }

  const subject: Subject = { role: session.role, preference: session.preference, device: input.device };
  const apiLike = wantsJson(input.kind);
  // The longest gap so far counts only for the authentication it was measured under (re-auth clears it).
  const longestGapMs = record && record.aa === session.authenticatedAt ? record.ig : 0;
  // API calls: the page the user is on and their own area; pages and actions: their path and a named area.
  const requestedPath = () => judgedPath({ path: input.path, apiLike, lastPath, declared: input.declaredArea }, subject, policy);
  const judge = () => {
    const times = { now, authenticatedAt: session.authenticatedAt, expiresAt: session.expiresAt, lastActivityAt, lastActivityPath: lastPath, longestGapMs };
    return decide(times, requestedPath(), subject, policy);
  };
  let decision = judge();
  if (record && (decision.kind === "step-up" || (decision.kind === "expire" && decision.reason === "idle"))) {
    // Before ending a session (or asking for a step-up) on the browser's record alone, ask the server too and
    // take the later activity: a record can be older than what the browser did (answers that crossed, see
    // needsReissue(); another instance). Rare path, one lookup. Unavailable: the record alone decides.
    const server = await deps.serverActivity(session.sessionId);
    if (server && server !== "unavailable" && server.lastActivityAt > (lastActivityAt ?? 0)) {
      lastActivityAt = server.lastActivityAt;
      lastPath = server.lastPath;
      decision = judge();
    }
  }
  const requested = requestedPath();

  const pendingStepUp = record?.su ?? null;
  const stepUpCompleted = pendingStepUp !== null && session.authenticatedAt > pendingStepUp;
  const effectiveLast = Math.max(session.authenticatedAt, lastActivityAt ?? session.authenticatedAt);
  const active = decision.kind === "allow" && movesClock(input.kind, input.where);
  const next: ActivityRecord = {
    sid: session.sessionId,
    tok,
    iid: session.identityId,
    em: session.email.slice(0, 320),
    nm: session.name.slice(0, 100),
    role: session.role,
    pref: session.preference ?? null,
    aa: session.authenticatedAt,
    exp: session.expiresAt,
    la: active ? now : effectiveLast,
    lp: active && (input.kind === "page" || input.kind === "action") ? input.path.slice(0, 256) : (lastPath ?? requested).slice(0, 256),
    ck: askedKratos ? now : (checkedAt ?? now),
    su: decision.kind === "step-up" ? (stepUpCompleted ? now : (pendingStepUp ?? now)) : stepUpCompleted ? null : pendingStepUp,
    // Activity closes the gap that ends now: remember it if it is the longest since authentication.
    ig: active ? Math.max(longestGapMs, now - effectiveLast) : longestGapMs,
  };
  const outcome = decision.kind === "allow" ? "allow" : decision.kind === "step-up" ? "step-up" : "expire";
  return {
    outcome,
    session,
    decision,
    record: next,
    presented: record,
    lastPath: lastPath ?? requested,
    stepUpCompleted,
    stepUpStarted: decision.kind === "step-up" && (pendingStepUp === null || stepUpCompleted),
    ignoredRecord,
    askedKratos,
  };
}
