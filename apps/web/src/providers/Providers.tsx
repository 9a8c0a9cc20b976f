"use client";
/**
 * Everything the pages run inside, mounted once in the root layout: the deployment (fetched once
 * per page load), wagmi for it, React Query, and the app's frame. A navigation changes only the
 * page inside; the providers, the wallet connection and the event readers stay.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { DeploymentFile } from "@zklabel/core/deployment";
import { type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import { WagmiProvider } from "wagmi";
import { AppShell } from "@/components/AppShell";
import { DeploymentContext, DeploymentProblem, loadDeployment } from "@/lib/deployment";
import { messageFor } from "@/lib/errors";
import { makeWagmiConfig } from "@/lib/wagmi";

type LoadState =
  | { status: "loading" }
  | { status: "ready"; deployment: DeploymentFile }
  | { status: "error"; title: string; detail: string };

/** Loads and checks the deployment, then provides wagmi, React Query and the deployment to the pages. */
export function Providers({ children }: { children: ReactNode }) {
  const [state, setState] = useState<LoadState>({ status: "loading" });

  const load = useCallback((retry: boolean) => {
    let live = true;
    setState({ status: "loading" });
    loadDeployment(retry)
      .then((deployment) => live && setState({ status: "ready", deployment }))
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof DeploymentProblem) setState({ status: "error", title: e.title, detail: e.detail });
        else setState({ status: "error", title: "The app could not load its deployment", detail: messageFor(e) });
      });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => load(false), [load]);

  if (state.status !== "ready") {
    return (
      <AppShell>
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
            <button type="button" className="btn" onClick={() => load(true)}>
              Try again
            </button>
          </section>
        )}
      </AppShell>
    );
  }
  return <Ready deployment={state.deployment}>{children}</Ready>;
}

function Ready({ deployment, children }: { deployment: DeploymentFile; children: ReactNode }) {
  const config = useMemo(() => makeWagmiConfig(deployment), [deployment]);
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }),
  );
  return (
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <DeploymentContext.Provider value={deployment}>
          <AppShell connected>{children}</AppShell>
        </DeploymentContext.Provider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
