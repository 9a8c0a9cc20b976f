"use client";
/**
 * Every task of the escrow, rebuilt in the browser from its events (one incremental reader per
 * page load, polled every two seconds): parameters, metadata (checked against its on-chain
 * hash), funding, and each batch's state. Shared by the worker, requester and auditor pages.
 */
import { useQuery } from "@tanstack/react-query";
import type { AnyRule } from "@zklabel/core/rules";
import { describeError } from "@zklabel/sdk/errors";
import type { DecodedLog, EventReader } from "@zklabel/sdk/events";
import type { TaskMetadata } from "@zklabel/sdk/metadata";
import {
  escrowReader,
  type TaskInfo,
  taskInfoFromLog,
  taskMetadata,
  taskParams,
  taskRule,
} from "@zklabel/sdk/task-info";
import { useMemo } from "react";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { useDeployment } from "./deployment";

export type BatchStatus = "open" | "pending" | "verified";

/** One batch of a task: items [first, first + count). */
export interface BatchView {
  index: number;
  first: number;
  count: number;
  status: BatchStatus;
  /** The BatchSubmitted event (proof accepted; pending or verified). */
  submitted?: DecodedLog;
  /** The BatchVerified event (credited). */
  verified?: DecodedLog;
  /** End of the challenge window (unix seconds), for a submitted batch. */
  finalizesAt?: bigint;
  /** Earlier submissions of this batch the requester rejected with a gold proof (each reopened it), oldest first. */
  rejections: Rejection[];
}

/** A rejected submission: the BatchRejected event and the BatchSubmitted event it undid. */
export interface Rejection {
  event: DecodedLog;
  submitted: DecodedLog | undefined;
  batchIndex: number;
  /** The proven bound: the batch's accuracy on gold items is below it (percent). */
  bound: number;
  /** What went back to the task's balance. */
  returned: bigint;
  /** The recipient of the rejected submission (the worker's payout address). */
  recipient: Address | undefined;
}

/** A task as the events tell it. */
export interface TaskView {
  id: bigint;
  info: TaskInfo;
  /** The task's rule module; null when this version of the app does not know its rule id (see ruleProblem). */
  rule: AnyRule | null;
  /** Why the rule is unknown, in words, when it is. */
  ruleProblem?: string;
  /** Why the task's rule parameters are outside its rule, when they are: no proof can be made, so nobody should work on it. */
  paramsProblem?: string;
  metadata: TaskMetadata | null;
  /** Why the metadata could not be read, when it could not. */
  metadataProblem?: string;
  title: string;
  workerGroupId: bigint;
  /** Unix seconds. */
  deadline: bigint;
  /** Seconds a batch stays pending (0: paid at submission, no gold items). */
  challengeWindow: number;
  minAccuracy: number;
  /** Gold match threshold (percent; boxes: the minimum IoU with the gold box; 0 for exact matches). */
  goldThreshold: number;
  requester: Address;
  token: Address;
  created: DecodedLog;
  /** TaskFunded amounts added up (creation and top-ups). */
  funded: bigint;
  cancelled: boolean;
  /** Unix seconds: the last second batches are accepted (the deadline, or a cancel's notice end). */
  closesAt: bigint;
  /** Paid out so far (BatchVerified amounts). */
  spent: bigint;
  batches: BatchView[];
  verifiedBatches: number;
  pendingBatches: number;
  verifiedItems: number;
  /** Every rejection of the task, in chain order. */
  rejections: Rejection[];
  /** Submissions so far (BatchSubmitted events, rejected ones included). */
  submissions: number;
  /** Every event of this task, in chain order. */
  events: DecodedLog[];
}

/** The rule a task names, or the reason this app cannot read it (a rule id from a newer zkLabel). */
function ruleOf(info: TaskInfo): { rule: AnyRule | null; ruleProblem?: string; paramsProblem?: string } {
  let rule: AnyRule;
  try {
    rule = taskRule(info);
  } catch (e) {
    return { rule: null, ruleProblem: describeError(e).message };
  }
  try {
    taskParams(info);
    return { rule };
  } catch (e) {
    return { rule, paramsProblem: describeError(e).message };
  }
}

/** A task's rule as people name it ("Bounding boxes"), or "Unknown rule (id 7)". */
export const ruleTitle = (t: Pick<TaskView, "rule" | "info">): string =>
  t.rule ? t.rule.title : `Unknown rule (id ${t.info.ruleId})`;

/** Builds every task from the escrow's events. */
export function tasksFromLogs(logs: readonly DecodedLog[]): TaskView[] {
  const tasks = new Map<bigint, TaskView>();
  for (const log of logs) {
    const taskId = log.args.taskId as bigint | undefined;
    if (taskId === undefined) continue;
    if (log.eventName === "TaskCreated") {
      const info = taskInfoFromLog(log);
      let metadata: TaskMetadata | null = null;
      let metadataProblem: string | undefined;
      try {
        metadata = taskMetadata(info);
      } catch (e) {
        metadataProblem = e instanceof Error ? e.message : String(e);
      }
      const batchCount = Math.ceil(info.itemCount / info.batchSize);
      const raw = log.args.params as {
        workerGroupId: bigint;
        deadline: bigint | number;
        challengeWindow: number;
        minAccuracy: number;
        goldThreshold?: number;
      };
      tasks.set(taskId, {
        id: taskId,
        info,
        ...ruleOf(info),
        metadata,
        metadataProblem,
        title: metadata?.title || `Task #${taskId}`,
        workerGroupId: BigInt(raw.workerGroupId),
        deadline: BigInt(raw.deadline),
        challengeWindow: Number(raw.challengeWindow),
        minAccuracy: Number(raw.minAccuracy),
        goldThreshold: Number(raw.goldThreshold ?? 0),
        requester: log.args.requester as Address,
        token: log.args.token as Address,
        created: log,
        funded: 0n,
        cancelled: false,
        closesAt: BigInt(raw.deadline),
        spent: 0n,
        batches: Array.from({ length: batchCount }, (_, b) => ({
          index: b,
          first: b * info.batchSize,
          count: Math.min(info.batchSize, info.itemCount - b * info.batchSize),
          status: "open" as BatchStatus,
          rejections: [],
        })),
        verifiedBatches: 0,
        pendingBatches: 0,
        verifiedItems: 0,
        rejections: [],
        submissions: 0,
        events: [log],
      });
      continue;
    }
    const t = tasks.get(taskId);
    if (!t) continue;
    t.events.push(log);
    const b = log.args.batchIndex !== undefined ? t.batches[Number(log.args.batchIndex as bigint)] : undefined;
    switch (log.eventName) {
      case "TaskFunded":
        t.funded += log.args.amount as bigint;
        break;
      case "TaskCancelled":
        t.cancelled = true;
        t.closesAt = log.args.closesAt as bigint;
        break;
      case "BatchSubmitted":
        t.submissions++;
        if (b) {
          b.submitted = log;
          b.finalizesAt = log.args.finalizesAt as bigint;
          if (b.status === "open") b.status = "pending";
        }
        break;
      case "BatchVerified":
        if (b) {
          b.verified = log;
          b.status = "verified";
        }
        t.spent += (log.args.recipientAmount as bigint) + (log.args.relayerAmount as bigint);
        break;
      case "BatchRejected":
        if (b) {
          const r: Rejection = {
            event: log,
            submitted: b.submitted,
            batchIndex: b.index,
            bound: Number(log.args.bound),
            returned: log.args.returned as bigint,
            recipient: b.submitted?.args.recipient as Address | undefined,
          };
          b.rejections.push(r);
          t.rejections.push(r);
          b.submitted = undefined;
          b.finalizesAt = undefined;
          b.status = "open";
        }
        break;
    }
  }
  for (const t of tasks.values()) {
    t.verifiedBatches = t.batches.filter((b) => b.status === "verified").length;
    t.pendingBatches = t.batches.filter((b) => b.status === "pending").length;
    t.verifiedItems = t.batches.reduce((n, b) => n + (b.status === "verified" ? b.count : 0), 0);
  }
  return [...tasks.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
}

const readers = new Map<string, EventReader>();

/** All escrow events since the deployment block, re-read (incrementally) every two seconds. */
export function useEscrowLogs() {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  return useQuery({
    queryKey: ["escrow-logs", d.chainId, d.escrow, d.deployBlock],
    enabled: client !== undefined,
    refetchInterval: 2000,
    queryFn: async () => {
      if (!client) throw new Error("no connection to the chain");
      const key = `${d.chainId}:${d.escrow}:${d.deployBlock}`;
      const reader =
        readers.get(key) ?? escrowReader({ client, address: d.escrow as Address, fromBlock: BigInt(d.deployBlock) });
      readers.set(key, reader);
      // A copy: the reader appends to its own array, and React Query compares by reference.
      return [...(await reader.read())];
    },
  });
}

/** Every task, newest first. */
export function useTasks() {
  const logs = useEscrowLogs();
  const tasks = useMemo(() => (logs.data ? tasksFromLogs(logs.data) : undefined), [logs.data]);
  return {
    tasks,
    loading: logs.isLoading,
    error: logs.error ? `Reading the escrow's events failed: ${logs.error.message}` : undefined,
    refetch: logs.refetch,
  };
}

/** One task by id (undefined while loading; null when it does not exist). */
export function useTask(id: bigint | null) {
  const all = useTasks();
  const task = all.tasks && id !== null ? (all.tasks.find((t) => t.id === id) ?? null) : undefined;
  return { ...all, task };
}

/**
 * A requester's record from the chain, over all of their tasks: submissions their tasks received
 * and how many of them they rejected with a gold proof (gold answers are the requester's word).
 */
export function requesterRecord(
  tasks: readonly TaskView[],
  requester: Address,
): { tasks: number; submissions: number; rejected: number } {
  const mine = tasks.filter((t) => t.requester.toLowerCase() === requester.toLowerCase());
  return {
    tasks: mine.length,
    submissions: mine.reduce((n, t) => n + t.submissions, 0),
    rejected: mine.reduce((n, t) => n + t.rejections.length, 0),
  };
}

/** A requester's rejection record in words, for workers: "rejected 1 of 12 submitted batches (8 %)". */
export function recordText(r: { submissions: number; rejected: number }): string {
  if (r.submissions === 0) return "no batch submitted to this requester's tasks yet";
  const pct = Math.round((100 * r.rejected) / r.submissions);
  return `rejected ${r.rejected} of ${r.submissions} submitted batch${r.submissions === 1 ? "" : "es"} across their tasks${r.rejected ? ` (${pct} %)` : ""}`;
}

/** The chain's clock (unix seconds): the latest block's time or the wall clock, whichever is later. */
export function useChainNow(): bigint {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  const q = useQuery({
    queryKey: ["chain-now", d.chainId],
    enabled: client !== undefined,
    refetchInterval: 2000,
    queryFn: async () => (client ? (await client.getBlock()).timestamp : 0n),
  });
  const wall = BigInt(Math.floor(Date.now() / 1000));
  return q.data !== undefined && q.data > wall ? q.data : wall;
}

/** Parses a route segment as a task id or batch index (null when it is not a whole number). */
export function parseIndex(v: string | string[] | undefined): bigint | null {
  return typeof v === "string" && /^\d{1,30}$/.test(v) ? BigInt(v) : null;
}

/** What a task is now, in one word: taking work, closing (cancelled, in its notice period), cancelled, past its deadline, or complete (every batch verified). */
export type TaskStatus = "open" | "closing" | "cancelled" | "expired" | "complete";

/** A task's status at `nowSeconds` (unix seconds, the chain's clock). */
export function taskStatus(
  t: Pick<TaskView, "cancelled" | "closesAt" | "deadline" | "batches">,
  nowSeconds: number,
): TaskStatus {
  if (t.cancelled) return nowSeconds <= Number(t.closesAt) ? "closing" : "cancelled";
  if (t.batches.every((b) => b.status === "verified")) return "complete";
  if (Number(t.deadline) < nowSeconds) return "expired";
  return "open";
}

/** A status's longer words, for a badge's title. */
export const STATUS_TITLES: Record<TaskStatus, string> = {
  open: "open: takes batches",
  closing: "cancelled: takes batches until its closing time",
  cancelled: "cancelled and closed",
  expired: "past its deadline: takes no batches",
  complete: "complete: all batches verified",
};
