import { z } from "zod";
import { batchItemCount } from "../batch.ts";
import { className, classNumber, itemName } from "../display.ts";
import { ruleWorkerInput } from "../envelope.ts";
import { refuseIssues, ZkLabelError } from "../errors.ts";
import { assertField, contentHash } from "../field.ts";
import { goldRejectInput, type RejectInput, type RejectRequest } from "../gold.ts";
import { imageSize } from "../items.ts";
import { DatasetTree, datasetChunk, log2Exact, MAX_CHUNK } from "../merkle.ts";
import { poseidon } from "../poseidon.ts";
import type { RuleParams } from "../task.ts";
import {
  checkClassificationLabels,
  checkClassificationParams,
  classesSpec,
  classParamsFromSpec,
  MAX_CLASSES,
  maskClasses,
  namedClasses,
} from "./classification.ts";
import type { CocoItem, ItemFacts, RuleBatchRequest, RuleIssue, RuleSpec, WorkerInput } from "./types.ts";

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
      throw new ZkLabelError("invalid_dataset", `image ${k} must be 1..65535 pixels, got ${v}`);
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

/** Each box label that breaks the rule, typed, numbered by dataset item. */
export function checkBoxLabels(
  labels: readonly Box[],
  items: readonly BoxItem[],
  p: BoxParams,
  firstItem = 0,
): RuleIssue[] {
  const issues = checkClassificationLabels(
    labels.map((b) => b.cls),
    p,
    firstItem,
  );
  labels.forEach((b, i) => {
    const item = firstItem + i;
    const at = itemName(item);
    const img = items[i];
    for (const [k, v] of Object.entries({ x: b.x, y: b.y, w: b.w, h: b.h })) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffff)
        issues.push({
          item,
          code: "not_a_pixel",
          field: k,
          value: v,
          message: `${at}: box ${k} = ${v} is not a pixel coordinate`,
        });
    }
    if (b.x + b.w > img.width)
      issues.push({
        item,
        code: "past_right_edge",
        edge: b.x + b.w,
        width: img.width,
        message: `${at}: box right edge ${b.x + b.w} > image width ${img.width}`,
      });
    if (b.y + b.h > img.height)
      issues.push({
        item,
        code: "past_bottom_edge",
        edge: b.y + b.h,
        height: img.height,
        message: `${at}: box bottom edge ${b.y + b.h} > image height ${img.height}`,
      });
    if (b.w < p.minWidth)
      issues.push({
        item,
        code: "too_narrow",
        w: b.w,
        minWidth: p.minWidth,
        message: `${at}: box width ${b.w} < minimum ${p.minWidth}`,
      });
    if (b.h < p.minHeight)
      issues.push({
        item,
        code: "too_short",
        h: b.h,
        minHeight: p.minHeight,
        message: `${at}: box height ${b.h} < minimum ${p.minHeight}`,
      });
  });
  return issues.sort((x, y) => x.item - y.item);
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

/** The box of an image's facts (its size is in the manifest and in what a vault serves). */
const boxItem = (x: ItemFacts): BoxItem => {
  if (x.width === undefined || x.height === undefined)
    throw new ZkLabelError("invalid_dataset", "an image item lacks its width and height, which a box dataset needs");
  return { contentHash: x.contentHash, width: x.width, height: x.height };
};

/** Witness input and public signals of BoxWorkerBatch; refuses rule violations with their issues. */
export function boxWorkerInput(r: RuleBatchRequest<BoxParams, Box>): WorkerInput {
  const { N } = r.circuit.params;
  log2Exact(N);
  const paramErrors = checkBoxParams(r.params);
  if (paramErrors.length) throw new ZkLabelError("invalid_input", paramErrors.join("; "));
  const count = batchItemCount(r.data.itemCount, N, r.batchIndex, r.labels.length);
  const batchItems = r.data.items.map(boxItem);
  if (batchItems.length !== count)
    throw new ZkLabelError("invalid_input", `batch ${r.batchIndex} has ${count} items, got ${batchItems.length}`);
  refuseIssues(checkBoxLabels(r.labels, batchItems, r.params, r.batchIndex * N));
  assertField(r.salt, "salt");

  const tree = r.data.source;
  // The tree's pair nodes must be these very items (content and size): nothing else can be proven.
  const nodes = boxPairNodes(batchItems);
  const leaves = tree.batchLeaves(r.batchIndex, N / 2);
  nodes.forEach((node, j) => {
    if (node !== leaves[j])
      throw new ZkLabelError(
        "wrong_task",
        `${itemName(r.batchIndex * N + 2 * j)} and ${itemName(r.batchIndex * N + 2 * j + 1)} do not match the dataset`,
      );
  });
  const pad = <T>(xs: readonly T[], zero: T) => Array.from({ length: N }, (_, i) => xs[i] ?? zero);
  const s = (x: bigint | number) => x.toString();
  const shared = ruleWorkerInput(r, {
    datasetRoot: tree.root,
    ruleId: BOX_RULE_ID,
    ruleParams: boxRuleParams(r.params),
    labels: pad(r.labels.map(boxLabelValue), 0n),
    labelBits: BOX_LABEL_BITS,
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

/**
 * IoU(a, b) >= t percent, in the integers BoxIoUAtLeast (circuits/bounding_box_reject.circom)
 * computes: ix = max(0, min(xa + wa, xb + wb) - max(xa, xb)), iy likewise, inter = ix * iy,
 * union = wa * ha + wb * hb - inter, and 100 * inter >= t * union (so two empty boxes match).
 */
export function iouAtLeast(a: Box, b: Box, t: number): boolean {
  const overlap = (p: number, lp: number, q: number, lq: number) => {
    const d = BigInt(Math.min(p + lp, q + lq) - Math.max(p, q));
    return d > 0n ? d : 0n;
  };
  const inter = overlap(a.x, a.w, b.x, b.w) * overlap(a.y, a.h, b.y, b.h);
  const union = BigInt(a.w) * BigInt(a.h) + BigInt(b.w) * BigInt(b.h) - inter;
  return 100n * inter >= BigInt(t) * union;
}

/** A box label matches a gold box: the same class, and IoU >= t percent (iouAtLeast). */
export const boxGoldMatches = (label: Box, answer: Box, t: number): boolean =>
  label.cls === answer.cls && iouAtLeast(label, answer, t);

/** A box whose fields fit the label (class 8 bits, coordinates 16), or an error naming the field. */
function checkedBoxValue(b: Box): bigint {
  const limits = { cls: 0xff, x: 0xffff, y: 0xffff, w: 0xffff, h: 0xffff } as const;
  for (const [k, max] of Object.entries(limits)) {
    const v = b[k as keyof Box];
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new ZkLabelError("invalid_input", `box ${k} = ${v} does not fit the box label (0..${max})`);
  }
  return boxLabelValue(b);
}

/** A box task's gold threshold is its minimum IoU in percent. */
const checkBoxThreshold = (t: number): string | undefined =>
  Number.isInteger(t) && t >= 0 && t <= 100 ? undefined : `the minimum IoU must be 0..100 percent, got ${t}`;

/** A gold file entry's box: `"box": [x, y, w, h]` in pixels. */
function boxAnswerFromFile(cls: number, entry: Record<string, unknown>): Box | string {
  const b = z.tuple([pixel("x"), pixel("y"), pixel("w"), pixel("h")]).safeParse(entry.box);
  if (!b.success) return `a box gold answer needs "box": [x, y, w, h] in pixels (${b.error.issues[0]?.message})`;
  const [x, y, w, h] = b.data;
  return { cls, x, y, w, h };
}

/**
 * Witness input and public signals of BoxReject (circuits/bounding_box_reject.circom): a box
 * matches its gold box when boxGoldMatches holds at the threshold, the minimum IoU in percent.
 */
export function boxRejectInput(r: RejectRequest<Box>): RejectInput {
  return goldRejectInput(r, {
    labelBits: BOX_LABEL_BITS,
    labelValue: checkedBoxValue,
    matchesValue: (l, v, t) => boxGoldMatches(l, boxFromValue(v), t),
    checkThreshold: checkBoxThreshold,
    checkValue: (v) =>
      v >= 0n && v < 1n << BigInt(BOX_LABEL_BITS) ? undefined : `gold value ${v} is not a 72-bit box label`,
  });
}

/**
 * COCO instances JSON: one image and one annotation per item (image id = item index + 1,
 * category id = class index + 1, since COCO ids start at 1).
 */
export function boxesToCoco(items: readonly CocoItem<Box>[], classes: readonly string[]): string {
  for (const r of items) {
    if (r.label.cls >= classes.length)
      throw new ZkLabelError("invalid_input", `${itemName(r.index)}: class ${classNumber(r.label.cls)} has no name`);
  }
  const coco = {
    info: { description: "zkLabel bounding boxes", version: "1.0" },
    images: items.map((r) => ({ id: r.index + 1, file_name: r.name, width: r.width, height: r.height })),
    annotations: items.map((r) => ({
      id: r.index + 1,
      image_id: r.index + 1,
      category_id: r.label.cls + 1,
      bbox: [r.label.x, r.label.y, r.label.w, r.label.h],
      area: r.label.w * r.label.h,
      iscrowd: 0,
    })),
    categories: classes.map((name, i) => ({ id: i + 1, name, supercategory: "object" })),
  };
  return `${JSON.stringify(coco, null, 2)}\n`;
}

const pixel = (what: string) =>
  z.number().int().min(0, `${what} must be at least 0`).max(0xffff, `${what} must be at most 65535`);

/** The bounding-box rule: one box per image, of an allowed class, inside the image, at least the minimum size. */
const bboxSpec = z.object({
  type: z.literal("bbox"),
  ...classesSpec,
  minWidth: pixel("minWidth"),
  minHeight: pixel("minHeight"),
});

export const bboxRule: RuleSpec<BoxParams, Box> & { readonly spec: typeof bboxSpec } = {
  id: BOX_RULE_ID,
  name: "bbox",
  title: "Bounding boxes",
  noun: "bounding-box",
  summary: "each image has one box of an allowed class, inside the image and at least the minimum size",
  params: z.object({
    numClasses: z.number().int().min(1).max(MAX_CLASSES),
    allowedMask: z.bigint().positive(),
    minWidth: pixel("minWidth"),
    minHeight: pixel("minHeight"),
  }),
  spec: bboxSpec,
  fromSpec: (r) => {
    const b = r as z.infer<typeof bboxSpec>;
    const c = classParamsFromSpec(b);
    const params = { ...c.params, minWidth: b.minWidth, minHeight: b.minHeight };
    return { params, classes: [...b.classes], problems: c.problems.length ? c.problems : checkBoxParams(params) };
  },
  encodeParams: boxRuleParams,
  decodeParams: (s) => ({
    numClasses: Number(s[0]),
    allowedMask: s[1],
    minWidth: Number(s[2]),
    minHeight: Number(s[3]),
  }),
  checkParams: checkBoxParams,
  classNames: (p, named) => namedClasses(p.numClasses, named),
  allowedClasses: (p) => maskClasses(p.numClasses, p.allowedMask),
  labelBits: BOX_LABEL_BITS,
  label: z.object({
    cls: z.number().int().min(0).max(255),
    x: pixel("x"),
    y: pixel("y"),
    w: pixel("w"),
    h: pixel("h"),
  }),
  labelValue: boxLabelValue,
  labelFromValue: boxFromValue,
  labelClass: (b) => b.cls,
  showLabel: (b, classes) => `${className(b.cls, classes)} at ${b.x},${b.y} ${b.w}×${b.h}`,
  exportFields: (b, classes) => ({
    label: b.cls,
    ...(classes[b.cls] !== undefined ? { className: classes[b.cls] } : {}),
    x: b.x,
    y: b.y,
    w: b.w,
    h: b.h,
  }),
  toCoco: boxesToCoco,
  datasetKind: "box",
  itemFacts: (bytes, type) => ({ contentHash: contentHash(bytes), ...imageSize(bytes, type) }),
  manifestFields: ["width", "height"],
  datasetTree: (depth, batchSize, items) => boxDatasetTree(depth, items.map(boxItem), datasetChunk(batchSize / 2)),
  batchShape: (depth, batchSize) => ({
    leaves: batchSize / 2,
    itemsPerLeaf: 2,
    depth: depth - 1,
    chunk: datasetChunk(batchSize / 2),
  }),
  leavesOf: (items) => boxPairNodes(items.map(boxItem)),
  example: (n) => ({
    params: { numClasses: 3, allowedMask: 0b011n, minWidth: 8, minHeight: 8 },
    items: Array.from({ length: n }, (_, i) => ({ contentHash: poseidon([BigInt(i + 1)]), width: 640, height: 480 })),
    labels: Array.from({ length: n }, (_, i) => ({ cls: i % 2, x: 10 + i, y: 20, w: 100, h: 80 })),
  }),
  checkLabels: (labels, items, p, firstItem) => checkBoxLabels(labels, items.map(boxItem), p, firstItem),
  workerInput: boxWorkerInput,
  gold: {
    answer: z.object({
      cls: z.number().int().min(0).max(255),
      x: pixel("x"),
      y: pixel("y"),
      w: pixel("w"),
      h: pixel("h"),
    }),
    goldValue: checkedBoxValue,
    answerFromValue: boxFromValue,
    goldMatches: boxGoldMatches,
    defaultThreshold: 50,
    checkThreshold: checkBoxThreshold,
    answerFromFile: boxAnswerFromFile,
    fileEntry: '{"item": name or index, "label": class name, "box": [x, y, w, h]}',
    threshold:
      "the minimum intersection over union, in percent: a box matches its gold box when it has the same class and IoU >= the threshold",
    rejectInput: boxRejectInput,
  },
};
