"use client";

import { useQuery } from "@tanstack/react-query";
import { type GroupEvent, groupFromEvents } from "@zklabel/core/group";
import type { Address } from "viem";
import { usePublicClient, useReadContract } from "wagmi";
import { groupsAbi } from "./groups-abi";

/**
 * A worker group rebuilt in the browser from the WorkerGroups events since the
 * deployment block, checked against the group's current on-chain root.
 * Members' commitments are public; which member proves a batch is not.
 */
export function useWorkerGroup(groups: Address, groupId: bigint, fromBlock: bigint, chainId: number) {
  const client = usePublicClient({ chainId });
  const root = useReadContract({
    address: groups,
    abi: groupsAbi,
    functionName: "groupRoot",
    args: [groupId],
    chainId,
  });
  const tree = useQuery({
    queryKey: ["worker-group", chainId, groups, groupId.toString(), root.data?.toString()],
    enabled: client !== undefined && root.data !== undefined,
    queryFn: async () => {
      if (!client) throw new Error("no connection to the chain");
      const [added, updated, removed] = await Promise.all(
        (["MemberAdded", "MemberUpdated", "MemberRemoved"] as const).map((eventName) =>
          client.getContractEvents({ address: groups, abi: groupsAbi, eventName, args: { groupId }, fromBlock }),
        ),
      );
      const order = (e: { blockNumber: bigint; logIndex: number }) => e.blockNumber * 1_000_000n + BigInt(e.logIndex);
      const events: { at: bigint; e: GroupEvent }[] = [];
      for (const x of added) {
        const a = x.args as { index: bigint; identityCommitment: bigint; root: bigint };
        events.push({
          at: order(x),
          e: { kind: "added", index: a.index, commitment: a.identityCommitment, root: a.root },
        });
      }
      for (const x of updated) {
        const a = x.args as { index: bigint; newCommitment: bigint; root: bigint };
        events.push({
          at: order(x),
          e: { kind: "updated", index: a.index, newCommitment: a.newCommitment, root: a.root },
        });
      }
      for (const x of removed) {
        const a = x.args as { index: bigint; root: bigint };
        events.push({ at: order(x), e: { kind: "removed", index: a.index, root: a.root } });
      }
      events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const group = groupFromEvents(events.map((x) => x.e));
      const chainRoot = root.data ?? 0n;
      if (group.size > 0 && group.root !== chainRoot) {
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
