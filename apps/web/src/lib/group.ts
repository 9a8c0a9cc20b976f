"use client";

import { useQuery } from "@tanstack/react-query";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { readWorkerGroup, workerGroupsReader } from "@zklabel/sdk/events";
import { useMemo } from "react";
import type { Address } from "viem";
import { usePublicClient, useReadContract } from "wagmi";

/**
 * A worker group rebuilt in the browser from the WorkerGroups events since the
 * deployment block, checked against the group's current on-chain root.
 * Members' commitments are public; which member proves a batch is not.
 */
export function useWorkerGroup(
  groups: Address,
  groupId: bigint,
  fromBlock: bigint,
  chainId: number,
  /** The worker's commitment: the open group's tree is the generation it joined (see readWorkerGroup). */
  member?: bigint,
) {
  const client = usePublicClient({ chainId });
  const reader = useMemo(
    () => (client ? workerGroupsReader({ client, address: groups, fromBlock }) : undefined),
    [client, groups, fromBlock],
  );
  const root = useReadContract({
    address: groups,
    abi: groupsAbi,
    functionName: "groupRoot",
    args: [groupId],
    chainId,
  });
  const tree = useQuery({
    queryKey: ["worker-group", chainId, groups, groupId.toString(), root.data?.toString(), member?.toString()],
    enabled: reader !== undefined && root.data !== undefined,
    queryFn: async () => {
      if (!reader) throw new Error("no connection to the chain");
      // The reader keeps what it read: a refetch after joining asks only for the new blocks.
      const group = await readWorkerGroup(reader, groupId, member);
      const chainRoot = root.data ?? 0n;
      // The current tree must have the chain's current root; a full open-group generation's final
      // root must still be one the chain accepts.
      const valid =
        group.size === 0 ||
        group.root === chainRoot ||
        (client !== undefined &&
          (await client.readContract({
            address: groups,
            abi: groupsAbi,
            functionName: "isValidRoot",
            args: [groupId, group.root],
          })));
      if (!valid) {
        throw new Error(
          `the group rebuilt from events has root ${group.root}, the chain reports ${chainRoot}: reload the page`,
        );
      }
      return group;
    },
  });
  return {
    group: tree.data,
    error: root.error?.message ?? (tree.error instanceof Error ? tree.error.message : undefined),
    loading: root.isLoading || tree.isLoading,
    refetch: async () => {
      await root.refetch();
    },
  };
}
