"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { DeploymentFile } from "@zklabel/core/deployment";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { WagmiProvider } from "wagmi";
import { DeploymentProblem, loadDeployment } from "@/lib/deployment";
import { makeWagmiConfig } from "@/lib/wagmi";
import { WalletPanel } from "./WalletPanel";

const DeploymentContext = createContext<DeploymentFile | null>(null);

/** The validated deployment.json (only inside AppShell, once it has loaded). */
export function useDeployment(): DeploymentFile {
  const d = useContext(DeploymentContext);
  if (!d) throw new Error("useDeployment outside AppShell");
  return d;
}

type LoadState =
  | { status: "loading" }
  | { status: "ready"; deployment: DeploymentFile }
  | { status: "error"; title: string; detail: string };

/** Loads and checks the deployment, then provides wagmi and the deployment to the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const [state, setState] = useState<LoadState>({ status: "loading" });

  const load = useCallback((signal?: AbortSignal) => {
    setState({ status: "loading" });
    loadDeployment(signal)
      .then((deployment) => setState({ status: "ready", deployment }))
      .catch((e: unknown) => {
        if (signal?.aborted) return;
        if (e instanceof DeploymentProblem) setState({ status: "error", title: e.title, detail: e.detail });
        else
          setState({
            status: "error",
            title: "The app could not load its deployment",
            detail: e instanceof Error ? e.message : String(e),
          });
      });
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal);
    return () => ac.abort();
  }, [load]);

  if (state.status !== "ready") {
    return (
      <>
        <TopBar />
        <main className="container">
          {state.status === "loading" ? (
            <p className="muted" role="status" data-testid="deployment-loading">
              Loading the deployment…
            </p>
          ) : (
            <section className="card problem" role="alert" data-testid="deployment-error">
              <h1>{state.title}</h1>
              <p className="problem-detail">{state.detail}</p>
              <p>
                Start the product with <code>npm run dev</code> at the repository root, then reload this page.
              </p>
              <button type="button" className="btn" onClick={() => load()}>
                Try again
              </button>
            </section>
          )}
        </main>
      </>
    );
  }
  return <Providers deployment={state.deployment}>{children}</Providers>;
}

function Providers({ deployment, children }: { deployment: DeploymentFile; children: ReactNode }) {
  const config = useMemo(() => makeWagmiConfig(deployment), [deployment]);
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }),
  );
  return (
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <DeploymentContext.Provider value={deployment}>
          <TopBar nav>
            <WalletPanel />
          </TopBar>
          <main className="container">{children}</main>
        </DeploymentContext.Provider>
      </QueryClientProvider>
    </WagmiProvider>
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

function TopBar({ children, nav }: { children?: ReactNode; nav?: boolean }) {
  return (
    <header className="topbar">
      <div className="topbar-inner">
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
        {nav && <Nav />}
        {children}
      </div>
    </header>
  );
}
