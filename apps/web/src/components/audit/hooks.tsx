"use client";
/**
 * Data hooks of the auditor pages: the task of the route, the escrow's live view of it, block
 * times for the timeline and the chart, and token units.
 */
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useMemo } from "react";
import { type Address, erc20Abi, zeroAddress } from "viem";
import { usePublicClient, useReadContracts } from "wagmi";
import { useDeployment } from "@/lib/deployment";
import { messageFor } from "@/lib/errors";
import { readAuditTask } from "@/lib/indexed";
import { parseIndex, useAuditSources, useChainNow } from "@/lib/tasks";

/** The chain's clock in unix seconds (the latest block's time, or the wall clock when later). */
export function useNowSeconds(): number {
  return Number(useChainNow());
}

const blockTimes = new Map<string, number>();

/**
 * One task for the auditor's pages (undefined while loading; null when it does not exist), read
 * through the indexer or from the events (readAuditTask), re-read every two seconds; the block
 * times the indexer knows go into useBlockTimes' cache.
 */
export function useAuditTask(id: bigint | null) {
  const d = useDeployment();
  const sources = useAuditSources();
  const q = useQuery({
    queryKey: ["audit-task", d.chainId, d.escrow, d.deployBlock, d.indexerUrl, id?.toString()],
    enabled: sources !== undefined && id !== null,
    refetchInterval: 2000,
    queryFn: async () => {
      if (!sources || id === null) throw new Error("no connection to the chain");
      const r = await readAuditTask(sources, id);
      for (const [block, time] of r.blockTimes) blockTimes.set(`${d.chainId}:${block}`, time);
      return r;
    },
  });
  return {
    task: id === null ? undefined : q.data?.task,
    source: q.data?.source,
    loading: q.isLoading,
    error: q.error ? `Reading the task failed: ${q.error.message}` : undefined,
    refetch: q.refetch,
  };
}

/** The task named by the route's `taskId` segment (and the raw id, null when it is not a number). */
export function useRouteTask() {
  const params = useParams<{ taskId?: string; batch?: string }>();
  const id = parseIndex(params?.taskId);
  const batch = parseIndex(params?.batch);
  return { id, rawId: params?.taskId ?? "", batch, rawBatch: params?.batch ?? "", ...useAuditTask(id) };
}

/** Unix timestamps of `blocks` (fetched once each and kept for the page's life). */
export function useBlockTimes(blocks: readonly bigint[]) {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  const wanted = useMemo(() => [...new Set(blocks.map(String))].sort(), [blocks]);
  const q = useQuery({
    queryKey: ["audit-block-times", d.chainId, wanted],
    enabled: client !== undefined && wanted.length > 0,
    placeholderData: (prev) => prev,
    queryFn: async () => {
      if (!client) throw new Error("no connection to the chain");
      const missing = wanted.filter((b) => !blockTimes.has(`${d.chainId}:${b}`));
      const got = await Promise.all(missing.map((b) => client.getBlock({ blockNumber: BigInt(b) })));
      for (const block of got) blockTimes.set(`${d.chainId}:${block.number}`, Number(block.timestamp));
      const out = new Map<bigint, number>();
      for (const b of wanted) {
        const t = blockTimes.get(`${d.chainId}:${b}`);
        if (t !== undefined) out.set(BigInt(b), t);
      }
      return out;
    },
  });
  return {
    times: q.data ?? new Map<bigint, number>(),
    error: q.error ? `Reading block times failed: ${messageFor(q.error)}` : undefined,
  };
}

/** A task's token as a symbol and decimals (ETH for the zero address; read from the ERC-20 otherwise). */
export function useTokenUnit(token: Address): { symbol: string; decimals: number } {
  const d = useDeployment();
  const isEth = token === zeroAddress;
  const r = useReadContracts({
    allowFailure: true,
    contracts: [
      { address: token, abi: erc20Abi, functionName: "symbol", chainId: d.chainId },
      { address: token, abi: erc20Abi, functionName: "decimals", chainId: d.chainId },
    ],
    query: { enabled: !isEth, staleTime: Number.POSITIVE_INFINITY },
  });
  if (isEth) return { symbol: "ETH", decimals: 18 };
  const symbol = r.data?.[0]?.status === "success" ? String(r.data[0].result) : "tokens";
  const decimals = r.data?.[1]?.status === "success" ? Number(r.data[1].result) : 18;
  return { symbol, decimals };
}
