"use client";
/**
 * Mounted on signed-in pages (app/(app)/layout.tsx). Runs the IdleController and shows the warning.
 * useIdleSession() gives children `lease(promise)` for long operations and the current phase.
 */
import { usePathname } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { Deadlines } from "@/lib/client/deadlines";
import type { FormResult } from "@/lib/forms/result";
import { IdleController, type Phase } from "./controller";
import { IdleWarningDialog } from "./idle-warning-dialog";

interface IdleSessionValue {
  phase: Phase;
  lease: <T>(work: Promise<T>) => Promise<T>;
}

const IdleSessionContext = createContext<IdleSessionValue | null>(null);

export function useIdleSession(): IdleSessionValue {
  const value = useContext(IdleSessionContext);
  if (!value) throw new Error("useIdleSession() must be used inside <IdleSessionProvider>");
  return value;
}

export function IdleSessionProvider({ children, signOutAction }: { children: React.ReactNode; signOutAction: () => Promise<FormResult> }) {
  const pathname = usePathname();
  const [phase, setPhase] = useState<Phase>({ kind: "active" });
  const [deadlines, setDeadlines] = useState<Deadlines | null>(null);
  const controller = useRef<IdleController | null>(null);

  useEffect(() => {
    const c = new IdleController({
      path: pathname,
      onPhase: (p, d) => {
        setPhase(p);
        setDeadlines(d);
      },
    });
    controller.current = c;
    c.start();
    return () => c.stop();
  }, [pathname]);

  const lease = useCallback(<T,>(work: Promise<T>) => controller.current?.lease(work) ?? work, []);
  const value = useMemo(() => ({ phase, lease }), [phase, lease]);

  return (
    <IdleSessionContext.Provider value={value}>
      {children}
      <IdleWarningDialog
        phase={phase}
        area={deadlines?.area}
        onStillHere={() => controller.current?.stillHere()}
        signOutAction={signOutAction}
        returnTo={pathname}
      />
    </IdleSessionContext.Provider>
  );
}
