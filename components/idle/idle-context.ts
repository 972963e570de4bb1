"use client";
/**
 * The idle session's React context, on its own so both the provider and the sign-out button can use it
 * without importing each other. useIdleSession() gives children `lease(promise)` and the current phase.
 */
import { createContext, useContext } from "react";
import type { Phase } from "@/lib/client/idle-types";

export interface IdleSessionValue {
  phase: Phase;
  lease: <T>(work: Promise<T>) => Promise<T>;
  /** a sign-out was submitted in this tab: its own redirect takes the tab away (idle-machine.ts) */
  signingOut: () => void;
}

export const IdleSessionContext = createContext<IdleSessionValue | null>(null);

export function useIdleSession(): IdleSessionValue {
  const value = useContext(IdleSessionContext);
  if (!value) throw new Error("useIdleSession() must be used inside <IdleSessionProvider>");
  return value;
}
