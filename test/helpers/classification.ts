import { join } from "node:path";
import { DEMO_PARAMS, DEMO_REQUESTER_KEY, demoItems, textLeaf } from "@zklabel/core/demo";
import { type GoldOpening, goldTree } from "@zklabel/core/gold";
import { rejectCircuit } from "@zklabel/core/rules";
import { classificationRule, classificationWorkerInput } from "@zklabel/core/rules/classification";

export { DEMO_REQUESTER_KEY };

import type { workerGroup } from "@zklabel/core/group";
import { type Identity, workerSecret } from "@zklabel/core/identity";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { proveCircuit } from "@zklabel/core/prove";

export { releaseSnarkjs } from "@zklabel/core/prove";

import { type CircuitInfo, circuitInfo } from "@zklabel/core/registry";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Compiled artifacts of a registry circuit (built by scripts/circuits/build.ts). */
export function artifacts(name: string) {
  const dir = join(ROOT, "build", "circuits", name);
  return {
    wasm: join(dir, "main.wasm"),
    zkey: join(dir, "main.zkey"),
    r1cs: join(dir, "main.r1cs"),
    sym: join(dir, "main.sym"),
    vkey: join(dir, "vkey.json"),
  };
}

/** The demo dataset as a tree of the circuit's depth. */
export function demoDataset(circuit: CircuitInfo, n = 100) {
  const items = demoItems(n);
  return {
    items,
    tree: new DatasetTree(
      circuit.params.DEPTH,
      items.map((x) => textLeaf(x.text)),
      datasetChunk(circuit.params.N),
    ),
  };
}

export interface TaskFields {
  taskId: bigint;
  chainId: bigint;
  contract: bigint;
  pkR?: readonly [bigint, bigint];
  goldRoot?: bigint;
}

/** Who proves: a Semaphore identity and the group (LeanIMT) it is a member of. */
export interface Prover {
  identity: Identity;
  group: ReturnType<typeof workerGroup>;
}

/**
 * Proves batch `batchIndex` of the demo dataset with the complete worker circuit, with the
 * intended (valid) labels unless others are given. Labels are encrypted to the demo requester key.
 */
export async function proveDemoBatch(
  name: string,
  task: TaskFields,
  batchIndex: number,
  recipient: bigint,
  prover: Prover,
  opts: { labels?: number[]; salt?: bigint; n?: number } = {},
) {
  const circuit = circuitInfo(name);
  const { items, tree } = demoDataset(circuit, opts.n);
  const N = circuit.params.N;
  const labels = opts.labels ?? items.slice(batchIndex * N, (batchIndex + 1) * N).map((x) => x.sentiment);
  const { input, publicSignals, encrypted } = classificationWorkerInput({
    circuit,
    tree,
    task: {
      pkR: task.pkR ?? DEMO_REQUESTER_KEY.pkR,
      goldRoot: task.goldRoot ?? 0n,
      taskId: task.taskId,
      chainId: task.chainId,
      contract: task.contract,
    },
    params: DEMO_PARAMS,
    batchIndex,
    labels,
    salt: opts.salt ?? 12345n + BigInt(batchIndex),
    recipient,
    identity: workerSecret(prover.identity),
    group: prover.group,
  });
  return { ...(await proveCircuit(input, publicSignals, artifacts(name))), encrypted, labels };
}

/**
 * The demo dataset's gold openings: every `every`-th item is gold with its intended sentiment as the
 * answer, each leaf with its own salt (deterministic here, random in the SDK).
 */
export function demoGold(n = 100, every = 8): GoldOpening[] {
  return demoItems(n).map((x, i) =>
    i % every === 0
      ? { isGold: 1, value: BigInt(x.sentiment), salt: 1_000_003n * BigInt(i + 1) }
      : { isGold: 0, value: 0n, salt: 7_000_001n * BigInt(i + 1) },
  );
}

/** The gold tree of the demo gold openings, of the classification rejection circuit's shape. */
export function demoGoldTree(openings: readonly GoldOpening[]) {
  const c = rejectCircuit(classificationRule);
  return goldTree(c.params.DEPTH, c.params.N, openings);
}

/**
 * A requester's rejection of batch `batchIndex` (the worker's decrypted labels and salt against the
 * demo gold openings), proven with the deployed classification rejection circuit. Throws (code
 * unprovable) when no rejection exists.
 */
export async function proveDemoRejection(o: {
  openings: readonly GoldOpening[];
  batchIndex: number;
  labels: readonly number[];
  salt: bigint;
  labelsCommitment: bigint;
  bound: number;
}) {
  const circuit = rejectCircuit(classificationRule);
  const N = circuit.params.N;
  const built = classificationRule.gold?.rejectInput({
    circuit,
    goldTree: demoGoldTree(o.openings),
    openings: o.openings.slice(o.batchIndex * N, (o.batchIndex + 1) * N),
    batchIndex: o.batchIndex,
    labels: o.labels,
    salt: o.salt,
    labelsCommitment: o.labelsCommitment,
    bound: o.bound,
    threshold: 0,
  });
  if (!built) throw new Error("classification has gold answers");
  return { ...(await proveCircuit(built.input, built.publicSignals, artifacts(circuit.name))), built };
}
