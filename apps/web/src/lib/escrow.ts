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
