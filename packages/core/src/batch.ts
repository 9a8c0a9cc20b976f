import { ZkLabelError } from "./errors.ts";
import { assertField } from "./field.ts";

/**
 * Items in batch `batchIndex` of a dataset of `itemCount` items at batch size
 * `n` (n, except for the last batch), checked against the number of labels given.
 */
export function batchItemCount(itemCount: number, n: number, batchIndex: number, labelCount: number): number {
  const count = Math.min(n, itemCount - batchIndex * n);
  if (!Number.isInteger(batchIndex) || batchIndex < 0 || count <= 0) {
    throw new ZkLabelError("invalid_input", `batch ${batchIndex} is outside the dataset`);
  }
  if (labelCount !== count)
    throw new ZkLabelError("invalid_input", `batch ${batchIndex} has ${count} items, got ${labelCount} labels`);
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

/** Largest relayer fee a proof may bind, in basis points of the batch reward (100%). */
export const MAX_RELAYER_FEE_BPS = 10_000;

/**
 * The proof's `recipient` public input: the payout address in the low 160 bits and the relayer
 * fee (basis points of the batch reward, paid to whoever submits the proof) in the next 16. The
 * circuit binds the whole word, so neither can be changed after proving (docs/protocol.md decision 21).
 */
export function recipientWord(recipient: string | bigint, relayerFeeBps = 0): bigint {
  const address = BigInt(recipient);
  if (address <= 0n || address >= 1n << 160n)
    throw new ZkLabelError("invalid_input", `recipient ${recipient} is not a non-zero address`);
  if (!Number.isInteger(relayerFeeBps) || relayerFeeBps < 0 || relayerFeeBps > MAX_RELAYER_FEE_BPS) {
    throw new ZkLabelError(
      "invalid_input",
      `relayer fee must be 0..${MAX_RELAYER_FEE_BPS} basis points, got ${relayerFeeBps}`,
    );
  }
  return address | (BigInt(relayerFeeBps) << 160n);
}
