import { z } from "zod";

export const billingSchema = z
  .object({
    company: z.string().trim().min(1, "Enter the company name.").max(100, "At most 100 characters."),
    billing_email: z.email("Enter an email address such as billing@example.com.").max(320),
    vat_id: z
      .string()
      .trim()
      .toUpperCase()
      .transform((v) => (v === "" ? null : v))
      .refine(
        (v) => v === null || /^[A-Z]{2}[A-Z0-9]{2,13}$/.test(v),
        "A VAT ID starts with a country code, e.g. DE123456789.",
      ),
  })
  .strict();
