/**
 * GET /registration/restart: a new registration flow after Kratos' CSRF check failed, at most once
 * (lib/auth/flow-restart.ts).
 */
import { restartRoute } from "@/lib/auth/flow-restart";

export const GET = restartRoute("registration");
