/**
 * Every task of the escrow as its events tell it: parameters, metadata (checked against its
 * on-chain hash), funding, and each batch's state. Pure (no React, no network), so the app's hooks
 * in ./tasks and Node (scripts/bench-read.ts) build the same views from the same logs.
 */
import type { AnyRule } from "@zklabel/core/rules";
import { describeError } from "@zklabel/sdk/errors";
import type { DecodedLog } from "@zklabel/sdk/events";
import type { TaskMetadata } from "@zklabel/sdk/metadata";
import { type TaskInfo, taskInfoFromLog, taskMetadata, taskParams, taskRule } from "@zklabel/sdk/task-info";
import type { Address } from "viem";

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
  /** The TaskCompleted event: the escrow recorded the task as complete (docs/protocol.md §5.7a). */
  completed: DecodedLog | undefined;
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
        completed: undefined,
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
      case "TaskCompleted":
        t.completed = log;
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

/**
 * What the auditor's list shows of a task: a TaskView without its batches and events, so that an
 * indexer can give it from its counts (apps/web/src/lib/indexed.ts) as summaryOf gives it from a TaskView.
 */
export interface TaskSummary
  extends Pick<
    TaskView,
    | "id"
    | "info"
    | "rule"
    | "ruleProblem"
    | "paramsProblem"
    | "metadata"
    | "metadataProblem"
    | "title"
    | "requester"
    | "token"
    | "created"
    | "deadline"
    | "cancelled"
    | "completed"
    | "closesAt"
    | "funded"
    | "spent"
    | "verifiedBatches"
    | "pendingBatches"
    | "verifiedItems"
    | "submissions"
  > {
  /** The task's number of batches. */
  batchCount: number;
  /** Rejections so far. */
  rejected: number;
}

/** The list's view of a task. */
export function summaryOf(t: TaskView): TaskSummary {
  return {
    id: t.id,
    info: t.info,
    rule: t.rule,
    ruleProblem: t.ruleProblem,
    paramsProblem: t.paramsProblem,
    metadata: t.metadata,
    metadataProblem: t.metadataProblem,
    title: t.title,
    requester: t.requester,
    token: t.token,
    created: t.created,
    deadline: t.deadline,
    cancelled: t.cancelled,
    completed: t.completed,
    closesAt: t.closesAt,
    funded: t.funded,
    spent: t.spent,
    verifiedBatches: t.verifiedBatches,
    pendingBatches: t.pendingBatches,
    verifiedItems: t.verifiedItems,
    submissions: t.submissions,
    batchCount: t.batches.length,
    rejected: t.rejections.length,
  };
}

/**
 * What a task is now, in one word: complete (the escrow recorded it so: TaskCompleted), taking work,
 * closing (cancelled, in its notice period), cancelled, or past its deadline.
 */
export type TaskStatus = "open" | "closing" | "cancelled" | "expired" | "complete";

/** A task's status at `nowSeconds` (unix seconds, the chain's clock). */
export function taskStatus(
  t: Pick<TaskView, "cancelled" | "closesAt" | "deadline" | "completed">,
  nowSeconds: number,
): TaskStatus {
  if (t.completed) return "complete";
  if (t.cancelled) return nowSeconds <= Number(t.closesAt) ? "closing" : "cancelled";
  if (Number(t.deadline) < nowSeconds) return "expired";
  return "open";
}
