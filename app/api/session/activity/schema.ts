import { z } from "zod";

/** POST /api/session/activity: the heartbeat, "I'm still here", or a long operation's lease. */
export const activityBody = z
  .object({
    reason: z.enum(["heartbeat", "still-here", "lease"]).default("heartbeat"),
    /** pages open in this browser's tabs; the strictest one's budget governs */
    paths: z
      .array(z.string().regex(/^\/(?!\/)[^\s?#\\]{0,255}$/, "must be a path such as /billing"))
      .max(20)
      .optional(),
  })
  .strict();
