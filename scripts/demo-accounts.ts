/**
 * The demo accounts (local development only; they are printed at start-up and listed in the README).
 * Tests use their own accounts, created through the UI or the admin API.
 */
export const DEMO_ACCOUNTS = [
  { email: "user@example.com", name: "Demo User", password: "correct-horse-battery-42", role: "user" },
  { email: "admin@example.com", name: "Demo Admin", password: "staple-lantern-orbit-77", role: "admin" },
] as const;
