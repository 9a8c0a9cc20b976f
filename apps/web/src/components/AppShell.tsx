"use client";
/** The app's frame: the top bar (brand, navigation, wallet) and the page's main area. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { WalletPanel } from "./WalletPanel";

/**
 * The frame around every page. `connected`: the deployment is loaded and wagmi is mounted, so the
 * navigation and the wallet panel can show (before that, only the brand and the page's status).
 */
export function AppShell({ children, connected = false }: { children: ReactNode; connected?: boolean }) {
  return (
    <>
      <header className="topbar">
        <div className="topbar-inner">
          <Brand />
          {connected && (
            <>
              <Nav />
              <WalletPanel />
            </>
          )}
        </div>
      </header>
      <main className="container">{children}</main>
    </>
  );
}

const NAV: { href: string; label: string; match: RegExp }[] = [
  { href: "/work", label: "Work", match: /^\/work/ },
  { href: "/requester/new", label: "Post a task", match: /^\/requester\/new/ },
  { href: "/requester", label: "My tasks", match: /^\/requester(\/(?!new)|$)/ },
  { href: "/audit", label: "Audit", match: /^\/audit/ },
];

function Nav() {
  const path = usePathname() ?? "/";
  return (
    <nav aria-label="Main" className="mainnav">
      {NAV.map((n) => (
        <Link key={n.href} href={n.href} aria-current={n.match.test(path) ? "page" : undefined}>
          {n.label}
        </Link>
      ))}
    </nav>
  );
}

function Brand() {
  return (
    <Link className="brand" href="/">
      <svg aria-hidden="true" viewBox="0 0 64 64" width="28" height="28">
        <rect width="64" height="64" rx="14" fill="#1f3a5f" />
        <path
          d="M17 20h30L19 44h28"
          fill="none"
          stroke="#fff"
          strokeWidth="6"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
        <circle cx="47" cy="20" r="5" fill="#5ad1a4" />
      </svg>
      <span>zkLabel</span>
    </Link>
  );
}
