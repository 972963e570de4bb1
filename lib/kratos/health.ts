/**
 * Whether Kratos can serve this app: its public API (whoami, sign-in flows) and its admin API (revoking
 * sessions) both answer their readiness probes within the timeout. For GET /api/health/ready only.
 */
import { readEdgeEnv } from "@/lib/config/env.js";

const PROBE_TIMEOUT_MS = 2_000;

async function answers(url: string): Promise<boolean> {
  try {
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const response = await fetch(url, { signal, cache: "no-store", redirect: "manual" });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export async function kratosReady(): Promise<boolean> {
  const env = readEdgeEnv();
  const base = (url: string) => url.replace(/\/+$/, "");
  const probes = await Promise.all([
    answers(`${base(env.KRATOS_PUBLIC_INTERNAL_URL ?? env.KRATOS_PUBLIC_URL)}/health/ready`),
    answers(`${base(env.KRATOS_ADMIN_URL)}/admin/health/ready`),
  ]);
  return probes.every(Boolean);
}
