/**
 * `npm run bench`: proving and verification time per circuit (Node, this
 * machine), constraint counts, and the gas snapshot. Prints a table and writes
 * build/bench/results.json.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { boxWorkerInput } from "@zklabel/core/bbox";
import { classificationInput, classificationWorkerInput } from "@zklabel/core/classification";
import { DEMO_PARAMS, DEMO_REQUESTER_KEY, demoItems, textLeaf } from "@zklabel/core/demo";
import { workerGroup } from "@zklabel/core/group";
import { Identity, workerSecret } from "@zklabel/core/identity";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { proveBatch, releaseSnarkjs } from "@zklabel/core/prove";
import { type CircuitInfo, circuitInfo, deployedCircuit } from "@zklabel/core/registry";
import { sensorRule, sensorWorkerInput } from "@zklabel/core/sensor";
import * as snarkjs from "snarkjs";
import { buildCircuits } from "./circuits/build.ts";
import { ROOT } from "./lib/process.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const task = { pkR: DEMO_REQUESTER_KEY.pkR, goldRoot: 0n, taskId: 1n, chainId: 31337n, contract: 1n };

type BenchInput = { input: Record<string, string | string[]>; publicSignals: bigint[] };

/** A full batch's witness input for any keyed circuit: demo reviews, boxes on 640x480 images, or sensor windows. */
function benchInput(
  circuit: CircuitInfo,
  tree: DatasetTree,
  items: { text: string; sentiment: number }[],
  worker: { identity: ReturnType<typeof workerSecret>; group: ReturnType<typeof workerGroup> },
  salt: bigint,
): BenchInput {
  const N = circuit.params.N;
  const common = { ...worker, circuit, task, batchIndex: 0, salt, recipient: 1n };
  if (circuit.rule === "bbox") {
    const images = Array.from({ length: N }, (_, i) => ({ contentHash: BigInt(i + 1), width: 640, height: 480 }));
    const boxes = images.map((_, i) => ({ cls: i % 2, x: 10 + i, y: 20, w: 100, h: 80 }));
    const params = { numClasses: 3, allowedMask: 3n, minWidth: 8, minHeight: 8 };
    return boxWorkerInput({ ...common, items: images, params, labels: boxes }) as BenchInput;
  }
  if (circuit.rule === "sensor") {
    const T = circuit.params.T ?? 16;
    const windows = Array.from({ length: N }, (_, i) =>
      Array.from({ length: T }, (_, j) => 1000 + ((i * 37 + j * 11) % 60000)),
    );
    const params = { lo: 500, hi: 50000 };
    return sensorWorkerInput({
      ...common,
      windows,
      params,
      labels: windows.map((w) => sensorRule(w, params)),
    }) as BenchInput;
  }
  const build = circuit.params.GROUP_DEPTH === undefined ? classificationInput : classificationWorkerInput;
  return build({ ...common, tree, params: DEMO_PARAMS, labels: items.map((x) => x.sentiment) });
}
const built = await buildCircuits();
const rows = [];
// Proving needs keys: compile-only circuits (setup: false) are reported by the pipeline's budget table instead.
const keyed = built.filter((b) => {
  const c = circuitInfo(b.name);
  return c.setup !== false && (c.rule === "classification" || c.deploy === true);
});
for (const b of keyed) {
  const circuit = circuitInfo(b.name);
  const N = circuit.params.N;
  const items = demoItems(N);
  const tree = new DatasetTree(
    circuit.params.DEPTH,
    items.map((x) => textLeaf(x.text)),
    datasetChunk(N),
  );
  const dir = join(ROOT, "build/circuits", b.name);
  const vkey = JSON.parse(await readFile(join(dir, "vkey.json"), "utf8"));
  const prove: number[] = [];
  const verify: number[] = [];
  // Worker circuits prove as one member of a 100-member group (the group depth does not change the cost).
  const members = Array.from({ length: 100 }, (_, i) => new Identity(`bench member ${i}`));
  const worker = { identity: workerSecret(members[42]), group: workerGroup(members.map((m) => m.commitment)) };
  for (let r = 0; r < RUNS; r++) {
    const { input, publicSignals } = benchInput(circuit, tree, items, worker, BigInt(r + 1));
    let t = performance.now();
    const p = await proveBatch(input, publicSignals, { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") });
    prove.push(performance.now() - t);
    t = performance.now();
    const ok = await snarkjs.groth16.verify(vkey, p.publicSignals.map(String), {
      ...p.raw,
      protocol: "groth16",
      curve: "bn128",
    });
    verify.push(performance.now() - t);
    if (!ok) throw new Error(`${b.name}: a fresh proof did not verify`);
  }
  const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)];
  rows.push({
    circuit: b.name,
    constraints: b.constraints,
    labels: N,
    constraintsPerLabel: Math.round(b.constraints / N),
    proveMsMedian: Math.round(median(prove)),
    verifyMsMedian: Math.round(median(verify)),
    zkeyMB: Number((b.zkeyBytes / 2 ** 20).toFixed(1)),
  });
}
await releaseSnarkjs();
const gas = JSON.parse(await readFile(join(ROOT, "test/contracts/gas-snapshot.json"), "utf8")) as Record<
  string,
  number
>;
const N = deployedCircuit("classification").params.N;
// Per accepted label, from the gas snapshot: a task without gold items pays in submitBatch; a task
// with gold items pays a pending submit, its share of a two-batch finalize, and (at worst) one
// withdraw per batch.
const perLabel = Math.round((gas.submitBatch + gas.withdraw) / N);
const perLabelGold = Math.round((gas.submitBatchPending + gas.finalize2Batches / 2 + gas.withdraw) / N);
// A relayer's submitBatches of four batches (k + 3 pairings), one withdraw for them.
const perLabelBatched = Math.round((gas.submitBatches4 + gas.withdraw) / (4 * N));
const perLabelBatchedGold = Math.round((gas.submitBatches8Pending + gas.finalize8Batches + gas.withdraw) / (8 * N));

console.log(
  `\ncircuit                            constraints  labels  per label  prove ms  verify ms  zkey MB   (median of ${RUNS}, ${availableParallelism()} cores)`,
);
for (const r of rows) {
  console.log(
    `${r.circuit.padEnd(34)} ${String(r.constraints).padStart(11)} ${String(r.labels).padStart(7)} ${String(r.constraintsPerLabel).padStart(10)} ${String(r.proveMsMedian).padStart(9)} ${String(r.verifyMsMedian).padStart(10)} ${String(r.zkeyMB).padStart(8)}`,
  );
}
console.log("\ngas (test/contracts/gas-snapshot.json)");
for (const [k, v] of Object.entries(gas)) console.log(`  ${k.padEnd(20)} ${String(v).padStart(9)}`);
console.log(`  per accepted label, no gold items (submit + withdraw), N = ${N}: ${perLabel}`);
console.log(`  per accepted label, gold items (submit + finalize + withdraw), N = ${N}: ${perLabelGold}`);
console.log(`  per accepted label, four batches per submitBatches + one withdraw, N = ${N}: ${perLabelBatched}`);
console.log(
  `  per accepted label, gold items, eight batches per submitBatches and per finalize + one withdraw, N = ${N}: ${perLabelBatchedGold}`,
);
const perLabelBox = Math.round((gas.submitBatchBox + gas.withdraw) / deployedCircuit("bbox").params.N);
const perLabelSensor = Math.round((gas.submitBatchSensor + gas.withdraw) / deployedCircuit("sensor").params.N);
console.log(`  per accepted box label (submit + withdraw), N = ${deployedCircuit("bbox").params.N}: ${perLabelBox}`);
console.log(
  `  per accepted sensor label (submit + withdraw), N = ${deployedCircuit("sensor").params.N}: ${perLabelSensor}`,
);
await mkdir(join(ROOT, "build/bench"), { recursive: true });
const out = join(ROOT, "build/bench/results.json");
await writeFile(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, runs: RUNS, circuits: rows, gas, gasPerLabel: perLabel, gasPerLabelGold: perLabelGold, gasPerLabelBatched: perLabelBatched, gasPerLabelBatchedGold: perLabelBatchedGold, gasPerLabelBox: perLabelBox, gasPerLabelSensor: perLabelSensor }, null, 2)}\n`,
);
console.log(`\nwrote ${out}`);
