/**
 * A task as workers and requesters read it: its full parameters from its TaskCreated event, its
 * metadata checked against its hash, and the rule module it names.
 */

import { ZkLabelError } from "@zklabel/core/errors";
import { type AnyRule, ruleById, ruleParamsOf } from "@zklabel/core/rules";
import type { Abi } from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import { type DecodedLog, EventReader, type EventReaderOptions } from "./events.ts";
import { decodeTaskMetadata, type TaskMetadata } from "./metadata.ts";

/** What a worker needs of a task that is not in `getTask`: the rule parameters and the dataset root. */
export interface TaskInfo {
  taskId: bigint;
  ruleId: number;
  ruleParams: readonly [bigint, bigint, bigint, bigint];
  datasetRoot: bigint;
  itemCount: number;
  pkR: readonly [bigint, bigint];
  goldRoot: bigint;
  rewardPerItem: bigint;
  taskHash: bigint;
  /** The rule verifier the task copied when it was created (it keeps it through registry changes). */
  verifier: `0x${string}`;
  batchSize: number;
  datasetDepth: number;
  metadataURI: string;
  metadataHash: `0x${string}`;
}

/** The task's metadata (title, instructions, class names, vault), checked against its hash; null when it has none. */
export function taskMetadata(t: TaskInfo): TaskMetadata | null {
  return decodeTaskMetadata(t.metadataURI, t.metadataHash);
}

/** An EventReader for the escrow. */
export function escrowReader(opts: Omit<EventReaderOptions, "abi">): EventReader {
  return new EventReader({ ...opts, abi: escrowAbi as unknown as Abi });
}

/** The task's parameters from its TaskCreated event. */
export async function readTaskInfo(reader: EventReader, taskId: bigint): Promise<TaskInfo> {
  const log = (await reader.read()).find((l) => l.eventName === "TaskCreated" && l.args.taskId === taskId);
  if (!log)
    throw new ZkLabelError(
      "not_found",
      `task ${taskId} has no TaskCreated event: is the task id right, and the deployment block?`,
    );
  return taskInfoFromLog(log);
}

/** A task's parameters from its decoded TaskCreated event. */
export function taskInfoFromLog(log: DecodedLog): TaskInfo {
  const p = log.args.params as {
    ruleId: number;
    ruleParams: readonly [bigint, bigint, bigint, bigint];
    datasetRoot: bigint;
    itemCount: number;
    pkR: readonly [bigint, bigint];
    goldRoot: bigint;
    rewardPerItem: bigint;
    metadataURI: string;
    metadataHash: `0x${string}`;
  };
  const rule = log.args.rule as { verifier: `0x${string}`; batchSize: number; datasetDepth: number };
  return {
    taskId: log.args.taskId as bigint,
    ruleId: p.ruleId,
    ruleParams: p.ruleParams,
    datasetRoot: p.datasetRoot,
    itemCount: p.itemCount,
    pkR: p.pkR,
    goldRoot: p.goldRoot,
    rewardPerItem: p.rewardPerItem,
    taskHash: log.args.taskHash as bigint,
    verifier: rule.verifier,
    batchSize: rule.batchSize,
    datasetDepth: rule.datasetDepth,
    metadataURI: p.metadataURI,
    metadataHash: p.metadataHash,
  };
}

/** The rule module of a task; a clear error when this version does not know the task's rule. */
export const taskRule = (t: Pick<TaskInfo, "ruleId">): AnyRule => ruleById(t.ruleId);

/**
 * A task's parameters, decoded by its rule; a clear error (code invalid_params) when they are outside
 * the rule, since then no proof exists and a worker's labels would be wasted (docs/protocol.md §2.5).
 */
export const taskParams = (t: Pick<TaskInfo, "ruleId" | "ruleParams">) => ruleParamsOf(taskRule(t), t.ruleParams);
