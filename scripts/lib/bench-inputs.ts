/** Inputs the benchmarks prove: the same for Node (scripts/bench.ts) and the browser (scripts/bench-browser.ts). */
import { DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { goldTree } from "@zklabel/core/gold";
import { workerGroup } from "@zklabel/core/group";
import { Identity, workerSecret } from "@zklabel/core/identity";
import { labelsCommitment } from "@zklabel/core/labels";
import type { CircuitInfo } from "@zklabel/core/registry";
import { type AnyRule, fullBatchData } from "@zklabel/core/rules";
import { ruleParamsHash, taskHash } from "@zklabel/core/task";
import type { TaskInfo } from "@zklabel/sdk/task-info";

/**
 * A rejection of the rule's example batch (RuleSpec.example): every item gold (or the first SLOTS, for
 * a circuit that compares that many) with an answer the label does not match (the label's lowest bit
 * flipped: another class), so accuracy is 0.
 */
export function rejectBenchInput(rule: AnyRule, circuit: CircuitInfo, salt: bigint) {
  const g = rule.gold;
  if (!g) throw new Error(`${rule.name} has no gold answers`);
  const { N, DEPTH } = circuit.params;
  const ex = rule.example(N, circuit.params);
  // As many gold items as the circuit compares (a polygon rejection has SLOTS of them), the rest not gold.
  const gold = Math.min(N, circuit.params.SLOTS ?? N);
  const openings = ex.labels.map((l: unknown, i: number) =>
    i < gold
      ? { isGold: 1 as const, value: g.goldValue(g.answerFromValue(rule.labelValue(l) ^ 1n)), salt: BigInt(i + 1) }
      : { isGold: 0 as const, value: 0n, salt: BigInt(i + 1) },
  );
  const values = Array.from({ length: N }, (_, i) => rule.labelValue(ex.labels[i]));
  return g.rejectInput({
    circuit,
    goldTree: goldTree(DEPTH, N, openings),
    openings,
    batchIndex: 0,
    labels: ex.labels,
    salt,
    labelsCommitment: labelsCommitment(values, rule.labelBits, salt),
    bound: 80,
    threshold: g.defaultThreshold,
  });
}

/** Who the benchmarks prove as: member 42 of a 100-member group (the group's depth, not its size, sets the cost). */
export function benchWorker() {
  const members = Array.from({ length: 100 }, (_, i) => new Identity(`bench member ${i}`));
  return { identity: members[42], group: workerGroup(members.map((m) => m.commitment)) };
}

const BENCH_ESCROW = "0x00000000000000000000000000000000000e5c40" as const;

/**
 * A full batch of the rule's example (RuleSpec.example) as a task the worker proves: the task as the
 * SDK reads it from the chain, the batch as a vault serves it (its slice and items' facts), and the
 * circuit input with its public signals (what bare snarkjs proves). Same in Node and the browser.
 */
export function workerBenchCase(rule: AnyRule, circuit: CircuitInfo, salt: bigint) {
  const { N, DEPTH } = circuit.params;
  const ex = rule.example(N, circuit.params);
  const worker = benchWorker();
  const ruleParams = rule.encodeParams(ex.params);
  const tree = rule.datasetTree(DEPTH, N, ex.items);
  const shape = rule.batchShape(DEPTH, N);
  const binding = {
    pkR: DEMO_REQUESTER_KEY.pkR,
    goldRoot: 0n,
    taskId: 1n,
    chainId: BigInt(LOCAL_CHAIN_ID),
    contract: BigInt(BENCH_ESCROW),
  };
  const task: TaskInfo = {
    taskId: binding.taskId,
    ruleId: rule.id,
    ruleParams,
    datasetRoot: tree.root,
    itemCount: N,
    pkR: binding.pkR,
    goldRoot: binding.goldRoot,
    rewardPerItem: 1n,
    taskHash: taskHash({ ...binding, datasetRoot: tree.root, ruleParamsHash: ruleParamsHash(rule.id, ruleParams) }),
    verifier: "0x0000000000000000000000000000000000000001",
    batchSize: N,
    datasetDepth: DEPTH,
    metadataURI: "",
    metadataHash: `0x${"00".repeat(32)}`,
  };
  const built = rule.workerInput({
    identity: workerSecret(worker.identity),
    group: worker.group,
    circuit,
    task: binding,
    params: ex.params,
    batchIndex: 0,
    data: fullBatchData(rule, DEPTH, N, ex.items, 0),
    labels: ex.labels,
    salt,
    recipient: 1n,
  }) as { input: Record<string, string | string[]>; publicSignals: bigint[] };
  return {
    task,
    escrow: BENCH_ESCROW,
    chainId: LOCAL_CHAIN_ID,
    worker,
    labels: ex.labels as unknown[],
    items: ex.items,
    // As a vault serves it: the batch's leaves (a leaf holds itemsPerLeaf items: a box pair node holds two) and path.
    slice: {
      depth: tree.depth,
      chunk: tree.chunk,
      size: Math.ceil(N / shape.itemsPerLeaf),
      batchIndex: 0,
      leaves: tree.batchLeaves(0, shape.leaves),
      path: tree.batchPath(0, shape.leaves),
    },
    ...built,
  };
}
