import type { ReactNode } from "react";
import { Providers } from "./providers";

export const metadata = { title: "firecrawl-interact Next.js fixture" };

/** Root layout; no next/font, so the build never reaches the network. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
