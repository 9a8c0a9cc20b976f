/**
 * The vault's view of the chain through the escrow and the worker-group registry: a task's
 * immutable parameters come from its TaskCreated event (read once, cached), its state and the
 * group roots are read fresh on every request.
 */
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { escrowReader, readTaskInfo, type TaskInfo } from "@zklabel/sdk/task-info";
import type { Address, PublicClient } from "viem";
import type { VaultChain, VaultTask } from "./server.ts";

const STATES = ["open", "pending", "verified"];

/** A VaultChain reading the deployed escrow and WorkerGroups through a viem public client. */
export function escrowChain(args: {
  client: PublicClient;
  escrow: Address;
  groups: Address;
  deployBlock: bigint;
}): VaultChain {
  const reader = escrowReader({ client: args.client, address: args.escrow, fromBlock: args.deployBlock });
  const infos = new Map<bigint, TaskInfo>();
  return {
    async task(taskId): Promise<VaultTask | null> {
      const stored = await args.client.readContract({
        address: args.escrow,
        abi: escrowAbi,
        functionName: "getTask",
        args: [taskId],
      });
      if (stored.requester === "0x0000000000000000000000000000000000000000") return null;
      let info = infos.get(taskId);
      if (!info) {
        info = await readTaskInfo(reader, taskId);
        infos.set(taskId, info);
      }
      return {
        taskId,
        taskHash: stored.taskHash,
        datasetRoot: info.datasetRoot,
        itemCount: info.itemCount,
        batchSize: info.batchSize,
        datasetDepth: info.datasetDepth,
        workerGroupId: stored.workerGroupId,
        cancelled: stored.cancelled,
        deadline: BigInt(stored.deadline),
      };
    },
    async batchState(taskId, batchIndex) {
      const [state] = await args.client.readContract({
        address: args.escrow,
        abi: escrowAbi,
        functionName: "batchState",
        args: [taskId, BigInt(batchIndex)],
      });
      return STATES[state] ?? "unknown";
    },
    isValidRoot(groupId, root) {
      return args.client.readContract({
        address: args.groups,
        abi: groupsAbi,
        functionName: "isValidRoot",
        args: [groupId, root],
      });
    },
    async now() {
      return (await args.client.getBlock()).timestamp;
    },
  };
}
