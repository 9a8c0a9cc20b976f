/**
 * The baseline zkLabel's batches replace (issue 18): one proof per label, with a per-item Merkle path
 * and the same membership, nullifier and encryption (circuits/baseline/classification_single.circom,
 * which says why it is not ClassificationWorkerBatch at N = 1). It is compiled and keyed with the
 * development setup in the bench cache (scripts/bench/variants.ts), proven with a real input (the rule
 * module's workerInput over the example dataset), verified, and compared per label with the deployed
 * classification_worker_n64_d20_g20, proven here the same way and the same number of times.
 *
 * Usage: node scripts/bench/baseline.ts [--quick] [--out FILE]   (--quick: one proof each instead of 3)
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { type BatchProof, proveCircuit, releaseSnarkjs } from "@zklabel/core/prove";
import { type CircuitInfo, deployedCircuit } from "@zklabel/core/registry";
import * as snarkjs from "snarkjs";
import { batchInput, benchWorker, singleItemInput } from "./inputs.ts";
import { benchCli, type KeyedVariant, keyVariant, printTable, type VariantSpec } from "./variants.ts";

const deployed = deployedCircuit("classification");

/** The baseline circuit as the variant builder compiles it. */
export const BASELINE: VariantSpec = {
  name: `classification_single_d${deployed.params.DEPTH}_g${deployed.params.GROUP_DEPTH}`,
  rule: "classification",
  file: "circuits/baseline/classification_single.circom",
  template: "ClassificationSingleWorker",
  params: { DEPTH: deployed.params.DEPTH, GROUP_DEPTH: deployed.params.GROUP_DEPTH },
  publicInputs: [...deployed.publicInputs],
};

/** The baseline as core's input builders see it: the deployed entry's layout, one label per proof. */
export const baselineInfo: CircuitInfo = {
  ...deployed,
  name: BASELINE.name,
  file: BASELINE.file,
  template: BASELINE.template,
  params: { ...deployed.params, N: 1 },
  deploy: false,
};

export interface BaselineRow {
  circuit: string;
  labelsPerProof: number;
  constraints: number;
  constraintsPerLabel: number;
  publicInputs: number;
  domainPower: number;
  proveMs: number[];
  proveMsMedian: number;
  proveMsPerLabel: number;
  verifyMsMedian: number;
  verified: boolean;
  /** Seconds of the development setup (null: cached keys or the registry's). */
  setupSeconds: number | null;
  compileSeconds: number | null;
}

export interface BaselineResult {
  rows: BaselineRow[];
  /** baseline / deployed, per label. */
  ratio: { constraintsPerLabel: number; proveMsPerLabel: number };
}

const ITEMS = 100;
const task = { pkR: DEMO_REQUESTER_KEY.pkR, goldRoot: 0n, taskId: 1n, chainId: 31337n, contract: 1n };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Proves `runs` fresh inputs (salt r + 1) with `v`'s keys, verifies each, and times both. */
async function timeProofs(
  v: KeyedVariant,
  labels: number,
  runs: number,
  input: (salt: bigint) => { input: Record<string, unknown>; publicSignals: bigint[] },
): Promise<BaselineRow> {
  const vkey = JSON.parse(await readFile(v.vkey, "utf8"));
  const prove: number[] = [];
  const verify: number[] = [];
  let verified = true;
  for (let r = 0; r < runs; r++) {
    const x = input(BigInt(r + 1));
    let t = performance.now();
    const p: BatchProof = await proveCircuit(x.input as Record<string, string | string[]>, x.publicSignals, {
      wasm: v.files.wasm,
      zkey: v.zkey,
    });
    prove.push(Math.round(performance.now() - t));
    t = performance.now();
    verified &&= await snarkjs.groth16.verify(vkey, p.publicSignals.map(String), {
      ...p.raw,
      protocol: "groth16",
      curve: "bn128",
    });
    verify.push(performance.now() - t);
  }
  return {
    circuit: v.name,
    labelsPerProof: labels,
    constraints: v.constraints,
    constraintsPerLabel: Number((v.constraints / labels).toFixed(1)),
    publicInputs: v.publicInputs,
    domainPower: v.domainPower,
    proveMs: prove,
    proveMsMedian: median(prove),
    proveMsPerLabel: Number((median(prove) / labels).toFixed(1)),
    verifyMsMedian: Math.round(median(verify)),
    verified,
    setupSeconds: v.setupSeconds,
    compileSeconds: v.compileSeconds,
  };
}

/** The baseline against the deployed N = 64 circuit: `runs` proofs each (median), every one verified. */
export async function baselineBench(
  opts: { quick?: boolean; runs?: number; log?: (m: string) => void } = {},
): Promise<BaselineResult> {
  const runs = opts.runs ?? (opts.quick ? 1 : 3);
  const worker = benchWorker();
  const common = (salt: bigint) => ({ task, worker, items: ITEMS, recipient: 1n, salt });
  const base = await keyVariant(BASELINE, opts.log);
  const dep = await keyVariant(
    { ...deployed, params: { ...deployed.params }, publicInputs: [...deployed.publicInputs] },
    opts.log,
  );
  opts.log?.(`${base.name}: proving item 37 of ${ITEMS}, ${runs} time(s)`);
  const b = await timeProofs(base, 1, runs, (salt) => singleItemInput(baselineInfo, 37, common(salt)));
  opts.log?.(`${dep.name}: proving batch 0 of ${ITEMS} items, ${runs} time(s)`);
  const d = await timeProofs(dep, deployed.params.N, runs, (salt) => batchInput(deployed, 0, common(salt)));
  await releaseSnarkjs();
  return {
    rows: [b, d],
    ratio: {
      constraintsPerLabel: Number((b.constraintsPerLabel / d.constraintsPerLabel).toFixed(1)),
      proveMsPerLabel: Number((b.proveMsPerLabel / d.proveMsPerLabel).toFixed(1)),
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = benchCli("baseline");
  const r = await baselineBench({ quick: cli.quick, log: cli.log });
  console.log("");
  printTable(
    r.rows.map(({ proveMs: _, ...row }) => row),
    undefined,
  );
  console.log(
    `\nbaseline / ${deployed.name}, per label: constraints x${r.ratio.constraintsPerLabel}, proving time x${r.ratio.proveMsPerLabel}`,
  );
  await cli.save({ ...r });
}
