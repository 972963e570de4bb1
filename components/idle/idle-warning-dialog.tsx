"use client";
/**
 * "Are you still here?" (WCAG 2.2.1 Timing Adjustable): a native modal <dialog> with role="alertdialog",
 * labelled and described; showModal() moves focus in and closing returns it. The visible countdown updates
 * every second; the screen-reader announcement only at the start, 30 s and 10 s. No limit on extensions.
 * Before the absolute deadline (which cannot be extended) it offers "Sign in again now" instead.
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
  signOutAction: () => Promise<FormResult>;
}

export function IdleWarningDialog({ phase, area, returnTo, onStillHere, signOutAction }: Props) {
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
        <AbsoluteWarning titleId={titleId} descId={descId} returnTo={returnTo} />
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

/** Before the absolute deadline, which cannot be extended: sign in again now. */
function AbsoluteWarning({ titleId, descId, returnTo }: { titleId: string; descId: string; returnTo: string }) {
  const loginAgain = `/login?refresh=true&return_to=${encodeURIComponent(returnTo)}`;
  return (
    <>
      <h2 id={titleId}>Your session is about to end</h2>
      <p id={descId}>
        For security, sessions last a limited time. Sign in again now to keep working without interruption.
      </p>
      <div className="idle-dialog-actions">
        <a className="button" href={loginAgain} autoFocus>
          Sign in again now
        </a>
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
