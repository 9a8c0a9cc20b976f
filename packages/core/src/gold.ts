/**
 * Gold items and rejections (docs/protocol.md §2.3). The requester knows the answer for some items
 * and commits, before any work, to goldRoot: a tree of one leaf per dataset item,
 * Poseidon(isGold, goldValue, salt), each with its own random salt (isGold and the value 0 for a
 * non-gold item), of depth DEPTH and bottom chunk datasetChunk(N), whatever the rule's dataset
 * tree looks like. A rejection (the <Rule>Reject circuits, circuits/lib/gold.circom) opens every
 * leaf of a batch and proves the worker's committed labels match fewer than `bound` percent of
 * the batch's gold items. goldRejectInput is the circuit's twin: it refuses, in words, every
 * batch for which no rejection exists.
 */
import { batchItemCount } from "./batch.ts";
import { itemName } from "./display.ts";
import { ZkLabelError } from "./errors.ts";
import { assertField } from "./field.ts";
import { labelsCommitment } from "./labels.ts";
import { type BatchSource, DatasetTree, datasetChunk } from "./merkle.ts";
import { poseidon } from "./poseidon.ts";
import { type CircuitInfo, orderPublicSignals } from "./registry.ts";

/** The gold leaf of one item: Poseidon(isGold, goldValue, salt). */
export const goldLeaf = (isGold: 0 | 1, value: number | bigint, salt: bigint): bigint =>
  poseidon([BigInt(isGold), BigInt(value), salt]);

/** What opens one gold leaf: whether the item is gold, its gold value (0 when not gold) and its salt. */
export interface GoldOpening {
  isGold: 0 | 1;
  /** The rule's goldValue of the answer (the class; a bounding box's 72-bit label value). */
  value: bigint;
  salt: bigint;
}

/** The gold tree over every item's opening, in the shape a rejection circuit of batch size N reads. */
export function goldTree(depth: number, batchSize: number, openings: readonly GoldOpening[]): DatasetTree {
  return new DatasetTree(
    depth,
    openings.map((o) => goldLeaf(o.isGold, o.value, o.salt)),
    datasetChunk(batchSize),
  );
}

/** Everything a requester needs to reject one batch. */
export interface RejectRequest<L> {
  /** The rule's rejection circuit (rejectCircuit(rule) in ./rules). */
  circuit: CircuitInfo;
  /** The task's gold tree (one leaf per item; goldTree), or the batch's slice of it. */
  goldTree: BatchSource;
  /** The gold openings of the batch's items, in order (one per item of the batch). */
  openings: readonly GoldOpening[];
  batchIndex: number;
  /** The worker's labels, as decrypted (one per item of the batch). */
  labels: readonly L[];
  /** The worker's labels salt, as decrypted. */
  salt: bigint;
  /** The labelsCommitment the worker's proof bound (on-chain): labels and salt must open it. */
  labelsCommitment: bigint;
  /** Accuracy bound in percent, 1..100 (the escrow checks bound <= the task's minimum accuracy). */
  bound: number;
  /** The rule's gold threshold (bounding boxes: minimum IoU in percent; classification: 0). */
  threshold: number;
}

/** A rejection circuit's witness input and the public signals it must produce. */
export interface RejectInput {
  input: Record<string, string | string[]>;
  publicSignals: bigint[];
  /** Gold items in the batch and how many of them the worker's labels match. */
  gold: number;
  correct: number;
}

/** What goldRejectInput needs of a rule. */
export interface GoldRuleParts<L> {
  readonly labelBits: number;
  labelValue(l: L): bigint;
  /** Whether a label matches the gold value at `threshold`, exactly as the circuit decides. */
  matchesValue(label: L, value: bigint, threshold: number): boolean;
  /** The threshold's problem in words, if any (classification: it must be 0). */
  checkThreshold(threshold: number): string | undefined;
  /** The gold value's problem in words, if any (a value the circuit cannot decompose). */
  checkValue?(value: bigint): string | undefined;
}

/**
 * Witness input and public signals of a <Rule>Reject circuit. Throws a ZkLabelError when no
 * rejection exists: the batch has no gold item, the labels match at least `bound` percent of
 * them (code "unprovable"), or the inputs are not the task's (the labels and salt do not open
 * labelsCommitment, an opening is not the gold tree's leaf: code "invalid_input").
 */
export function goldRejectInput<L>(r: RejectRequest<L>, rule: GoldRuleParts<L>): RejectInput {
  const { N, DEPTH } = r.circuit.params;
  if (r.circuit.role !== "reject") throw new Error(`${r.circuit.name} is not a rejection circuit`);
  if (r.goldTree.depth !== DEPTH || r.goldTree.chunk !== datasetChunk(N))
    throw new ZkLabelError(
      "invalid_input",
      `the gold tree (depth ${r.goldTree.depth}, chunks of ${r.goldTree.chunk}) is not of the circuit's shape (depth ${DEPTH}, chunks of ${datasetChunk(N)})`,
    );
  const count = batchItemCount(r.goldTree.size, N, r.batchIndex, r.labels.length);
  if (r.openings.length !== count)
    throw new ZkLabelError(
      "invalid_input",
      `batch ${r.batchIndex} has ${count} items, got ${r.openings.length} gold openings`,
    );
  if (!Number.isInteger(r.bound) || r.bound < 1 || r.bound > 100)
    throw new ZkLabelError("invalid_input", `the accuracy bound must be 1..100 percent, got ${r.bound}`);
  const thresholdProblem = rule.checkThreshold(r.threshold);
  if (thresholdProblem) throw new ZkLabelError("invalid_input", thresholdProblem);
  assertField(r.salt, "salt");

  const values = Array.from({ length: N }, (_, i) => (i < count ? rule.labelValue(r.labels[i]) : 0n));
  if (labelsCommitment(values, rule.labelBits, r.salt) !== r.labelsCommitment)
    throw new ZkLabelError(
      "invalid_input",
      `batch ${r.batchIndex}: these labels and salt do not open the worker's labelsCommitment, so they are not what the worker committed to`,
    );

  const leaves = r.goldTree.batchLeaves(r.batchIndex, N);
  let gold = 0;
  let correct = 0;
  r.openings.forEach((o, i) => {
    const item = r.batchIndex * N + i;
    if (o.isGold !== 0 && o.isGold !== 1)
      throw new ZkLabelError("invalid_input", `${itemName(item)}: a gold opening's isGold is 0 or 1, got ${o.isGold}`);
    assertField(o.value, "gold value");
    assertField(o.salt, "gold salt");
    if (goldLeaf(o.isGold, o.value, o.salt) !== leaves[i])
      throw new ZkLabelError("invalid_input", `${itemName(item)}: the gold opening is not the gold tree's leaf`);
    const valueProblem = rule.checkValue?.(o.value);
    if (valueProblem) throw new ZkLabelError("invalid_input", `${itemName(item)}: ${valueProblem}`);
    if (o.isGold === 1) {
      gold++;
      if (rule.matchesValue(r.labels[i], o.value, r.threshold)) correct++;
    }
  });
  if (gold === 0)
    throw new ZkLabelError("unprovable", `batch ${r.batchIndex} has no gold item, so it cannot be rejected`);
  if (correct * 100 >= r.bound * gold)
    throw new ZkLabelError(
      "unprovable",
      `batch ${r.batchIndex}: the labels match ${correct} of its ${gold} gold items (${((100 * correct) / gold).toFixed(1)}%), at or above the bound of ${r.bound}%: no rejection exists`,
    );

  const s = (x: bigint | number) => x.toString();
  const pad = (f: (o: GoldOpening) => bigint) =>
    Array.from({ length: N }, (_, i) => s(i < count ? f(r.openings[i]) : 0n));
  const named = {
    goldRoot: r.goldTree.root,
    batchIndex: BigInt(r.batchIndex),
    count: BigInt(count),
    labelsCommitment: r.labelsCommitment,
    bound: BigInt(r.bound),
    goldThreshold: BigInt(r.threshold),
  };
  return {
    input: {
      ...Object.fromEntries(Object.entries(named).map(([k, v]) => [k, s(v)])),
      labels: values.map(s),
      salt: s(r.salt),
      isGold: pad((o) => BigInt(o.isGold)),
      goldLabel: pad((o) => o.value),
      goldSalt: pad((o) => o.salt),
      pathSiblings: r.goldTree.batchPath(r.batchIndex, N).map(s),
    },
    publicSignals: orderPublicSignals(r.circuit, named),
    gold,
    correct,
  };
}
