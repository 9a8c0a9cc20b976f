/**
 * Worker-proof inputs of the classification benchmarks (baseline.ts, gas.ts): the rule's example batch
 * (RuleSpec.example) over a dataset of `items` items, through the rule module's own workerInput, for a
 * batch of any N (a circuit variant) or for one item (the baseline, circuits/baseline/).
 */
import type { workerGroup } from "@zklabel/core/group";
import { workerSecret } from "@zklabel/core/identity";
import { type BatchSource, DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { type CircuitInfo, deployedCircuit } from "@zklabel/core/registry";
import { fullBatchData } from "@zklabel/core/rules";
import { classificationRule } from "@zklabel/core/rules/classification";
import type { TaskBinding } from "@zklabel/core/task";
import { benchWorker as sharedWorker } from "../lib/bench-inputs.ts";

export type BenchTask = Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">;

/** The benchmarks' worker (scripts/lib/bench-inputs.ts) with its secret, as the circuit input builders take it. */
export function benchWorker(): { identity: ReturnType<typeof workerSecret>; group: ReturnType<typeof workerGroup> } {
  const w = sharedWorker();
  return { identity: workerSecret(w.identity), group: w.group };
}

/** The example dataset of `items` items (parameters, facts, labels that follow the rule). */
export const exampleDataset = (items: number) => classificationRule.example(items, {});

/** The DEPTH of the deployed classification circuit, shared by every variant here. */
export const DEPTH = deployedCircuit("classification").params.DEPTH;

interface Common {
  task: BenchTask;
  worker: ReturnType<typeof benchWorker>;
  items: number;
  recipient: bigint;
  salt: bigint;
}

/** Witness input and public signals of batch `batchIndex` of a classification worker circuit of any N. */
export function batchInput(circuit: CircuitInfo, batchIndex: number, c: Common) {
  const N = circuit.params.N;
  const ex = exampleDataset(c.items);
  return classificationRule.workerInput({
    ...c.worker,
    circuit,
    task: c.task,
    params: ex.params,
    batchIndex,
    data: fullBatchData(classificationRule, circuit.params.DEPTH, N, ex.items, batchIndex),
    labels: ex.labels.slice(batchIndex * N, (batchIndex + 1) * N),
    salt: c.salt,
    recipient: c.recipient,
  });
}

/**
 * Item `index` of the product's dataset tree (chunks of 16: the same datasetRoot as the N >= 16
 * circuits) as the baseline circuit reads it: its chunk's 16 leaves and the chunk node's path
 * (DatasetTree.itemProof). It reports the chunk of a batch of one, datasetChunk(1), so the rule
 * module's batch-input builder takes it for a "batch" of that one item.
 */
export function itemSource(tree: DatasetTree): BatchSource {
  return {
    depth: tree.depth,
    chunk: datasetChunk(1),
    size: tree.size,
    root: tree.root,
    batchLeaves: (index) => tree.itemProof(index).chunkLeaves,
    batchPath: (index) => tree.itemProof(index).siblings,
  };
}

/** Witness input and public signals of the one-label baseline (circuit: its CircuitInfo with N = 1) for item `index`. */
export function singleItemInput(circuit: CircuitInfo, index: number, c: Common) {
  const ex = exampleDataset(c.items);
  const tree = classificationRule.datasetTree(circuit.params.DEPTH, 16, ex.items);
  return classificationRule.workerInput({
    ...c.worker,
    circuit,
    task: c.task,
    params: ex.params,
    batchIndex: index,
    data: { source: itemSource(tree), itemCount: ex.items.length, items: [ex.items[index]] },
    labels: [ex.labels[index]],
    salt: c.salt,
    recipient: c.recipient,
  });
}

/** The datasetRoot of the example dataset (every variant with N >= 16 and the baseline share it). */
export const exampleRoot = (items: number) =>
  new DatasetTree(DEPTH, classificationRule.leavesOf(exampleDataset(items).items), 16).root;
