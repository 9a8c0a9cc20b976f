/**
 * What a labeling rule is, as one object: everything the SDK, CLI, vault, app and scripts need
 * to know of a rule comes from its RuleSpec, so a new rule is one module here (plus its circuit,
 * its registry entry in circuits/circuits.json and its labeler component in the app).
 */
import type { z } from "zod";
import type { Encrypted } from "../encryption.ts";
import type { EnvelopeRequest } from "../envelope.ts";
import type { RejectInput, RejectRequest } from "../gold.ts";
import type { BatchSource, DatasetTree } from "../merkle.ts";
import type { RuleParams, TaskBinding } from "../task.ts";

/**
 * How items of a rule's datasets become tree leaves (docs/protocol.md, "Datasets"): "content",
 * "box" (images with their size), "sensor", or "fields:<rule>" for a kit rule that commits item
 * fields of its own (docs/writing-rules.md).
 */
export type DatasetKind = string;

/** What a rule reads of one item: always its content hash; images their pixel size; sensor windows their readings and leaf. */
export interface ItemFacts {
  contentHash: bigint;
  /** Sensor windows: Poseidon of the readings (the tree's leaf). */
  leaf?: bigint;
  /** Box images: pixel size. */
  width?: number;
  height?: number;
  /** Sensor windows: the readings. */
  readings?: number[];
  /** Kit rules with item fields: the fields read off the item, by name (packages/core/src/rules/kit.ts). */
  fields?: Record<string, number>;
}

/**
 * One label that breaks the rule: `item` is the dataset index (0-based, for machines), `code`
 * names the check, `message` says it to a person, and the other fields hold the values compared
 * (so a UI can render the issue without reading the message).
 */
export interface RuleIssue {
  item: number;
  code: string;
  message: string;
  [field: string]: unknown;
}

/** The private task fields every proof hashes into taskHash. */
export type TaskFields = Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">;

/** A batch's data as the input builder takes it. */
export interface BatchData {
  /** The dataset tree, or the batch's slice of it (what a vault serves). */
  source: BatchSource;
  /** Items in the whole dataset. */
  itemCount: number;
  /** What the rule reads of the batch's items, in order (one per item of the batch). */
  items: readonly ItemFacts[];
}

/** Everything a worker needs to prove one batch of a rule. */
export interface RuleBatchRequest<P, L> extends EnvelopeRequest {
  params: P;
  data: BatchData;
  /** One label per item of the batch. */
  labels: readonly L[];
}

/** A worker circuit's witness input, the public signals it must produce, and the encrypted labels. */
export interface WorkerInput {
  input: Record<string, string | string[] | string[][]>;
  publicSignals: bigint[];
  encrypted: Encrypted;
}

/** Where a batch sits in a tree of the rule's kind: leaves per batch, the tree's depth and bottom chunk. */
export interface BatchShape {
  leaves: number;
  /** Items per tree leaf (2 for box pair nodes). */
  itemsPerLeaf: number;
  depth: number;
  chunk: number;
}

/** A labeled image for COCO export. */
export interface CocoItem<L> {
  index: number;
  name: string;
  width: number;
  height: number;
  label: L;
}

/**
 * A rule's gold items (docs/protocol.md §2.3) and their rejection: what a gold answer is, the value
 * its gold leaf holds, when a label matches it (the <Rule>Reject circuit's test, in the same
 * integer arithmetic), and the rejection circuit's input. Rules without gold have no `gold` part.
 */
export interface GoldSpec<L, A> {
  /** A gold answer as JSON (a gold file's answer, after class names are resolved). */
  readonly answer: z.ZodType<A>;
  /** The goldLabel of a gold leaf Poseidon(isGold, goldLabel, salt). */
  goldValue(a: A): bigint;
  /** Inverse of goldValue. */
  answerFromValue(v: bigint): A;
  /** Whether a worker's label matches the gold answer at the task's threshold, exactly as the circuit decides. */
  goldMatches(label: L, answer: A, threshold: number): boolean;
  /** What the task's gold threshold means, in words. */
  readonly threshold: string;
  /** The threshold a task gets when its spec names none (percent). */
  readonly defaultThreshold: number;
  /** The threshold's problem in words, if any (classification: it must be 0; boxes: 0..100). */
  checkThreshold(threshold: number): string | undefined;
  /**
   * Gold items the rejection can compare in one batch, when it cannot compare all (polygons: the
   * circuit's SLOTS); a gold set with more in some batch is refused, as no rejection of it exists.
   */
  readonly maxPerBatch?: number;
  /**
   * A gold file entry's answer: the class (already resolved from its name) and the rest of the entry
   * (boxes: `"box": [x, y, w, h]`); a problem in words when the entry does not give this rule's answer.
   */
  answerFromFile(cls: number, entry: Record<string, unknown>): A | string;
  /** How a gold file entry is written for this rule, for help texts and errors. */
  readonly fileEntry: string;
  /** The rejection circuit's input; throws a ZkLabelError when no rejection exists. */
  rejectInput(r: RejectRequest<L>): RejectInput;
}

/** A rule: its parameters, labels, datasets, checker, prover input and presentation. */
export interface RuleSpec<P = unknown, L = unknown> {
  /** RULE_ID of the circuits and the escrow's registry key. */
  readonly id: number;
  /** Machine name, as in task specs and circuits/circuits.json ("bbox"). */
  readonly name: string;
  /** For people: "Bounding boxes". */
  readonly title: string;
  /** As an adjective: "a bounding-box task". */
  readonly noun: string;
  /** One sentence on what the circuit proves of each label. */
  readonly summary: string;

  /** The named parameters (zod), in the values people and specs use. */
  readonly params: z.ZodType<P>;
  /** The rule's part of a task spec file (`{"type": name, ...}`), with messages a person can act on. */
  readonly spec: z.ZodType<{ type: string }>;
  /** A spec's rule part (parsed by `spec`) as parameters, the class names for the task's metadata, and problems in words. */
  fromSpec(rule: { type: string }): { params: P; classes: string[]; problems: string[] };
  /** Into the four on-chain slots (unused slots 0). */
  encodeParams(p: P): RuleParams;
  /** From the four slots of a task. */
  decodeParams(slots: readonly bigint[]): P;
  /** Parameter problems in words (empty when usable). */
  checkParams(p: P): string[];
  /** Class names a worker chooses from, given the task metadata's names (sensor: normal and anomaly). */
  classNames(p: P, named?: readonly string[]): string[];
  /** Classes a worker may use (indexes into classNames). */
  allowedClasses(p: P): number[];

  /** Bits of one packed label. */
  readonly labelBits: number;
  /** A label as JSON (labeling agents, the labeler screens). */
  readonly label: z.ZodType<L>;
  /** The packed value of one label. */
  labelValue(l: L): bigint;
  /** Inverse of labelValue (opening decrypted batches). */
  labelFromValue(v: bigint): L;
  /** The class of a label (what gold answers and charts count). */
  labelClass(l: L): number;
  /** A label in words, with class names ("car at 10,20 40×30"). */
  showLabel(l: L, classes: readonly string[]): string;
  /** Export columns for one label (JSONL and CSV), beside index, name and content hash. */
  exportFields(l: L, classes: readonly string[]): Record<string, string | number>;
  /** COCO instances JSON for labeled images, for rules whose labels are boxes (absent for the others). */
  readonly toCoco?: (items: readonly CocoItem<L>[], classes: readonly string[]) => string;

  /** How the rule's items become leaves. */
  readonly datasetKind: DatasetKind;
  /** What the rule reads of an item's bytes; throws a message naming what is wrong. */
  itemFacts(bytes: Uint8Array, type: string, name: string): ItemFacts;
  /** The fields of ItemFacts a manifest must carry for this rule, beyond the content hash. */
  readonly manifestFields: readonly ("leaf" | "width" | "height")[];
  /** The dataset tree over the items' facts. */
  datasetTree(depth: number, batchSize: number, items: readonly ItemFacts[]): DatasetTree;
  /** The tree leaves of a batch's items, in order (to check items a vault serves against its slice). */
  leavesOf(items: readonly ItemFacts[]): bigint[];
  /** Where a batch sits in the rule's tree. */
  batchShape(depth: number, batchSize: number): BatchShape;

  /**
   * A valid example batch of `n` items for the circuit's parameters (`T` readings for sensors):
   * parameters, items' facts and labels that follow the rule. For benchmarks, docs and tests.
   */
  example(n: number, circuitParams: Record<string, number>): { params: P; items: ItemFacts[]; labels: L[] };
  /** Each label that breaks the rule, typed. `firstItem` is the batch's first dataset index. */
  checkLabels(labels: readonly L[], items: readonly ItemFacts[], p: P, firstItem: number): RuleIssue[];
  /** The worker circuit's input; refuses labels that break the rule with a RuleViolationError. */
  workerInput(r: RuleBatchRequest<P, L>): WorkerInput;

  /** Gold answers and rejections, for rules that have gold items (absent for the others). */
  readonly gold?: GoldSpec<L, any>;
}
