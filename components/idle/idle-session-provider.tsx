"use client";
/**
 * Mounted on signed-in pages (app/(app)/layout.tsx). Runs the IdleController and shows the warning.
 * useIdleSession() gives children `lease(promise)` for long operations and the current phase.
 * IMPORTANT: one controller per tab. The layout stays mounted across client navigations, and the controller
 * is created once (not per pathname): a navigation is only `setPath`, so the tab keeps its id on the tab bus,
 * its channel and its one timer.
 */
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { FormResult } from "@/lib/forms/result";
import { IdleController, type Phase } from "./controller";
import { IdleSessionContext } from "./idle-context";
import { IdleWarningDialog } from "./idle-warning-dialog";

export { useIdleSession } from "./idle-context";

interface ProviderProps {
  children: React.ReactNode;
  signOutAction: () => Promise<FormResult>;
}

export function IdleSessionProvider({ children, signOutAction }: ProviderProps) {
  const pathname = usePathname();
  const [firstPath] = useState(pathname);
  const [phase, setPhase] = useState<Phase>({ kind: "active" });
  const [area, setArea] = useState<string | undefined>(undefined);
  const controller = useRef<IdleController | null>(null);

  useEffect(() => {
    const c = new IdleController(firstPath, (p, a) => {
      setPhase(p);
      setArea(a);
    });
    controller.current = c;
    c.start();
    return () => {
      c.stop();
      controller.current = null;
    };
  }, [firstPath]);

  useEffect(() => controller.current?.setPath(pathname), [pathname]);

  const lease = useCallback(<T,>(work: Promise<T>) => controller.current?.lease(work) ?? work, []);
  const signingOut = useCallback(() => controller.current?.signingOut(), []);
  const value = useMemo(() => ({ phase, lease, signingOut }), [phase, lease, signingOut]);

  return (
    <IdleSessionContext.Provider value={value}>
      {children}
      <IdleWarningDialog
        phase={phase}
        area={area}
        onStillHere={() => controller.current?.stillHere()}
        onContinue={() => controller.current?.dismissAbsoluteWarning()}
        signOutAction={signOutAction}
        returnTo={pathname}
      />
    </IdleSessionContext.Provider>
  );
}
