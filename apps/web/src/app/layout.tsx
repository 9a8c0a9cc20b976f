import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "zkLabel — label data, prove it, get paid",
  description:
    "Label a batch of items, prove in your browser that the labels follow the task rules, and get paid by the escrow contract.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
