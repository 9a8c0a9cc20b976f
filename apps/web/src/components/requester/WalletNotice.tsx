"use client";

import { useConnection, useSwitchChain } from "wagmi";
import { useDeployment } from "@/lib/deployment";
import { DEV_CHAIN_ID } from "@/lib/dev-wallet";
import { messageFor } from "@/lib/errors";
import type { WalletProblem } from "@/lib/wallet";
import "./requester.css";

/** Why the wallet cannot act yet (not connected, connecting, wrong chain), with the way out. */
export function WalletNotice({ problem, what }: { problem: WalletProblem; what: string }) {
  const d = useDeployment();
  const { chainId } = useConnection();
  const switchChain = useSwitchChain();
  if (problem === null) return null;
  if (problem === "connecting")
    return (
      <p className="banner" role="status">
        Connecting the wallet…
      </p>
    );
  if (problem === "disconnected")
    return (
      <p className="banner" role="status" data-testid="rq-connect-notice">
        Connect a wallet to {what}: use <strong>Connect dev wallet</strong> or <strong>Browser wallet</strong> at the
        top right{d.chainId === DEV_CHAIN_ID ? " (dev account #0 is the demo requester)" : ""}.
      </p>
    );
  return (
    <div className="banner rq-wallet" role="alert" data-testid="rq-wrong-chain">
      <p>
        Your wallet is on chain {chainId}, but this deployment is on chain {d.chainId}: switch networks to {what}.
      </p>
      <button
        type="button"
        className="btn small"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: d.chainId })}
      >
        {switchChain.isPending ? "Switching…" : `Switch to chain ${d.chainId}`}
      </button>
      {switchChain.error && <p className="error small">{messageFor(switchChain.error)}</p>}
    </div>
  );
}
