import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Model assignment console", template: "%s · Model assignment console" },
  description: "Decide which model version each service runs, without breaking feature contracts.",
};

// Every page renders per request: proxy.ts gives each response a fresh CSP nonce, which Next can only put on
// the scripts of a page it renders now (a prerendered page's scripts would carry none and be blocked).
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
