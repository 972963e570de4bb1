import { z } from "zod";
import { isIdlePreference } from "@/lib/policy/idle-rule";

const CHOICE_MESSAGE = "Choose Never, 15, 30 or 60 minutes.";

export const idlePreferenceSchema = z.object({
  idle_timeout_minutes: z
    .string({ error: CHOICE_MESSAGE })
    .regex(/^\d{1,2}$/, CHOICE_MESSAGE)
    .transform(Number)
    .refine(isIdlePreference, CHOICE_MESSAGE),
});

export const deleteAccountSchema = z.object({
  confirm: z.literal("DELETE", { error: "Type DELETE (in capitals) to confirm." }),
});
