/**
 * Proving time against the batch size: the classification worker template at each N of the sweep,
 * with development keys (scripts/bench/variants.ts; the deployed N's are the registry's), proven in
 * Node as the app and CLI prove (witness, then proof), a fresh input per run, each proof verified.
 */
import { readFile } from "node:fs/promises";
import { DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { computeWitness, proveWitness } from "@zklabel/core/prove";
import { type CircuitInfo, deployedCircuit } from "@zklabel/core/registry";
import * as snarkjs from "snarkjs";
import { batchInput, benchWorker } from "./inputs.ts";
import { SWEEP_N, workerVariant } from "./sweep.ts";
import { keyVariant } from "./variants.ts";

export interface PerNRow {
  circuit: string;
  N: number;
  constraints: number;
  witnessMs: number;
  proofMs: number;
  proveMs: number;
  labelsPerSecond: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median witness and proof time of `runs` proofs per N (classification), every proof verified. */
export async function provingPerN(opts: {
  runs: number;
  sizes?: readonly number[];
  log?: (m: string) => void;
}): Promise<PerNRow[]> {
  const deployed = deployedCircuit("classification");
  const worker = benchWorker();
  const task = { pkR: DEMO_REQUESTER_KEY.pkR, goldRoot: 0n, taskId: 1n, chainId: BigInt(LOCAL_CHAIN_ID), contract: 1n };
  const rows: PerNRow[] = [];
  for (const n of opts.sizes ?? SWEEP_N) {
    const spec = workerVariant("classification", n);
    const v = await keyVariant(spec, opts.log);
    const info: CircuitInfo = { ...deployed, name: spec.name, params: { ...deployed.params, N: n } };
    const vkey = JSON.parse(await readFile(v.vkey, "utf8"));
    const witness: number[] = [];
    const proof: number[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const x = batchInput(info, 0, { task, worker, items: n, recipient: 1n, salt: BigInt(r + 1) }) as {
        input: Record<string, string | string[]>;
        publicSignals: bigint[];
      };
      const t0 = performance.now();
      const w = await computeWitness(x.input, v.files.wasm);
      const t1 = performance.now();
      const p = await proveWitness(w, x.publicSignals, v.zkey);
      witness.push(t1 - t0);
      proof.push(performance.now() - t1);
      const ok = await snarkjs.groth16.verify(vkey, p.publicSignals.map(String), {
        ...p.raw,
        protocol: "groth16",
        curve: "bn128",
      });
      if (!ok) throw new Error(`${spec.name}: a fresh proof did not verify`);
    }
    const ms = median(witness.map((w, i) => w + proof[i]));
    rows.push({
      circuit: spec.name,
      N: n,
      constraints: v.constraints,
      witnessMs: Math.round(median(witness)),
      proofMs: Math.round(median(proof)),
      proveMs: Math.round(ms),
      labelsPerSecond: Number(((n * 1000) / ms).toFixed(1)),
    });
  }
  return rows;
}
