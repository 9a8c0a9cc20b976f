/**
 * The requester's review of pending batches (docs/protocol.md §3.5, §5.6): decrypt each pending
 * batch, score it against the gold openings with the rule's own match (the rejection circuit's
 * twin), and prove a rejection for a batch whose accuracy is below the task's minimum while its
 * challenge window is open. Nothing here leaves the requester's machine but the proof.
 */
import { ZkLabelError } from "@zklabel/core/errors";
import { type ProvingArtifacts, proveCircuit } from "@zklabel/core/prove";
import { type AnyRule, rejectCircuit, ruleById } from "@zklabel/core/rules";
import type { Address } from "viem";
import type { DecodedLog } from "./events.ts";
import { type GoldOpenings, goldOpeningsOf, goldTreeOf } from "./gold.ts";
import { openSubmission } from "./open.ts";
import type { TaskInfo } from "./task-info.ts";

/** A pending batch as the requester sees it after decrypting and scoring it. */
export interface ReviewedBatch {
  batchIndex: number;
  count: number;
  recipient: Address;
  nullifier: bigint;
  labelsCommitment: bigint;
  /** Unix seconds: the end of the challenge window (a rejection must land before it). */
  endsAt: number;
  /** The worker's labels (one per item) and salt, decrypted. */
  labels: unknown[];
  salt: bigint;
  /** Gold items in the batch, and how many the labels match. */
  gold: number;
  correct: number;
  /** Percent, or null when the batch holds no gold item. */
  accuracy: number | null;
  /** Whether a rejection exists and can still land: gold items, accuracy below the minimum, window open. */
  rejectable: boolean;
  /** Why the batch cannot be rejected, in words, when it cannot. */
  why?: string;
}

/** The task's pending batches (submitted, neither verified nor rejected since), in batch order. */
export function pendingSubmissions(logs: readonly DecodedLog[], taskId: bigint): DecodedLog[] {
  const open = new Map<bigint, DecodedLog>();
  for (const l of logs) {
    if (l.args.taskId !== taskId) continue;
    const b = l.args.batchIndex as bigint;
    if (l.eventName === "BatchSubmitted") open.set(b, l);
    else if (l.eventName === "BatchVerified" || l.eventName === "BatchRejected") open.delete(b);
  }
  return [...open.values()].sort((x, y) => Number((x.args.batchIndex as bigint) - (y.args.batchIndex as bigint)));
}

/**
 * Decrypts and scores every pending batch of a gold task. `now` is the chain's time (Unix seconds).
 * Refuses openings of another task's gold tree.
 */
export function reviewPending(a: {
  logs: readonly DecodedLog[];
  task: TaskInfo;
  minAccuracy: number;
  goldThreshold: number;
  skR: bigint;
  openings: GoldOpenings;
  now: number;
}): ReviewedBatch[] {
  const rule = ruleById(a.task.ruleId);
  const g = goldOf(rule);
  if (BigInt(a.openings.goldRoot) !== a.task.goldRoot || goldTreeOf(rule, a.openings).root !== a.task.goldRoot)
    throw new ZkLabelError(
      "wrong_task",
      `these gold openings (root ${a.openings.goldRoot}) are not task ${a.task.taskId}'s: use the file saved when it was posted`,
    );
  const N = a.task.batchSize;
  return pendingSubmissions(a.logs, a.task.taskId).map((l) => {
    const { opened, finalizesAt: endsAt, ...e } = openSubmission(l, rule, a.skR, N);
    const b = e.batchIndex;
    const count = e.count;
    const labels = opened.labels;
    let gold = 0;
    let correct = 0;
    a.openings.items.slice(b * N, b * N + count).forEach((o, i) => {
      if (o.isGold !== 1) return;
      gold++;
      if (g.goldMatches(labels[i], g.answerFromValue(BigInt(o.value)), a.goldThreshold)) correct++;
    });
    const accuracy = gold ? (100 * correct) / gold : null;
    const why =
      gold === 0
        ? "it holds no gold item"
        : 100 * correct >= a.minAccuracy * gold
          ? `its accuracy on gold items (${accuracy?.toFixed(0)}%) is at or above the task's ${a.minAccuracy}%`
          : a.now >= endsAt
            ? "its challenge window has ended"
            : undefined;
    return {
      ...e,
      endsAt,
      labels,
      salt: opened.salt,
      gold,
      correct,
      accuracy,
      rejectable: why === undefined,
      ...(why ? { why } : {}),
    };
  });
}

/** A rejection proof for a reviewed batch, with `bound` (default: the task's minimum accuracy). */
export async function proveRejection(a: {
  task: TaskInfo;
  batch: ReviewedBatch;
  openings: GoldOpenings;
  minAccuracy: number;
  goldThreshold: number;
  artifacts: ProvingArtifacts;
  bound?: number;
}) {
  const rule = ruleById(a.task.ruleId);
  const g = goldOf(rule);
  const circuit = rejectCircuit(rule);
  const N = circuit.params.N;
  const bound = a.bound ?? a.minAccuracy;
  const built = g.rejectInput({
    circuit,
    goldTree: goldTreeOf(rule, a.openings),
    openings: goldOpeningsOf(a.openings).slice(a.batch.batchIndex * N, a.batch.batchIndex * N + a.batch.count),
    batchIndex: a.batch.batchIndex,
    labels: a.batch.labels,
    salt: a.batch.salt,
    labelsCommitment: a.batch.labelsCommitment,
    bound,
    threshold: a.goldThreshold,
  });
  const proof = await proveCircuit(built.input, built.publicSignals, a.artifacts);
  return { ...proof, bound, gold: built.gold, correct: built.correct };
}

function goldOf(rule: AnyRule) {
  if (!rule.gold)
    throw new ZkLabelError("invalid_input", `${rule.title} tasks take no gold items, so there is nothing to review`);
  return rule.gold;
}
