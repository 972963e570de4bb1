import { z } from "zod";
import { userRef } from "@/lib/admin/filters";

const TARGET_MESSAGE = "Enter the user's email address or identity id (UUID).";

export const endSessionsSchema = z.object({
  target: z.string({ error: TARGET_MESSAGE }).trim().min(1, TARGET_MESSAGE).pipe(userRef),
});
