import type { LeanIMT } from "@zk-kit/lean-imt";
import { batchPublic } from "./batch.ts";
import { decryptFromWorker, type Encrypted, encryptToRequester } from "./encryption.ts";
import { ZkLabelError } from "./errors.ts";
import { membershipWitness } from "./group.ts";
import { batchNullifier, type WorkerSecret } from "./identity.ts";
import { labelsCommitment, labelsPerElement, packLabels, unpackLabels } from "./labels.ts";
import { type CircuitInfo, orderPublicSignals, publicInputLayout } from "./registry.ts";
import { type RuleParams, ruleParamsHash, type TaskBinding, taskHash } from "./task.ts";

/** Who proves a batch (anonymously, as a group member) and for whom the labels are encrypted. */
export interface WorkerContext {
  identity: WorkerSecret;
  group: LeanIMT<bigint>;
  /** Fresh per proof unless a test pins it. */
  ephemeralSecret?: bigint;
}

const s = (x: bigint) => x.toString();

/**
 * The TypeScript twin of WorkerEnvelope (circuits/lib/worker.circom): the
 * membership witness, the batch nullifier and the plaintext (packed labels,
 * then salt) encrypted to pkR under nonce batchIndex, as witness fields and as
 * named public values.
 */
export function workerEnvelope(
  circuit: CircuitInfo,
  w: WorkerContext,
  taskHash: bigint,
  batchIndex: bigint,
  pkR: readonly [bigint, bigint],
  plaintext: readonly bigint[],
): {
  input: Record<string, string | string[]>;
  named: Record<string, bigint | readonly bigint[]>;
  encrypted: Encrypted;
} {
  const groupDepth = circuit.params.GROUP_DEPTH;
  if (groupDepth === undefined) throw new Error(`${circuit.name} is not a worker circuit (no GROUP_DEPTH)`);
  const m = membershipWitness(w.group, w.identity.commitment, groupDepth);
  const nullifier = batchNullifier(w.identity.secret, taskHash, batchIndex);
  const enc = encryptToRequester(plaintext, pkR, batchIndex, w.ephemeralSecret);
  return {
    input: {
      groupRoot: s(m.groupRoot),
      nullifier: s(nullifier),
      epk: enc.epk.map(s),
      ciphertext: enc.ciphertext.map(s),
      identitySecret: s(w.identity.secret),
      groupDepth: s(m.depth),
      groupIndex: s(m.index),
      groupSiblings: m.siblings.map(s),
      ephemeralSecret: s(enc.ephemeralSecret),
    },
    named: { groupRoot: m.groupRoot, nullifier, epk: enc.epk, ciphertext: enc.ciphertext },
    encrypted: { epk: enc.epk, ciphertext: enc.ciphertext },
  };
}

/** The private task fields every rule circuit hashes into taskHash (TaskBinding). */
export function taskFieldsInput(task: Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">, datasetRoot: bigint) {
  return {
    datasetRoot: s(datasetRoot),
    pkR: task.pkR.map(s),
    goldRoot: s(task.goldRoot),
    taskId: s(task.taskId),
    chainId: s(task.chainId),
    contractAddress: s(task.contract),
  };
}

/** What every rule's batch request holds beside its own parameters, data and labels (rules/types RuleBatchRequest). */
export interface EnvelopeRequest extends WorkerContext {
  circuit: CircuitInfo;
  task: Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">;
  batchIndex: number;
  salt: bigint;
  /** The recipient word (core/batch recipientWord). */
  recipient: bigint;
}

/**
 * Everything of a worker proof's input that is not the rule's own data: taskHash from the
 * task and rule parameters, labelsCommitment, the shared public values, the task fields and
 * the worker envelope (membership, nullifier, labels and salt encrypted to pkR), plus the public
 * signals in the circuit's order. `labels` are the N label values, zero past count.
 */
export function ruleWorkerInput(
  req: EnvelopeRequest,
  own: {
    datasetRoot: bigint;
    ruleId: number;
    ruleParams: RuleParams;
    labels: readonly bigint[];
    labelBits: number;
    count: number;
  },
): { input: Record<string, string | string[]>; publicSignals: bigint[]; encrypted: Encrypted } {
  const r = { ...req, ...own };
  const th = taskHash({
    ...r.task,
    datasetRoot: r.datasetRoot,
    ruleParamsHash: ruleParamsHash(r.ruleId, r.ruleParams),
  });
  const pub = batchPublic({
    taskHash: th,
    batchIndex: r.batchIndex,
    count: r.count,
    recipient: r.recipient,
    labelsCommitment: labelsCommitment(r.labels, r.labelBits, r.salt),
  });
  const env = workerEnvelope(r.circuit, req, th, BigInt(r.batchIndex), r.task.pkR, [
    ...packLabels(r.labels, r.labelBits),
    r.salt,
  ]);
  return {
    input: {
      ...pub.input,
      ...taskFieldsInput(r.task, r.datasetRoot),
      ruleParams: r.ruleParams.map(s),
      salt: s(r.salt),
      ...env.input,
    },
    publicSignals: orderPublicSignals(r.circuit, { ...pub.named, ...env.named }),
    encrypted: env.encrypted,
  };
}

/** A worker proof's public values by name, from its signal vector in the circuit's order. */
export interface WorkerPublicValues {
  taskHash: bigint;
  groupRoot: bigint;
  nullifier: bigint;
  batchIndex: bigint;
  count: bigint;
  recipient: bigint;
  epk: readonly [bigint, bigint];
  labelsCommitment: bigint;
  ciphertext: readonly bigint[];
}

/** Names a worker proof's public signals (epk takes two, the ciphertext the rest): the inverse of orderPublicSignals. */
export function workerPublicValues(circuit: CircuitInfo, signals: readonly bigint[]): WorkerPublicValues {
  if (!circuit.publicInputs.includes("ciphertext"))
    throw new Error(`${circuit.name} is not a worker circuit (no ciphertext among its public inputs)`);
  // Positions and widths from circuits/circuits.json (the generated layout): no second copy here.
  const out: Record<string, bigint | readonly bigint[]> = {};
  for (const p of publicInputLayout(circuit, signals.length))
    out[p.name] = p.array ? signals.slice(p.offset, p.offset + p.width) : signals[p.offset];
  return out as unknown as WorkerPublicValues;
}

/** The requester's side of a proven batch: decrypt and check against labelsCommitment. */
export function openWorkerBatch(
  e: Encrypted,
  skR: bigint,
  batchIndex: bigint,
  n: number,
  labelsCommitmentValue: bigint,
  labelBits: number,
): { labels: bigint[]; salt: bigint } {
  const m = Math.ceil(n / labelsPerElement(labelBits));
  const plain = decryptFromWorker(e, skR, batchIndex, m + 1);
  const labels = unpackLabels(plain.slice(0, m), labelBits, n);
  const salt = plain[m];
  if (labelsCommitment(labels, labelBits, salt) !== labelsCommitmentValue) {
    throw new ZkLabelError(
      "wrong_task",
      `batch ${batchIndex}: the decrypted labels do not open the proven labelsCommitment`,
    );
  }
  return { labels, salt };
}
