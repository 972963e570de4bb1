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
  const [busy, setBusy] = useState(false);
  const open = phase.kind !== "active";

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const left = phase.kind === "warning" ? secondsLeft(phase.idleAt, phase.at) : 0;
  // The live region's text changes only at the start, 30 s and 10 s, so it is announced only then.
  const spoken = phase.kind !== "warning" ? 0 : left > 30 ? phase.startLeft : left > 10 ? Math.min(30, phase.startLeft) : Math.min(10, phase.startLeft);
  const announcement = phase.kind === "warning" ? `You'll be signed out in ${spoken} seconds for security.` : "";
  const loginAgain = `/login?refresh=true&return_to=${encodeURIComponent(returnTo)}`;

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
      ) : (
        <>
          <h2 id={titleId}>Are you still here?</h2>
          <p id={descId}>
            You&apos;ll be signed out in <strong data-testid="idle-countdown">{left}</strong> seconds for security
            {area && area !== "normal pages" ? ` (${area} signs you out sooner)` : ""}.
          </p>
          <p className="visually-hidden" aria-live="assertive" aria-atomic="true">
            {announcement}
          </p>
          <div className="idle-dialog-actions">
            <button
              type="button"
              autoFocus
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onStillHere();
                } finally {
                  setBusy(false);
                }
              }}
            >
              I&apos;m here, keep me signed in
            </button>
            {/* Clears the drafts too: a manual sign-out keeps none. /signed-out tells the other tabs. */}
            <SignOutButton action={signOutAction} label="Sign me out" />
          </div>
        </>
      )}
    </dialog>
  );
}
