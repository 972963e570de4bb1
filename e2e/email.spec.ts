/** Real mail through mailpit: forgot password and address verification (e2e/email-flows.ts). */
import { emailTests } from "./email-flows";

emailTests();
