"use client";
/**
 * "Are you still here?" (WCAG 2.2.1 Timing Adjustable): a native modal <dialog> with role="alertdialog",
 * labelled and described; showModal() moves focus in and closing returns it. The visible countdown updates
 * every second; the screen-reader announcement only at the start, 30 s and 10 s. No limit on extensions.
 * Before the absolute deadline (which no activity extends) it says when the session ends, on the device's own
 * clock, and lets the person go on ("Continue"); where signing in again moves the deadline (policy
 * absoluteFrom "last-authentication") it offers "Sign in again now", else "Sign me out".
 */
import { useEffect, useId, useRef, useState } from "react";
import { secondsLeft } from "@/lib/client/deadlines";
import type { FormResult } from "@/lib/forms/result";
import type { Phase } from "@/lib/client/idle-machine";
import { SignOutButton } from "./sign-out-button";

interface Props {
  phase: Phase;
  area: string | undefined;
  returnTo: string;
  onStillHere: () => Promise<void> | undefined;
  /** "Continue" on the absolute warning */
  onContinue: () => void;
  signOutAction: () => Promise<FormResult>;
}

export function IdleWarningDialog({ phase, area, returnTo, onStillHere, onContinue, signOutAction }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const open = phase.kind !== "active";

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={descId}
      className="idle-dialog"
      data-testid="idle-warning"
      onCancel={(event) => event.preventDefault() /* Escape must not silently dismiss a security prompt */}
    >
      {phase.kind === "absolute-warning" ? (
        <AbsoluteWarning
          ids={{ titleId, descId }}
          phase={phase}
          returnTo={returnTo}
          onContinue={onContinue}
          signOutAction={signOutAction}
        />
      ) : (
        <StillHere
          ids={{ titleId, descId }}
          phase={phase}
          area={area}
          onStillHere={onStillHere}
          signOutAction={signOutAction}
        />
      )}
    </dialog>
  );
}

type AbsolutePhase = Extract<Phase, { kind: "absolute-warning" }>;

interface AbsoluteProps extends Pick<Props, "returnTo" | "onContinue" | "signOutAction"> {
  ids: { titleId: string; descId: string };
  phase: AbsolutePhase;
}

/** Before the absolute deadline: when it comes, and what signing in again would (not) change. */
function AbsoluteWarning({ ids, phase, returnTo, onContinue, signOutAction }: AbsoluteProps) {
  // On the device's own clock (the one the person reads), computed once when the warning opens.
  const [endsAt] = useState(() => new Date(Date.now() + (phase.absoluteAt - performance.now())));
  const renewable = phase.from === "last-authentication";
  const loginAgain = `/login?refresh=true&return_to=${encodeURIComponent(returnTo)}`;
  return (
    <>
      <h2 id={ids.titleId}>Your session is about to end</h2>
      <p id={ids.descId}>
        Your session ends at{" "}
        <time dateTime={endsAt.toISOString()} data-testid="absolute-ends-at">
          {endsAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
        </time>
        . For security, a session lasts a limited time from when you{" "}
        {renewable
          ? "last signed in. Sign in again now to keep working without interruption."
          : "signed in; activity and signing in again do not extend it. Save your work: you will sign in again after."}
      </p>
      <div className="idle-dialog-actions">
        {renewable ? (
          <a className="button" href={loginAgain} autoFocus>
            Sign in again now
          </a>
        ) : null}
        <button type="button" autoFocus={!renewable} onClick={onContinue}>
          Continue
        </button>
        {renewable ? null : <SignOutButton action={signOutAction} label="Sign me out" />}
      </div>
    </>
  );
}

/** The live region's number changes only at the start, 30 s and 10 s, so it is announced only then. */
function spokenSeconds(phase: Phase, left: number): number {
  if (phase.kind !== "warning") return 0;
  if (left > 30) return phase.startLeft;
  return left > 10 ? Math.min(30, phase.startLeft) : Math.min(10, phase.startLeft);
}

interface StillHereProps extends Pick<Props, "area" | "onStillHere" | "signOutAction"> {
  ids: { titleId: string; descId: string };
  phase: Phase;
}

/** "Are you still here?" with the countdown, "I'm here" and "Sign me out". */
function StillHere({ ids, phase, area, onStillHere, signOutAction }: StillHereProps) {
  const [busy, setBusy] = useState(false);
  const left = phase.kind === "warning" ? secondsLeft(phase.idleAt, phase.at) : 0;
  const spoken = spokenSeconds(phase, left);
  const announcement = phase.kind === "warning" ? `You'll be signed out in ${spoken} seconds for security.` : "";
  const answer = async () => {
    setBusy(true);
    try {
      await onStillHere();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h2 id={ids.titleId}>Are you still here?</h2>
      <p id={ids.descId}>
        You&apos;ll be signed out in <strong data-testid="idle-countdown">{left}</strong> seconds for security
        {area && area !== "normal pages" ? ` (${area} signs you out sooner)` : ""}.
      </p>
      <p className="visually-hidden" aria-live="assertive" aria-atomic="true">
        {announcement}
      </p>
      <div className="idle-dialog-actions">
        <button type="button" autoFocus disabled={busy} onClick={answer}>
          I&apos;m here, keep me signed in
        </button>
        {/* Clears the drafts too: a manual sign-out keeps none. /signed-out tells the other tabs. */}
        <SignOutButton action={signOutAction} label="Sign me out" />
      </div>
    </>
  );
}
