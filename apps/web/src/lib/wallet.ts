"use client";
/** Whether the connected wallet can act on the deployment's chain, and why not. */
import type { DeploymentFile } from "@zklabel/core/deployment";
import type { Address } from "viem";
import { useConnection } from "wagmi";

/** What keeps the connected wallet from acting on the deployment's chain. */
export type WalletProblem = "disconnected" | "connecting" | "wrong-chain" | null;

/** The connected account, and why it cannot act yet (null when it can). */
export function useWalletState(d: DeploymentFile): { address: Address | undefined; problem: WalletProblem } {
  const { address, chainId, status } = useConnection();
  if (status === "connecting" || status === "reconnecting") return { address, problem: "connecting" };
  if (status !== "connected" || !address) return { address: undefined, problem: "disconnected" };
  if (chainId !== d.chainId) return { address, problem: "wrong-chain" };
  return { address, problem: null };
}
