import { batchCount, batchPublic } from "./batch.ts";
import { decryptFromWorker, type Encrypted } from "./encryption.ts";
import { assertField } from "./field.ts";
import { labelsCommitment, labelsPerElement, packLabels, unpackLabels } from "./labels.ts";
import { type BatchSource, datasetChunk } from "./merkle.ts";
import { type CircuitInfo, orderPublicSignals } from "./registry.ts";
import { RULE_IDS, type RuleParams, ruleParamsHash, type TaskBinding, taskHash } from "./task.ts";
import { taskFieldsInput, type WorkerContext, workerEnvelope } from "./worker.ts";

/**
 * Bits per classification label: classLabelBits() in circuits/classification.circom,
 * the one class width the circuit range-checks labels to and packs them with, and
 * "labelBits" of the classification circuits in circuits/circuits.json
 * (test/circuits/classification.test.ts checks that the three agree).
 */
export const CLASS_LABEL_BITS = 5;

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
    errors.push(`allowed-class mask allows classes >= ${p.numClasses}, the number of classes`);
  }
  return errors;
}

/** Each label that breaks the rule, in words, numbered by dataset item (firstItem + i). */
export function checkClassificationLabels(labels: readonly number[], p: ClassificationParams, firstItem = 0): string[] {
  const errors: string[] = [];
  labels.forEach((label, i) => {
    const item = firstItem + i;
    if (!Number.isInteger(label) || label < 0) {
      errors.push(`item ${item}: label ${label} is not a class number`);
    } else if (label >= p.numClasses) {
      errors.push(`item ${item}: class ${label} >= number of classes ${p.numClasses}`);
    } else if (((p.allowedMask >> BigInt(label)) & 1n) === 0n) {
      errors.push(`item ${item}: class ${label} is not allowed in this task`);
    }
  });
  return errors;
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
  const count = batchCount(r.tree.size, N, r.batchIndex, r.labels.length);
  const paramErrors = checkClassificationParams(r.params);
  if (paramErrors.length) throw new RangeError(paramErrors.join("; "));
  const violations = checkClassificationLabels(r.labels, r.params, r.batchIndex * N);
  if (violations.length) throw new RangeError(violations.join("; "));
  assertField(r.salt, "salt");

  const ruleParams = classificationRuleParams(r.params);
  const labels = Array.from({ length: N }, (_, i) => BigInt(r.labels[i] ?? 0));
  const th = taskHash({
    ...r.task,
    datasetRoot: r.tree.root,
    ruleParamsHash: ruleParamsHash(RULE_IDS.classification, ruleParams),
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

/** The requester's side of a proven batch: decrypt and check against labelsCommitment. */
export function openWorkerBatch(
  e: Encrypted,
  skR: bigint,
  batchIndex: bigint,
  n: number,
  labelsCommitmentValue: bigint,
  labelBits = CLASS_LABEL_BITS,
): { labels: bigint[]; salt: bigint } {
  const m = Math.ceil(n / labelsPerElement(labelBits));
  const plain = decryptFromWorker(e, skR, batchIndex, m + 1);
  const labels = unpackLabels(plain.slice(0, m), labelBits, n);
  const salt = plain[m];
  if (labelsCommitment(labels, labelBits, salt) !== labelsCommitmentValue) {
    throw new Error(`batch ${batchIndex}: the decrypted labels do not open the proven labelsCommitment`);
  }
  return { labels, salt };
}
