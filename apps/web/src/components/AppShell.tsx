"use client";
/** The app's frame: the top bar (brand, navigation, wallet) and the page's main area. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useDeployment } from "@/lib/deployment";
import { useEscrowPaused } from "@/lib/escrow";
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
              <NetworkName />
              <WalletPanel />
            </>
          )}
        </div>
      </header>
      <main className="container">
        {connected && <PausedBanner />}
        {children}
      </main>
    </>
  );
}

/** The network the app's deployment is on, by the name its deployment file gives (contracts/networks/<name>.json). */
function NetworkName() {
  const d = useDeployment();
  return (
    <span
      className="network-name small"
      data-testid="network-name"
      title={`chain ${d.chainId}, escrow ${d.escrow}${d.insecureDevKeys ? ", INSECURE development keys" : ""}`}
    >
      {d.network} · chain {d.chainId}
      {d.insecureDevKeys ? " · dev keys" : ""}
    </span>
  );
}

/** Shown on every page while the escrow's owner has paused new tasks and submissions. */
function PausedBanner() {
  if (!useEscrowPaused()) return null;
  return (
    <p className="banner" role="alert" data-testid="escrow-paused">
      The escrow's owner has paused it (an emergency pause): no new tasks, top-ups or batch submissions until it is
      lifted. Withdrawals, refunds, cancels, finalizing and rejections keep working, and no funds are held back.
    </p>
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
