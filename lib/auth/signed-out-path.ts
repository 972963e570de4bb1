/**
 * The /signed-out URL for a session the server ended, built the same way by the gate, verifySession() and
 * apiSession(): why (reason), where the budget ran out (area: a path, shown only as its area's label), how
 * long the budget was, and the page to come back to. Pure.
 */
export interface SignedOutInfo {
  reason: "idle" | "absolute" | "revoked";
  area?: string;
  budgetSeconds?: number | null;
  returnTo: string;
}

export function signedOutPath(info: SignedOutInfo): string {
  const q = new URLSearchParams({ reason: info.reason });
  if (info.area) q.set("area", info.area);
  if (info.budgetSeconds) q.set("after", String(Math.round(info.budgetSeconds)));
  q.set("return_to", info.returnTo);
  return `/signed-out?${q.toString()}`;
}
