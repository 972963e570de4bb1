/**
 * The email specs on the production shape: Kratos without --dev sends through mailpit, the codes are typed
 * into /recovery and /verification on the one HTTPS origin (e2e/email-flows.ts).
 */
import { emailTests } from "../email-flows";

emailTests();
