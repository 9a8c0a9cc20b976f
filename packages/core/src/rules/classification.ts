import { z } from "zod";
import { batchItemCount, batchPublic } from "../batch.ts";
import { className, classNumber, itemName } from "../display.ts";
import type { Encrypted } from "../encryption.ts";
import { taskFieldsInput, type WorkerContext, workerEnvelope } from "../envelope.ts";
import { refuseIssues, ZkLabelError } from "../errors.ts";
import { assertField, contentHash } from "../field.ts";
import { goldRejectInput, type RejectInput, type RejectRequest } from "../gold.ts";
import { labelsCommitment, packLabels } from "../labels.ts";
import { type BatchSource, DatasetTree, datasetChunk } from "../merkle.ts";
import { poseidon } from "../poseidon.ts";
import { type CircuitInfo, orderPublicSignals } from "../registry.ts";
import { type RuleParams, ruleParamsHash, type TaskBinding, taskHash } from "../task.ts";
import type { RuleIssue, RuleSpec } from "./types.ts";

/**
 * Bits per classification label: classLabelBits() in circuits/classification.circom,
 * the one class width the circuit range-checks labels to and packs them with, and
 * "labelBits" of the classification circuits in circuits/circuits.json
 * (test/circuits/classification.test.ts checks that the three agree).
 */
export const CLASS_LABEL_BITS = 5;

/** Rule id of classification (RULE_ID in circuits/classification.circom, ruleId in circuits/circuits.json). */
export const CLASSIFICATION_RULE_ID = 1;

/** Largest class count the classification circuit supports: classes are < 2^CLASS_LABEL_BITS. */
export const MAX_CLASSES = 2 ** CLASS_LABEL_BITS;

/** Classification rule parameters: labels are < numClasses and set in allowedMask. */
export interface ClassificationParams {
  numClasses: number;
  /** Bit c set = class c may be used. */
  allowedMask: bigint;
}

/** The four rule parameter slots of a classification task. */
export function classificationRuleParams(p: ClassificationParams): RuleParams {
  return [BigInt(p.numClasses), p.allowedMask, 0n, 0n];
}

/** Parameter problems in words (empty when the parameters are usable). */
export function checkClassificationParams(p: ClassificationParams): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(p.numClasses) || p.numClasses < 1 || p.numClasses > MAX_CLASSES) {
    errors.push(`number of classes must be 1..${MAX_CLASSES}, got ${p.numClasses}`);
  }
  if (p.allowedMask <= 0n || p.allowedMask >= 1n << BigInt(MAX_CLASSES)) {
    errors.push(`allowed-class mask must set at least one of the first ${MAX_CLASSES} bits`);
  } else if (p.allowedMask >> BigInt(p.numClasses) !== 0n) {
    errors.push(`allowed-class mask allows classes beyond the ${p.numClasses} the task has`);
  }
  return errors;
}

/** Each class label that breaks the rule, typed, numbered by dataset item (firstItem + i). */
export function checkClassificationLabels(
  labels: readonly number[],
  p: ClassificationParams,
  firstItem = 0,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  labels.forEach((label, i) => {
    const item = firstItem + i;
    const at = itemName(item);
    if (!Number.isInteger(label) || label < 0) {
      issues.push({ item, code: "not_a_class", label, message: `${at}: label ${label} is not a class number` });
    } else if (label >= p.numClasses) {
      issues.push({
        item,
        code: "class_out_of_range",
        label,
        numClasses: p.numClasses,
        message: `${at}: class ${classNumber(label)} is beyond the task's ${p.numClasses} classes`,
      });
    } else if (((p.allowedMask >> BigInt(label)) & 1n) === 0n) {
      issues.push({
        item,
        code: "class_not_allowed",
        label,
        message: `${at}: class ${classNumber(label)} is not allowed in this task`,
      });
    }
  });
  return issues;
}

/** Everything a worker needs to prove one classification batch. */
export interface ClassificationBatchRequest {
  circuit: CircuitInfo;
  tree: BatchSource;
  task: Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">;
  params: ClassificationParams;
  batchIndex: number;
  /** Labels of the present items only (length = count). */
  labels: readonly number[];
  salt: bigint;
  recipient: bigint;
}

/** Witness input for ClassificationBatch plus the public signals it must produce. */
export function classificationInput(r: ClassificationBatchRequest): {
  input: Record<string, string | string[]>;
  publicSignals: bigint[];
} {
  const { input, named } = classificationBase(r);
  return { input, publicSignals: orderPublicSignals(r.circuit, named) };
}

/** The rule part of every classification proof's input, and its named public values. */
function classificationBase(r: ClassificationBatchRequest): {
  input: Record<string, string | string[]>;
  named: Record<string, bigint>;
} {
  const { N, DEPTH } = r.circuit.params;
  if (r.tree.depth !== DEPTH)
    throw new Error(`dataset tree depth ${r.tree.depth} does not match circuit depth ${DEPTH}`);
  if (r.tree.chunk !== datasetChunk(N))
    throw new Error(
      `dataset tree chunks of ${r.tree.chunk} do not match the circuit's ${datasetChunk(N)} (batch size ${N})`,
    );
  const count = batchItemCount(r.tree.size, N, r.batchIndex, r.labels.length);
  const paramErrors = checkClassificationParams(r.params);
  if (paramErrors.length) throw new ZkLabelError("invalid_input", paramErrors.join("; "));
  refuseIssues(checkClassificationLabels(r.labels, r.params, r.batchIndex * N));
  assertField(r.salt, "salt");

  const ruleParams = classificationRuleParams(r.params);
  const labels = Array.from({ length: N }, (_, i) => BigInt(r.labels[i] ?? 0));
  const th = taskHash({
    ...r.task,
    datasetRoot: r.tree.root,
    ruleParamsHash: ruleParamsHash(CLASSIFICATION_RULE_ID, ruleParams),
  });
  if (r.circuit.labelBits === undefined) throw new Error(`${r.circuit.name} is not a rule circuit (no labelBits)`);
  const commitment = labelsCommitment(labels, r.circuit.labelBits, r.salt);
  const s = (x: bigint) => x.toString();
  const pub = batchPublic({
    taskHash: th,
    batchIndex: r.batchIndex,
    count,
    recipient: r.recipient,
    labelsCommitment: commitment,
  });
  return {
    input: {
      ...pub.input,
      ...taskFieldsInput(r.task, r.tree.root),
      ruleParams: ruleParams.map(s),
      leaves: r.tree.batchLeaves(r.batchIndex, N).map(s),
      labels: labels.map(s),
      salt: s(r.salt),
      pathSiblings: r.tree.batchPath(r.batchIndex, N).map(s),
    },
    named: pub.named,
  };
}

/** The complete worker proof's request: the batch plus who proves it. */
export interface WorkerProofRequest extends ClassificationBatchRequest, WorkerContext {}

/**
 * Witness input and public signals of ClassificationWorkerBatch: the batch
 * input plus membership, nullifier, and the packed labels and salt encrypted
 * to pkR under the batch index as nonce.
 */
export function classificationWorkerInput(r: WorkerProofRequest): {
  input: Record<string, string | string[]>;
  publicSignals: bigint[];
  encrypted: Encrypted;
} {
  const base = classificationBase(r);
  const labels = (base.input.labels as string[]).map(BigInt);
  const plaintext = [...packLabels(labels, r.circuit.labelBits as number), r.salt];
  const env = workerEnvelope(r.circuit, r, base.named.taskHash, BigInt(r.batchIndex), r.task.pkR, plaintext);
  return {
    input: { ...base.input, ...env.input },
    publicSignals: orderPublicSignals(r.circuit, { ...base.named, ...env.named }),
    encrypted: env.encrypted,
  };
}

/** Classification matches gold answers exactly: its threshold is 0. */
const checkClassificationThreshold = (t: number): string | undefined =>
  t === 0 ? undefined : `classification gold answers match exactly: the gold threshold must be 0, got ${t}`;

/**
 * Witness input and public signals of ClassificationReject (circuits/classification_reject.circom):
 * a label matches its gold answer when it is that class; the threshold must be 0.
 */
export function classificationRejectInput(r: RejectRequest<number>): RejectInput {
  return goldRejectInput(r, {
    labelBits: CLASS_LABEL_BITS,
    labelValue: (l) => {
      if (!Number.isInteger(l) || l < 0 || l >= MAX_CLASSES)
        throw new ZkLabelError("invalid_input", `label ${l} is not a class number below ${MAX_CLASSES}`);
      return BigInt(l);
    },
    matchesValue: (l, v) => BigInt(l) === v,
    checkThreshold: checkClassificationThreshold,
  });
}

const classNames = z
  .array(z.string().trim().min(1, "a class name cannot be empty"), { error: "classes must be a list of names" })
  .min(2, "a task needs at least two classes")
  .max(MAX_CLASSES, `at most ${MAX_CLASSES} classes are supported`)
  .refine((c) => new Set(c).size === c.length, "class names must be unique");

/** The class part of a task spec's rule (classification and bounding boxes): names, and which of them workers may use. */
export const classesSpec = {
  classes: classNames,
  /** Names of the classes workers may use; all of them when absent. */
  allowed: z.array(z.string()).optional(),
};

/** A spec's class names and allowed names as numClasses and allowedMask, or the problems in words. */
export function classParamsFromSpec(r: { classes: readonly string[]; allowed?: readonly string[] }): {
  params: ClassificationParams;
  problems: string[];
} {
  const problems: string[] = [];
  for (const name of r.allowed ?? []) {
    if (!r.classes.includes(name))
      problems.push(`allowed: class "${name}" is not one of the classes (${r.classes.join(", ")})`);
  }
  if (r.allowed && r.allowed.length === 0) problems.push("allowed: allow at least one class");
  const allowed = r.allowed ?? r.classes;
  const allowedMask = allowed.reduce(
    (m, name) => (r.classes.includes(name) ? m | (1n << BigInt(r.classes.indexOf(name))) : m),
    0n,
  );
  const params = { numClasses: r.classes.length, allowedMask };
  if (problems.length === 0) problems.push(...checkClassificationParams(params));
  return { params, problems };
}

/** Classes set in a mask, in order. */
export const maskClasses = (numClasses: number, mask: bigint): number[] =>
  Array.from({ length: numClasses }, (_, c) => c).filter((c) => ((mask >> BigInt(c)) & 1n) === 1n);

/** Class names for a task: the metadata's, or numbers when it names none. */
export const namedClasses = (numClasses: number, named?: readonly string[]): string[] =>
  Array.from({ length: numClasses }, (_, c) => named?.[c] ?? `class ${classNumber(c)}`);

/** The classification rule: one class per item, below numClasses and set in allowedMask. */
const classificationSpec = z.object({ type: z.literal("classification"), ...classesSpec });

export const classificationRule: RuleSpec<ClassificationParams, number> & {
  readonly spec: typeof classificationSpec;
} = {
  id: CLASSIFICATION_RULE_ID,
  name: "classification",
  title: "Classification",
  noun: "classification",
  summary: "each label is one of the task's classes, and an allowed one",
  params: z.object({
    numClasses: z.number().int().min(1).max(MAX_CLASSES),
    allowedMask: z.bigint().positive(),
  }),
  spec: classificationSpec,
  fromSpec: (r) => {
    const c = r as z.infer<typeof classificationSpec>;
    return { ...classParamsFromSpec(c), classes: [...c.classes] };
  },
  encodeParams: classificationRuleParams,
  decodeParams: (s) => ({ numClasses: Number(s[0]), allowedMask: s[1] }),
  checkParams: checkClassificationParams,
  classNames: (p, named) => namedClasses(p.numClasses, named),
  allowedClasses: (p) => maskClasses(p.numClasses, p.allowedMask),
  labelBits: CLASS_LABEL_BITS,
  label: z
    .number()
    .int()
    .min(0)
    .max(MAX_CLASSES - 1),
  labelValue: (l) => BigInt(l),
  labelFromValue: (v) => Number(v),
  labelClass: (l) => l,
  showLabel: (l, classes) => className(l, classes),
  exportFields: (l, classes) => ({ label: l, ...(classes[l] !== undefined ? { className: classes[l] } : {}) }),
  datasetKind: "content",
  itemFacts: (bytes) => ({ contentHash: contentHash(bytes) }),
  manifestFields: [],
  datasetTree: (depth, batchSize, items) =>
    new DatasetTree(
      depth,
      items.map((x) => x.contentHash),
      datasetChunk(batchSize),
    ),
  batchShape: (depth, batchSize) => ({ leaves: batchSize, itemsPerLeaf: 1, depth, chunk: datasetChunk(batchSize) }),
  leavesOf: (items) => items.map((x) => x.contentHash),
  example: (n) => ({
    params: { numClasses: 4, allowedMask: 0b0111n },
    items: Array.from({ length: n }, (_, i) => ({ contentHash: poseidon([BigInt(i + 1)]) })),
    labels: Array.from({ length: n }, (_, i) => i % 3),
  }),
  checkLabels: (labels, _items, p, firstItem) => checkClassificationLabels(labels, p, firstItem),
  workerInput: (r) => classificationWorkerInput({ ...r, tree: r.data.source }),
  gold: {
    answer: z
      .number()
      .int()
      .min(0)
      .max(MAX_CLASSES - 1),
    goldValue: (a: number) => BigInt(a),
    answerFromValue: (v: bigint) => Number(v),
    goldMatches: (label: number, answer: number) => label === answer,
    threshold: "none: a label matches a gold answer when it is the same class (the threshold is 0)",
    defaultThreshold: 0,
    checkThreshold: checkClassificationThreshold,
    answerFromFile: (cls: number) => cls,
    fileEntry: '{"item": name or index, "label": class name}',
    rejectInput: classificationRejectInput,
  },
};
