import type { Metadata } from "next";
import { connection } from "next/server";
import "@ory/elements-react/theme/styles.css";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Idle Sign-out", template: "%s · Idle Sign-out" },
  description: "Signs you out when you go idle.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // IMPORTANT: every page renders per request. The CSP nonce (lib/security/headers.js, set by the gate) is new
  // on every response and Next stamps it on its scripts while rendering; a page prerendered at build time
  // would carry no nonce and its scripts would be blocked. This also covers pages that use no request data
  // (the 404 and 403 pages, the home page's redirect).
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
