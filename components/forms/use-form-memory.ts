"use client";
/**
 * Keeps what the user typed (WCAG 2.2.5 Re-authenticating): before a step-up round trip the form's fields go
 * to sessionStorage and come back after sign-in; forms that opt in also keep an unsaved draft in
 * localStorage across an idle sign-out. Both are kept only in this browser, keyed by identity, never hold
 * passwords, and drafts are cleared on a manual sign-out (clearAllDrafts).
 */
import { useCallback, useEffect, useRef, useState } from "react";

const DRAFT_PREFIX = "draft:";

type Values = Record<string, string>;

function read(storage: Storage, key: string): Values | null {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as Values) : null;
  } catch {
    return null;
  }
}

function valuesOf(form: HTMLFormElement): Values {
  const out: Values = {};
  for (const element of Array.from(form.elements)) {
    if (!(
      element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
    ))
      continue;
    if (
      !element.name ||
      element.name.startsWith("$") ||
      (element instanceof HTMLInputElement && ["password", "hidden", "submit"].includes(element.type))
    )
      continue;
    out[element.name] = element.value;
  }
  return out;
}

function fill(form: HTMLFormElement, values: Values): void {
  for (const [name, value] of Object.entries(values)) {
    const element = form.elements.namedItem(name);
    if (
      element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
    )
      element.value = value;
  }
}

export function clearAllDrafts(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith(DRAFT_PREFIX)) localStorage.removeItem(key);
}

export function useFormMemory(formId: string, identityId: string, opts: { draft?: boolean } = {}) {
  const ref = useRef<HTMLFormElement>(null);
  const stepUpKey = `stepup:${identityId}:${formId}`;
  const draftKey = `${DRAFT_PREFIX}${identityId}:${formId}`;
  const [restored, setRestored] = useState<"step-up" | "draft" | null>(null);

  useEffect(() => {
    const form = ref.current;
    if (!form) return;
    const fromStepUp = read(sessionStorage, stepUpKey);
    const fromDraft = opts.draft ? read(localStorage, draftKey) : null;
    if (fromStepUp) {
      fill(form, fromStepUp);
      sessionStorage.removeItem(stepUpKey);
      // eslint-disable-next-line react-hooks/set-state-in-effect -- restoring browser-only state after mount
      setRestored("step-up");
    } else if (fromDraft) {
      fill(form, fromDraft);
      setRestored("draft");
    }
  }, [stepUpKey, draftKey, opts.draft]);

  const onInput = useCallback(() => {
    if (opts.draft && ref.current) localStorage.setItem(draftKey, JSON.stringify(valuesOf(ref.current)));
  }, [draftKey, opts.draft]);

  const submitted = useRef<Values | null>(null);
  /** At submit time: what the user sent (the step-up below keeps exactly this). */
  const snapshot = useCallback(() => {
    if (ref.current) submitted.current = valuesOf(ref.current);
  }, []);

  /** Before leaving for the refresh login: remember the submitted fields for the way back. */
  const keepForStepUp = useCallback(() => {
    const values = submitted.current ?? (ref.current ? valuesOf(ref.current) : null);
    if (values) sessionStorage.setItem(stepUpKey, JSON.stringify(values));
  }, [stepUpKey]);

  const forget = useCallback(() => {
    localStorage.removeItem(draftKey);
    sessionStorage.removeItem(stepUpKey);
  }, [draftKey, stepUpKey]);

  return { ref, onInput, snapshot, keepForStepUp, forget, restored };
}
