"use client";
/** Live reads of the escrow shared by the requester's and the auditor's pages. */
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import type { Address } from "viem";
import { useReadContract } from "wagmi";
import { useDeployment } from "./deployment";

/** The escrow's getTask(taskId), re-read every `refetchInterval` ms: live balance, reservation, cancellation, verifiers. */
export function useEscrowTask(taskId: bigint, refetchInterval = 4000) {
  const d = useDeployment();
  return useReadContract({
    address: d.escrow as Address,
    abi: escrowAbi,
    functionName: "getTask",
    args: [taskId],
    chainId: d.chainId,
    query: { refetchInterval },
  });
}

/** The escrow's emergency pause (docs/operations.md), re-read every 15 s; false until known. */
export function useEscrowPaused(): boolean {
  const d = useDeployment();
  const paused = useReadContract({
    address: d.escrow as Address,
    abi: escrowAbi,
    functionName: "paused",
    chainId: d.chainId,
    query: { refetchInterval: 15_000 },
  });
  return paused.data === true;
}
