/**
 * GET /recovery/restart: a new recovery flow after Kratos' CSRF check failed, at most once
 * (lib/auth/flow-restart.ts).
 */
import { restartRoute } from "@/lib/auth/flow-restart";

export const GET = restartRoute("recovery");
