import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/providers/Providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "zkLabel — label data, prove it, get paid",
  description:
    "Label a batch of items, prove in your browser that the labels follow the task rules, and get paid by the escrow contract.",
};

/** Every page inside the one set of providers (deployment, wagmi, React Query) and the app's frame. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
