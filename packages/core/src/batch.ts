import { assertField } from "./field.ts";

/**
 * Items in batch `batchIndex` of a dataset of `itemCount` items at batch size
 * `n` (n, except for the last batch), checked against the number of labels given.
 */
export function batchCount(itemCount: number, n: number, batchIndex: number, labelCount: number): number {
  const count = Math.min(n, itemCount - batchIndex * n);
  if (!Number.isInteger(batchIndex) || batchIndex < 0 || count <= 0) {
    throw new RangeError(`batch ${batchIndex} is outside the dataset`);
  }
  if (labelCount !== count) throw new RangeError(`batch ${batchIndex} has ${count} items, got ${labelCount} labels`);
  return count;
}

/** The public values every rule proof shares, before the worker envelope's. */
export interface BatchPublic {
  taskHash: bigint;
  batchIndex: number;
  count: number;
  recipient: bigint;
  labelsCommitment: bigint;
}

/** Those values as witness fields and as named public values (for orderPublicSignals). */
export function batchPublic(v: BatchPublic): { input: Record<string, string>; named: Record<string, bigint> } {
  assertField(v.recipient, "recipient");
  const named = {
    taskHash: v.taskHash,
    batchIndex: BigInt(v.batchIndex),
    count: BigInt(v.count),
    recipient: v.recipient,
    labelsCommitment: v.labelsCommitment,
  };
  return { input: Object.fromEntries(Object.entries(named).map(([k, x]) => [k, x.toString()])), named };
}
