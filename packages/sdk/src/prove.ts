/**
 * Proving a batch of any rule, in Node and the browser: the task's rule module checks the labels
 * and builds the circuit input, then the witness and the proof, as cancellable reported stages.
 */
import { recipientWord } from "@zklabel/core/batch";
import { ZkLabelError } from "@zklabel/core/errors";
import type { workerGroup } from "@zklabel/core/group";
import { type Identity, workerSecret } from "@zklabel/core/identity";
import type { BatchSource } from "@zklabel/core/merkle";
import {
  type BatchProof,
  computeWitness,
  type ProvingArtifacts,
  proveWitness,
  type Witness,
} from "@zklabel/core/prove";
import { type BatchData, type ItemFacts, ruleCircuit } from "@zklabel/core/rules";
import type { Address } from "viem";
import { type Manifest, manifestFacts } from "./dataset.ts";
import { runStages, type StageOptions } from "./progress.ts";
import { type TaskInfo, taskParams, taskRule } from "./task-info.ts";

/** What proving a batch needs besides its data and labels. */
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

/** A batch's data: the task's whole manifest, or the batch's slice and items as a vault serves them (VaultClient.fetchBatch). */
export type BatchDataset = Manifest | { slice: BatchSource; items: readonly ItemFacts[] };

/**
 * Proves one batch of any rule. Checks the dataset is the task's, the labels' shape (the rule's
 * label schema) and the rule itself (the rule module names every label that breaks it, as a
 * RuleViolationError, before any proving), then proves. Stages, reported to `onProgress`:
 * "input", "witness", "proof"; `signal` cancels between them.
 */
export function proveBatch(
  args: ProveCommon & { dataset: BatchDataset; labels: readonly unknown[] },
): Promise<BatchProof> {
  const t = args.task;
  const rule = taskRule(t);
  const circuit = ruleCircuit(rule);
  const build = () => {
    const data = batchData(args, t);
    if (data.source.root !== t.datasetRoot) {
      throw new ZkLabelError(
        "wrong_task",
        `the dataset's root 0x${data.source.root.toString(16)} is not task ${t.taskId}'s dataset root: use the task's manifest or batch`,
      );
    }
    const labels = args.labels.map((l, i) => {
      const parsed = rule.label.safeParse(l);
      if (!parsed.success)
        throw new ZkLabelError(
          "invalid_input",
          `label ${i} of batch ${args.batchIndex} (${JSON.stringify(l)}) is not a ${rule.noun} label: ${parsed.error.issues[0]?.message}`,
        );
      return parsed.data;
    });
    const built = rule.workerInput({
      circuit,
      task: {
        pkR: t.pkR,
        goldRoot: t.goldRoot,
        taskId: t.taskId,
        chainId: args.chainId,
        contract: BigInt(args.escrow),
      },
      params: taskParams(t),
      batchIndex: args.batchIndex,
      data,
      labels,
      salt: args.salt,
      recipient: recipientWord(args.recipient, args.relayerFeeBps ?? 0),
      identity: workerSecret(args.identity),
      group: args.group,
    });
    if (built.publicSignals[0] !== t.taskHash) {
      throw new ZkLabelError(
        "wrong_task",
        "the task data does not reproduce the task's on-chain taskHash: wrong chain, escrow or task",
      );
    }
    return built as { input: Record<string, string | string[]>; publicSignals: bigint[] };
  };
  return proveStaged(build, args.artifacts, args);
}

/** The batch's tree (or slice) and its items' facts, from either kind of dataset. */
function batchData(a: ProveCommon & { dataset: BatchDataset }, t: TaskInfo): BatchData {
  const d = a.dataset;
  if ("slice" in d) return { source: d.slice, itemCount: t.itemCount, items: d.items };
  const rule = taskRule(t);
  const facts = d.items.map(manifestFacts);
  return {
    source: rule.datasetTree(t.datasetDepth, t.batchSize, facts),
    itemCount: facts.length,
    items: facts.slice(a.batchIndex * t.batchSize, (a.batchIndex + 1) * t.batchSize),
  };
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
