import { batchCount } from "./batch.ts";
import { checkClassificationLabels, checkClassificationParams } from "./classification.ts";
import type { Encrypted } from "./encryption.ts";
import { assertField } from "./field.ts";
import { type BatchSource, DatasetTree, datasetChunk, log2Exact, MAX_CHUNK } from "./merkle.ts";
import { poseidon } from "./poseidon.ts";
import type { CircuitInfo } from "./registry.ts";
import type { RuleParams, TaskBinding } from "./task.ts";
import { ruleWorkerInput, type WorkerContext } from "./worker.ts";

/** Rule id of bounding boxes (RULE_ID in circuits/bounding_box.circom). */
export const BOX_RULE_ID = 2;
/** Box labels are class (8 bits) and x, y, w, h (16 bits each). */
export const BOX_LABEL_BITS = 72;

/** An image item as the box rule sees it: its content hash and pixel size. */
export interface BoxItem {
  contentHash: bigint;
  width: number;
  height: number;
}

/** One box label. */
export interface Box {
  cls: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Bounding-box rule parameters. */
export interface BoxParams {
  numClasses: number;
  allowedMask: bigint;
  minWidth: number;
  minHeight: number;
}

export const boxRuleParams = (p: BoxParams): RuleParams => [
  BigInt(p.numClasses),
  p.allowedMask,
  BigInt(p.minWidth),
  BigInt(p.minHeight),
];

/** meta = width * 2^16 + height (both < 2^16). */
export function boxMeta(item: BoxItem): bigint {
  for (const [k, v] of [
    ["width", item.width],
    ["height", item.height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 0xffff)
      throw new RangeError(`image ${k} must be 1..65535 pixels, got ${v}`);
  }
  return (BigInt(item.width) << 16n) | BigInt(item.height);
}

/**
 * The dataset tree of a metadata rule: items 2j and 2j+1 hash together with
 * their metadata into one bottom node (BoxPairNodes), then the usual tree over
 * those nodes (chunks of `chunk` pair nodes, then binary). `depth` is counted
 * in items, like every dataset tree.
 */
export function boxDatasetTree(depth: number, items: readonly BoxItem[], chunk: number = MAX_CHUNK): DatasetTree {
  return new DatasetTree(depth - 1, boxPairNodes(items), chunk);
}

/** The bottom nodes of a box dataset tree: Poseidon(contentHash, meta) of items 2j and 2j+1 (0s for a missing one). */
export function boxPairNodes(items: readonly BoxItem[]): bigint[] {
  const nodes: bigint[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const b = items[i + 1];
    nodes.push(poseidon([items[i].contentHash, boxMeta(items[i]), b?.contentHash ?? 0n, b ? boxMeta(b) : 0n]));
  }
  return nodes;
}

/** Each box label that breaks the rule, in words, numbered by dataset item. */
export function checkBoxLabels(
  labels: readonly Box[],
  items: readonly BoxItem[],
  p: BoxParams,
  firstItem = 0,
): string[] {
  const errors = checkClassificationLabels(
    labels.map((b) => b.cls),
    p,
    firstItem,
  );
  labels.forEach((b, i) => {
    const item = firstItem + i;
    const img = items[i];
    for (const [k, v] of Object.entries({ x: b.x, y: b.y, w: b.w, h: b.h })) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffff)
        errors.push(`item ${item}: box ${k} = ${v} is not a pixel coordinate`);
    }
    if (b.x + b.w > img.width) errors.push(`item ${item}: box right edge ${b.x + b.w} > image width ${img.width}`);
    if (b.y + b.h > img.height) errors.push(`item ${item}: box bottom edge ${b.y + b.h} > image height ${img.height}`);
    if (b.w < p.minWidth) errors.push(`item ${item}: box width ${b.w} < minimum ${p.minWidth}`);
    if (b.h < p.minHeight) errors.push(`item ${item}: box height ${b.h} < minimum ${p.minHeight}`);
  });
  return errors;
}

/** Parameter problems in words. */
export function checkBoxParams(p: BoxParams): string[] {
  const errors = checkClassificationParams(p);
  for (const [k, v] of [
    ["minimum width", p.minWidth],
    ["minimum height", p.minHeight],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) errors.push(`${k} must be 0..65535, got ${v}`);
  }
  return errors;
}

/** The 72-bit value of one box label, as BoxCore packs it. */
export const boxLabelValue = (b: Box): bigint =>
  BigInt(b.cls) | (BigInt(b.x) << 8n) | (BigInt(b.y) << 24n) | (BigInt(b.w) << 40n) | (BigInt(b.h) << 56n);

/** Inverse of boxLabelValue. */
export function boxFromValue(v: bigint): Box {
  const f = (shift: bigint, bits: bigint) => Number((v >> shift) & ((1n << bits) - 1n));
  return { cls: f(0n, 8n), x: f(8n, 16n), y: f(24n, 16n), w: f(40n, 16n), h: f(56n, 16n) };
}

/** Everything a worker needs to prove one bounding-box batch with BoxWorkerBatch. */
export interface BoxWorkerRequest extends WorkerContext {
  circuit: CircuitInfo;
  /** Every item of the dataset; or, with `slice`, only the items of batch `batchIndex`. */
  items: readonly BoxItem[];
  /** The batch's slice of the pair-node tree (what a vault serves) and the dataset's item count. */
  slice?: { source: BatchSource; itemCount: number };
  task: Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">;
  params: BoxParams;
  batchIndex: number;
  labels: readonly Box[];
  salt: bigint;
  recipient: bigint;
}

/** Witness input and public signals of BoxWorkerBatch; refuses rule violations with their reasons. */
export function boxWorkerInput(r: BoxWorkerRequest): {
  input: Record<string, string | string[] | string[][]>;
  publicSignals: bigint[];
  encrypted: Encrypted;
} {
  const { N, DEPTH } = r.circuit.params;
  log2Exact(N);
  const paramErrors = checkBoxParams(r.params);
  if (paramErrors.length) throw new RangeError(paramErrors.join("; "));
  const count = batchCount(r.slice?.itemCount ?? r.items.length, N, r.batchIndex, r.labels.length);
  const batchItems = r.slice ? r.items.slice(0, count) : r.items.slice(r.batchIndex * N, r.batchIndex * N + count);
  if (batchItems.length !== count)
    throw new RangeError(`batch ${r.batchIndex} has ${count} items, got ${batchItems.length}`);
  const violations = checkBoxLabels(r.labels, batchItems, r.params, r.batchIndex * N);
  if (violations.length) throw new RangeError(violations.join("; "));
  assertField(r.salt, "salt");

  const tree: BatchSource = r.slice?.source ?? boxDatasetTree(DEPTH, r.items, datasetChunk(N / 2));
  if (r.slice) {
    // The slice's pair nodes must be these very items (content and size): nothing else can be proven.
    const nodes = boxPairNodes(batchItems);
    const leaves = tree.batchLeaves(r.batchIndex, N / 2);
    nodes.forEach((node, j) => {
      if (node !== leaves[j])
        throw new RangeError(
          `items ${r.batchIndex * N + 2 * j} and ${r.batchIndex * N + 2 * j + 1} do not match the dataset`,
        );
    });
  }
  const pad = <T>(xs: readonly T[], zero: T) => Array.from({ length: N }, (_, i) => xs[i] ?? zero);
  const s = (x: bigint | number) => x.toString();
  const shared = ruleWorkerInput({
    circuit: r.circuit,
    worker: r,
    task: r.task,
    datasetRoot: tree.root,
    ruleId: BOX_RULE_ID,
    ruleParams: boxRuleParams(r.params),
    labels: pad(r.labels.map(boxLabelValue), 0n),
    labelBits: BOX_LABEL_BITS,
    salt: r.salt,
    recipient: r.recipient,
    batchIndex: r.batchIndex,
    count,
  });
  const input = {
    ...shared.input,
    contentHash: pad(
      batchItems.map((x) => x.contentHash),
      0n,
    ).map(s),
    meta: pad(batchItems.map(boxMeta), 0n).map(s),
    classes: pad(
      r.labels.map((b) => BigInt(b.cls)),
      0n,
    ).map(s),
    boxes: pad(
      r.labels.map((b) => [b.x, b.y, b.w, b.h].map(s)),
      ["0", "0", "0", "0"],
    ),
    pathSiblings: tree.batchPath(r.batchIndex, N / 2).map(s),
  };
  return { input, publicSignals: shared.publicSignals, encrypted: shared.encrypted };
}
