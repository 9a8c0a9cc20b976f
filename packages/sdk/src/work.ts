/**
 * The worker's and the requester's side of a batch, in Node or the browser: a task's full
 * parameters from its TaskCreated event, proving a classification batch from a manifest and
 * labels, and decrypting accepted batches from their BatchSubmitted events.
 */
import { recipientWord } from "@zklabel/core/batch";
import { BOX_LABEL_BITS, type Box, type BoxItem, boxFromValue, boxWorkerInput } from "@zklabel/core/bbox";
import { CLASS_LABEL_BITS, classificationWorkerInput, openWorkerBatch } from "@zklabel/core/classification";
import type { workerGroup } from "@zklabel/core/group";
import { type Identity, workerSecret } from "@zklabel/core/identity";
import { type BatchSource, DatasetTree } from "@zklabel/core/merkle";
import {
  type BatchProof,
  computeWitness,
  type ProvingArtifacts,
  proveWitness,
  type Witness,
} from "@zklabel/core/prove";
import { deployedCircuit } from "@zklabel/core/registry";
import { SENSOR_LABEL_BITS, sensorWorkerInput } from "@zklabel/core/sensor";
import { RULE_IDS, type RuleName } from "@zklabel/core/task";
import type { Abi, Address } from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import type { Manifest } from "./dataset.ts";
import { type DecodedLog, EventReader, type EventReaderOptions } from "./events.ts";
import { decodeTaskMetadata, type TaskMetadata } from "./metadata.ts";
import { runStages, type StageOptions } from "./progress.ts";

/** What a worker needs of a task that is not in `getTask`: the rule parameters and the dataset root. */
export interface TaskInfo {
  taskId: bigint;
  ruleId: number;
  ruleParams: readonly [bigint, bigint, bigint, bigint];
  datasetRoot: bigint;
  itemCount: number;
  pkR: readonly [bigint, bigint];
  goldRoot: bigint;
  rewardPerItem: bigint;
  taskHash: bigint;
  batchSize: number;
  datasetDepth: number;
  metadataURI: string;
  metadataHash: `0x${string}`;
}

/** The task's metadata (title, instructions, class names, vault), checked against its hash; null when it has none. */
export function taskMetadata(t: TaskInfo): TaskMetadata | null {
  return decodeTaskMetadata(t.metadataURI, t.metadataHash);
}

/** An EventReader for the escrow. */
export function escrowReader(opts: Omit<EventReaderOptions, "abi">): EventReader {
  return new EventReader({ ...opts, abi: escrowAbi as unknown as Abi });
}

/** The task's parameters from its TaskCreated event. */
export async function readTaskInfo(reader: EventReader, taskId: bigint): Promise<TaskInfo> {
  const log = (await reader.read()).find((l) => l.eventName === "TaskCreated" && l.args.taskId === taskId);
  if (!log) throw new Error(`task ${taskId} has no TaskCreated event: is the task id right, and the deployment block?`);
  return taskInfoFromLog(log);
}

/** A task's parameters from its decoded TaskCreated event. */
export function taskInfoFromLog(log: DecodedLog): TaskInfo {
  const p = log.args.params as {
    ruleId: number;
    ruleParams: readonly [bigint, bigint, bigint, bigint];
    datasetRoot: bigint;
    itemCount: number;
    pkR: readonly [bigint, bigint];
    goldRoot: bigint;
    rewardPerItem: bigint;
    metadataURI: string;
    metadataHash: `0x${string}`;
  };
  const rule = log.args.rule as { batchSize: number; datasetDepth: number };
  return {
    taskId: log.args.taskId as bigint,
    ruleId: p.ruleId,
    ruleParams: p.ruleParams,
    datasetRoot: p.datasetRoot,
    itemCount: p.itemCount,
    pkR: p.pkR,
    goldRoot: p.goldRoot,
    rewardPerItem: p.rewardPerItem,
    taskHash: log.args.taskHash as bigint,
    batchSize: rule.batchSize,
    datasetDepth: rule.datasetDepth,
    metadataURI: p.metadataURI,
    metadataHash: p.metadataHash,
  };
}

/**
 * Proves one classification batch: checks the dataset (a whole manifest, or the batch's slice a
 * vault served) is the task's, builds the input (which refuses labels that break the rule,
 * naming each, before any proving) and proves. Stages, reported to `onProgress`: "input",
 * "witness", "proof"; `signal` cancels between them.
 */
export async function proveClassificationBatch(
  args: ProveCommon & {
    /** The task's manifest, or the batch's slice of the dataset tree (from VaultClient.fetchBatch). */
    dataset: Manifest | BatchSource;
    labels: readonly number[];
  },
): Promise<BatchProof> {
  const t = args.task;
  const fields = workerFields(args, "classification");
  const d = args.dataset;
  const tree: BatchSource =
    "items" in d
      ? new DatasetTree(
          t.datasetDepth,
          d.items.map((x) => BigInt(x.contentHash)),
          d.chunk,
        )
      : d;
  if (tree.root !== t.datasetRoot) {
    throw new Error(
      `the dataset's root 0x${tree.root.toString(16)} is not task ${t.taskId}'s dataset root: use the task's manifest or batch`,
    );
  }
  const params = { numClasses: Number(t.ruleParams[0]), allowedMask: t.ruleParams[1] };
  return proveChecked(args, () => classificationWorkerInput({ ...fields, tree, params, labels: args.labels }));
}

/** What proving a batch of any rule needs besides the rule's own data. */
export interface ProveCommon extends StageOptions {
  task: TaskInfo;
  chainId: bigint;
  escrow: Address;
  batchIndex: number;
  identity: Identity;
  group: ReturnType<typeof workerGroup>;
  recipient: Address;
  relayerFeeBps?: number;
  salt: bigint;
  artifacts: ProvingArtifacts;
}

const RULE_NOUNS: Record<RuleName, string> = {
  classification: "classification",
  bbox: "bounding-box",
  sensor: "sensor-range",
};

/** What every rule's input builder takes of a proving request, once the task is checked to be of `rule`. */
function workerFields(a: ProveCommon, rule: RuleName) {
  const t = a.task;
  if (t.ruleId !== RULE_IDS[rule])
    throw new Error(`task ${t.taskId} is not a ${RULE_NOUNS[rule]} task (rule ${t.ruleId})`);
  return {
    circuit: deployedCircuit(rule),
    task: { pkR: t.pkR, goldRoot: t.goldRoot, taskId: t.taskId, chainId: a.chainId, contract: BigInt(a.escrow) },
    batchIndex: a.batchIndex,
    salt: a.salt,
    recipient: recipientWord(a.recipient, a.relayerFeeBps ?? 0),
    identity: workerSecret(a.identity),
    group: a.group,
  };
}

/** proveStaged, after checking the built input reproduces the task's on-chain taskHash. */
function proveChecked(
  a: ProveCommon,
  build: () => { input: Record<string, string | string[] | string[][]>; publicSignals: bigint[] },
): Promise<BatchProof> {
  return proveStaged(
    () => {
      const built = build();
      if (built.publicSignals[0] !== a.task.taskHash) {
        throw new Error("the task data does not reproduce the task's on-chain taskHash: wrong chain, escrow or task");
      }
      return built as { input: Record<string, string | string[]>; publicSignals: bigint[] };
    },
    a.artifacts,
    a,
  );
}

/**
 * Proves one bounding-box batch from the batch's slice (VaultClient.fetchBatch) and its images'
 * sizes: one box per image, each inside its image, at least the task's minimum size, of an
 * allowed class (the input builder names every box that is not, before any proving).
 */
export function proveBoxBatch(
  args: ProveCommon & { slice: BatchSource; items: readonly BoxItem[]; boxes: readonly Box[] },
): Promise<BatchProof> {
  const fields = workerFields(args, "bbox");
  const p = args.task.ruleParams;
  const params = { numClasses: Number(p[0]), allowedMask: p[1], minWidth: Number(p[2]), minHeight: Number(p[3]) };
  const slice = { source: args.slice, itemCount: args.task.itemCount };
  return proveChecked(args, () => boxWorkerInput({ ...fields, items: args.items, slice, params, labels: args.boxes }));
}

/**
 * Proves one sensor-range batch from the batch's slice and its windows' readings: each label
 * must be the rule applied to the readings (1 = some reading outside [lo, hi]).
 */
export function proveSensorBatch(
  args: ProveCommon & { slice: BatchSource; windows: readonly (readonly number[])[]; labels: readonly number[] },
): Promise<BatchProof> {
  const fields = workerFields(args, "sensor");
  const params = { lo: Number(args.task.ruleParams[0]), hi: Number(args.task.ruleParams[1]) };
  const slice = { source: args.slice, itemCount: args.task.itemCount };
  return proveChecked(args, () =>
    sensorWorkerInput({ ...fields, windows: args.windows, slice, params, labels: args.labels }),
  );
}

/**
 * Proves any rule's batch in three reported, cancellable stages: "input" (`build` makes the
 * witness input and the expected public signals, e.g. a core bounding-box or sensor input
 * builder, which refuses labels that break the rule), "witness" (the circuit checks every
 * constraint), "proof". The same call works in Node and the browser.
 */
export function proveStaged(
  build: () => { input: Record<string, string | string[]>; publicSignals: bigint[] },
  artifacts: ProvingArtifacts,
  opts: StageOptions = {},
): Promise<BatchProof> {
  return runStages<BatchProof>(
    [
      ["input", build],
      [
        "witness",
        (built: { input: Record<string, string | string[]>; publicSignals: bigint[] }) =>
          computeWitness(built.input, artifacts.wasm).then((w) => ({ w, expected: built.publicSignals })),
      ],
      ["proof", (x: { w: Witness; expected: bigint[] }) => proveWitness(x.w, x.expected, artifacts.zkey)],
    ],
    opts,
  );
}

/** An accepted (or pending) batch's labels, decrypted by the requester and checked against its commitment. */
export interface OpenedBatch {
  batchIndex: number;
  /** Class numbers (boxes: each box's class; sensor: 1 = anomaly). */
  labels: number[];
  /** Bounding-box tasks: the boxes. */
  boxes?: Box[];
  recipient: Address;
  labelsCommitment: bigint;
}

/** Decrypts every submitted batch of a task with the requester's key skR (batchSize = the task's N; ruleId: 1 classification, 2 boxes, 3 sensor). */
export function openSubmittedBatches(
  logs: readonly DecodedLog[],
  taskId: bigint,
  skR: bigint,
  batchSize: number,
  ruleId: number = RULE_IDS.classification,
): OpenedBatch[] {
  const labelBits =
    ruleId === RULE_IDS.bbox ? BOX_LABEL_BITS : ruleId === RULE_IDS.sensor ? SENSOR_LABEL_BITS : CLASS_LABEL_BITS;
  const out: OpenedBatch[] = [];
  for (const l of logs) {
    if (l.eventName !== "BatchSubmitted" || l.args.taskId !== taskId) continue;
    const a = l.args as {
      batchIndex: bigint;
      count: bigint;
      recipient: Address;
      labelsCommitment: bigint;
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
      labelBits,
    );
    const values = opened.labels.slice(0, Number(a.count));
    const boxes = ruleId === RULE_IDS.bbox ? values.map(boxFromValue) : undefined;
    out.push({
      batchIndex: Number(a.batchIndex),
      labels: boxes ? boxes.map((b) => b.cls) : values.map(Number),
      ...(boxes ? { boxes } : {}),
      recipient: a.recipient,
      labelsCommitment: a.labelsCommitment,
    });
  }
  return out.sort((x, y) => x.batchIndex - y.batchIndex);
}
