/**
 * The requester's side of submitted batches: decrypting each batch's labels from its
 * BatchSubmitted event with the requester's key, checked against the proven labelsCommitment.
 */
import { openWorkerBatch } from "@zklabel/core/envelope";
import { type AnyRule, ruleById } from "@zklabel/core/rules";
import type { Address } from "viem";
import type { DecodedLog } from "./events.ts";

/** A submitted batch's labels, decrypted by the requester and checked against its commitment. */
export interface OpenedBatch<L = unknown> {
  batchIndex: number;
  /** The rule's labels (a class number, a box, ...), one per item of the batch. */
  labels: L[];
  recipient: Address;
  labelsCommitment: bigint;
}

/**
 * Decrypts the submitted batches of a task of rule `ruleId` that stand (pending or verified, not
 * rejected: a rejected submission's labels are the ones the requester refused) with the requester's
 * key skR (batchSize = the task's N). A batch rejected and submitted again gives its latest labels.
 */
export function openSubmittedBatches(
  logs: readonly DecodedLog[],
  taskId: bigint,
  skR: bigint,
  batchSize: number,
  ruleId: number,
): OpenedBatch[] {
  const rule = ruleById(ruleId);
  const standing = new Map<bigint, DecodedLog>();
  for (const l of logs) {
    if (l.args.taskId !== taskId) continue;
    if (l.eventName === "BatchSubmitted") standing.set(l.args.batchIndex as bigint, l);
    else if (l.eventName === "BatchRejected") standing.delete(l.args.batchIndex as bigint);
  }
  const out: OpenedBatch[] = [];
  for (const l of standing.values()) {
    const b = openSubmission(l, rule, skR, batchSize);
    out.push({
      batchIndex: b.batchIndex,
      labels: b.opened.labels,
      recipient: b.recipient,
      labelsCommitment: b.labelsCommitment,
    });
  }
  return out.sort((x, y) => x.batchIndex - y.batchIndex);
}

/**
 * One BatchSubmitted event decrypted with the requester's key skR (batchSize = the task's N): the
 * batch's labels (one per item, the rule's type) and salt, checked against the proven commitment.
 */
export function openSubmission(l: DecodedLog, rule: AnyRule, skR: bigint, batchSize: number) {
  const a = l.args as {
    batchIndex: bigint;
    count: bigint;
    recipient: Address;
    nullifier: bigint;
    labelsCommitment: bigint;
    finalizesAt: bigint;
    epk: readonly [bigint, bigint];
    ciphertext: readonly bigint[];
  };
  // The proof commits to all N label slots (zero past count); openWorkerBatch checks the commitment.
  const opened = openWorkerBatch(
    { epk: [a.epk[0], a.epk[1]], ciphertext: [...a.ciphertext] },
    skR,
    a.batchIndex,
    batchSize,
    a.labelsCommitment,
    rule.labelBits,
  );
  return {
    batchIndex: Number(a.batchIndex),
    count: Number(a.count),
    recipient: a.recipient,
    nullifier: a.nullifier,
    labelsCommitment: a.labelsCommitment,
    finalizesAt: Number(a.finalizesAt),
    opened: { labels: opened.labels.slice(0, Number(a.count)).map(rule.labelFromValue), salt: opened.salt },
  };
}
