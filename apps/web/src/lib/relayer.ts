"use client";
/**
 * The deployment's relayer (docs/protocol.md §7.2), the worker's default path: it submits the
 * proofs and sponsors open-group joins, so the worker needs no wallet and no address of its own
 * appears on-chain. Its info is read once a minute; a relayer that does not answer, or serves
 * another chain or escrow, is reported in words and the page offers the wallet instead.
 */
import { useQuery } from "@tanstack/react-query";
import { RelayerClient, type RelayerInfo } from "@zklabel/sdk/relayer";
import { useMemo } from "react";
import { messageFor } from "./errors";

export interface RelayerState {
  /** The deployment names a relayer. */
  configured: boolean;
  client?: RelayerClient;
  /** Its info, once read and found to serve this deployment. */
  info?: RelayerInfo;
  /** Why it cannot be used, in words (it did not answer, or serves another deployment). */
  error?: string;
  loading: boolean;
}

export function useRelayer(url: string | undefined, chainId: number, escrow: string): RelayerState {
  const client = useMemo(() => (url ? new RelayerClient(url) : undefined), [url]);
  const q = useQuery({
    queryKey: ["relayer-info", url, chainId, escrow.toLowerCase()],
    enabled: client !== undefined,
    refetchInterval: 60_000,
    retry: 1,
    queryFn: async () => {
      if (!client) throw new Error("no relayer configured");
      const info = await client.info();
      if (info.chainId !== chainId || info.escrow.toLowerCase() !== escrow.toLowerCase())
        throw new Error(
          `the relayer at ${client.url} serves escrow ${info.escrow} on chain ${info.chainId}, not this deployment's escrow ${escrow} on chain ${chainId}: fix relayerUrl in deployment.json, or submit from your wallet`,
        );
      return info;
    },
  });
  return {
    configured: client !== undefined,
    client,
    info: q.data,
    error: q.error && !q.data ? messageFor(q.error) : undefined,
    loading: client !== undefined && q.isPending,
  };
}
