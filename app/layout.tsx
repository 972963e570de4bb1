import type { Metadata } from "next";
import "@ory/elements-react/theme/styles.css";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Idle Sign-out", template: "%s · Idle Sign-out" },
  description: "Signs you out when you go idle.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
