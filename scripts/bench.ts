/**
 * `npm run bench`: what workers and requesters pay, on this machine. Per rule circuit with keys, in
 * Node: witness and proof time (median of BENCH_RUNS, default 3), labels per second, verification,
 * the peak memory of one proof in a fresh process, the .wasm and .zkey sizes (and gzipped). In headless
 * chromium, through the app's own prover client and thread (scripts/bench/browser.ts): the first visit
 * (page, circuit download, first proof) and later proofs against bare snarkjs in the same page. Gas
 * per label from the gas snapshot. Prints tables and writes bench/results/bench-<date>.json with the
 * machine it ran on.
 * `--only WORD` proves only the circuits whose name contains WORD.
 * `--quick` (in `npm test`, test/bench/bench.test.ts): one run of each rule's deployed worker circuit in
 * Node and of the first rule's in the browser, written to build/bench/bench-quick-<date>.json: it checks
 * that the bench still runs, not how fast.
 * `--out FILE` writes the JSON there instead.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { computeWitness, proveWitness, releaseSnarkjs } from "@zklabel/core/prove";
import { circuitInfo } from "@zklabel/core/registry";
import { RULES, ruleByName, ruleCircuit } from "@zklabel/core/rules";
import * as snarkjs from "snarkjs";
import { baselineBench } from "./bench/baseline.ts";
import { type BrowserRow, printBrowserRows, runBrowserBench } from "./bench/browser.ts";
import { datasetTable, runDatasetBench } from "./bench/dataset.ts";
import { chartCaption, chartPanels, extraSections, printExtras } from "./bench/extras.ts";
import { gasBench } from "./bench/gas.ts";
import { provingPerN } from "./bench/per-n.ts";
import { type BenchResult, renderReport, writeReport } from "./bench/report.ts";
import { constraintSweep } from "./bench/sweep.ts";
import { benchTargets } from "./bench/targets.ts";
import { buildCircuits } from "./circuits/build.ts";
import { rejectBenchInput, workerBenchCase } from "./lib/bench-inputs.ts";
import { machineInfo, today } from "./lib/machine.ts";
import { ROOT } from "./lib/process.ts";

const loadAtStart = loadavg()[0];
const QUICK = process.argv.includes("--quick");
const OUT = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : undefined;
const RUNS = QUICK ? 1 : Number(process.env.BENCH_RUNS ?? 3);
// `--only reject`: prove only the circuits whose name contains the word (the gas part is unchanged).
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)];
const MB = (bytes: number) => Number((bytes / 2 ** 20).toFixed(2));

/** Peak resident memory of proving `circuit` once in a fresh Node process (scripts/bench/prove-once.ts). */
async function provingMemoryMB(circuit: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "scripts/bench/prove-once.ts"), circuit], {
    cwd: ROOT,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "").maxRssMB;
}

const built = await buildCircuits();
const rows = [];
// Proving needs keys: compile-only circuits (setup: false) are reported by the pipeline's budget table
// instead; the rules' worker circuits with keys are what workers prove.
const keyed = built.filter((b) => {
  const c = circuitInfo(b.name);
  return (
    (only === undefined || b.name.includes(only)) &&
    c.setup !== false &&
    (c.params.GROUP_DEPTH !== undefined || (c.role === "reject" && c.deploy)) &&
    RULES.some((r) => r.name === c.rule) &&
    // Quick: each rule's deployed worker circuit, once.
    (!QUICK || RULES.some((r) => ruleCircuit(r).name === b.name))
  );
});
const loadAtTiming = loadavg()[0];
for (const b of keyed) {
  const circuit = circuitInfo(b.name);
  const rule = ruleByName(circuit.rule);
  const N = circuit.params.N;
  const dir = join(ROOT, "build/circuits", b.name);
  const files = { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") };
  const vkey = JSON.parse(await readFile(join(dir, "vkey.json"), "utf8"));
  const witness: number[] = [];
  const proof: number[] = [];
  const verify: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // Worker circuits prove as one member of a 100-member group (the group depth does not change the cost).
    const { input, publicSignals } =
      circuit.role === "reject"
        ? rejectBenchInput(rule, circuit, BigInt(r + 1))
        : workerBenchCase(rule, circuit, BigInt(r + 1));
    const t0 = performance.now();
    const w = await computeWitness(input, files.wasm);
    const t1 = performance.now();
    const p = await proveWitness(w, publicSignals, files.zkey);
    witness.push(t1 - t0);
    proof.push(performance.now() - t1);
    const t = performance.now();
    const ok = await snarkjs.groth16.verify(vkey, p.publicSignals.map(String), {
      ...p.raw,
      protocol: "groth16",
      curve: "bn128",
    });
    verify.push(performance.now() - t);
    if (!ok) throw new Error(`${b.name}: a fresh proof did not verify`);
  }
  const prove = witness.map((w, i) => w + proof[i]);
  const [wasmBytes, zkeyBytes] = await Promise.all([stat(files.wasm), stat(files.zkey)]).then((x) =>
    x.map((f) => f.size),
  );
  // What a first visit downloads if the server compresses (gzip, level 6): measured, not assumed.
  const gzipMB = QUICK
    ? undefined
    : MB(gzipSync(await readFile(files.wasm)).length + gzipSync(await readFile(files.zkey)).length);
  rows.push({
    circuit: b.name,
    constraints: b.constraints,
    labels: N,
    constraintsPerLabel: Math.round(b.constraints / N),
    proveMsMedian: Math.round(median(prove)),
    witnessMsMedian: Math.round(median(witness)),
    proofMsMedian: Math.round(median(proof)),
    labelsPerSecond: Number((N / (median(prove) / 1000)).toFixed(1)),
    verifyMsMedian: Math.round(median(verify)),
    peakMemoryMB: await provingMemoryMB(b.name),
    wasmMB: MB(wasmBytes),
    zkeyMB: MB(zkeyBytes),
    gzipMB,
  });
}
// Against the batch size and the baseline (the variants' compile and keys are cached in $ZKLABEL_CACHE/bench).
const log = (m: string) => console.log(`[bench] ${m}`);
const perN = only === undefined ? await provingPerN({ runs: RUNS, sizes: QUICK ? [16] : undefined, log }) : [];
const baseline = only === undefined ? await baselineBench({ quick: QUICK, runs: RUNS, log }) : undefined;
await releaseSnarkjs();
const sweep = only === undefined ? await constraintSweep({ quick: QUICK, log }) : [];
const gasPerN = only === undefined ? await gasBench({ quick: QUICK, log }) : undefined;
// The browser, through the app's own prover client and thread (quick: the first rule, once).
const browserRows: BrowserRow[] =
  only === undefined || RULES.some((r) => ruleCircuit(r).name.includes(only))
    ? await runBrowserBench({ runs: RUNS, only: QUICK ? ruleCircuit(RULES[0]).name : only })
    : [];
// Dataset tooling, Node and chromium (quick: 1,000 items).
const datasetRows =
  only === undefined ? await runDatasetBench({ sizes: QUICK ? [1000] : [10_000, 100_000], browser: true }) : [];
const machine = machineInfo(loadAtStart, loadAtTiming);
const gas = JSON.parse(await readFile(join(ROOT, "test/contracts/gas-snapshot.json"), "utf8")) as Record<
  string,
  number
>;
// The gas snapshot names each rule's single-batch submit; the first rule's also has the batched and gold paths.
const SUBMIT_GAS: Record<string, string> = {
  classification: "submitBatch",
  bbox: "submitBatchBox",
  sensor: "submitBatchSensor",
  spans: "submitBatchSpans",
  polygon: "submitBatchPolygon",
};
const N = ruleCircuit(RULES[0]).params.N;
// Per accepted label, from the gas snapshot: a task without gold items pays in submitBatch; a task
// with gold items pays a pending submit, its share of a two-batch finalize, and (at worst) one
// withdraw per batch.
const perLabelGold = Math.round((gas.submitBatchPending + gas.finalize2Batches / 2 + gas.withdraw) / N);
// A relayer's submitBatches of four batches (k + 3 pairings), one withdraw for them.
const perLabelBatched = Math.round((gas.submitBatches4 + gas.withdraw) / (4 * N));
const perLabelBatchedGold = Math.round((gas.submitBatches8Pending + gas.finalize8Batches + gas.withdraw) / (8 * N));
// The default flow (docs/protocol.md §7.2, §8): the relayer submits four batches per submitBatches
// and each batch's fresh payee withdraws once, gaslessly (withdrawWithSignature, relayed).
const perLabelRelayed = Math.round((gas.submitBatches4 / 4 + gas.withdrawWithSignature) / N);
const perLabelRelayedGold = Math.round(
  (gas.submitBatches8Pending / 8 + gas.finalize8Batches / 8 + gas.withdrawWithSignature) / N,
);
// One payee per task instead of per batch (it links the task's batches to each other): the
// later withdrawals are the cheaper repeat.
const perLabelRelayedTaskPayee = Math.round((gas.submitBatches4 / 4 + gas.withdrawWithSignatureRepeat) / N);
// A rule whose single submit the snapshot does not measure (the kit's entity spans) has no figure here.
const perRule = Object.fromEntries(
  RULES.filter((r) => gas[SUBMIT_GAS[r.name]] !== undefined).map((r) => [
    r.name,
    Math.round((gas[SUBMIT_GAS[r.name]] + gas.withdraw) / ruleCircuit(r).params.N),
  ]),
);

console.log(
  `\nNode (median of ${RUNS}, ${machine.cores} cores)\ncircuit                            constraints  labels  per label  prove ms  witness  proof  labels/s  verify ms  peak MB  wasm MB  zkey MB  gzip MB`,
);
for (const r of rows) {
  console.log(
    `${r.circuit.padEnd(34)} ${String(r.constraints).padStart(11)} ${String(r.labels).padStart(7)} ${String(r.constraintsPerLabel).padStart(10)} ${String(r.proveMsMedian).padStart(9)} ${String(r.witnessMsMedian).padStart(8)} ${String(r.proofMsMedian).padStart(6)} ${String(r.labelsPerSecond).padStart(9)} ${String(r.verifyMsMedian).padStart(10)} ${String(r.peakMemoryMB).padStart(8)} ${String(r.wasmMB).padStart(8)} ${String(r.zkeyMB).padStart(8)} ${String(r.gzipMB ?? "-").padStart(8)}`,
  );
}
printBrowserRows(browserRows, RUNS);
console.log("\ngas (test/contracts/gas-snapshot.json)");
for (const [k, v] of Object.entries(gas)) console.log(`  ${k.padEnd(20)} ${String(v).padStart(9)}`);
for (const r of RULES)
  console.log(
    `  per accepted ${r.noun} label, no gold items (submit + withdraw), N = ${ruleCircuit(r).params.N}: ${perRule[r.name] ?? "not measured (no submit of this rule in the gas snapshot)"}`,
  );
console.log(`  per accepted label, gold items (submit + finalize + withdraw), N = ${N}: ${perLabelGold}`);
console.log(`  per accepted label, four batches per submitBatches + one withdraw, N = ${N}: ${perLabelBatched}`);
console.log(
  `  per accepted label, gold items, eight batches per submitBatches and per finalize + one withdraw, N = ${N}: ${perLabelBatchedGold}`,
);
console.log(
  `  per accepted label, relayer (four per submitBatches to one recipient, as the snapshot measures it) + a gasless withdrawal per batch, N = ${N}: ${perLabelRelayed}`,
);
console.log(
  `  per accepted label, default flow with gold items (eight per submitBatches and finalize, a payee per batch), N = ${N}: ${perLabelRelayedGold}`,
);
console.log(
  `  per accepted label, relayer with one payee per task (its batches linked to each other), N = ${N}: ${perLabelRelayedTaskPayee}`,
);
if (datasetRows.length) console.log(`\ndataset building (classification, small images)\n${datasetTable(datasetRows)}`);
const result: BenchResult = {
  date: new Date().toISOString(),
  machine,
  quick: QUICK,
  runs: RUNS,
  circuits: rows,
  browser: browserRows,
  dataset: datasetRows,
  gas,
  gasPerLabelByRule: perRule,
  gasPerLabelGold: perLabelGold,
  gasPerLabelBatched: perLabelBatched,
  gasPerLabelBatchedGold: perLabelBatchedGold,
  gasPerLabelRelayed: perLabelRelayed,
  gasPerLabelRelayedGold: perLabelRelayedGold,
  gasPerLabelRelayedTaskPayee: perLabelRelayedTaskPayee,
  provingPerN: perN,
  sweep,
  baseline,
  gasPerN,
};
printExtras(result);
const outDir = join(ROOT, QUICK ? "build/bench" : "bench/results");
await mkdir(outDir, { recursive: true });
const out = OUT ?? join(outDir, `bench${QUICK ? "-quick" : ""}-${today()}.json`);
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nwrote ${out}`);
// A full run (every part, no --only, no --quick, no --out) is the latest run BENCHMARKS.md shows.
if (!QUICK && only === undefined && OUT === undefined) {
  await writeReport(
    renderReport(result, extraSections(result), benchTargets(result)),
    chartPanels(result),
    chartCaption(result),
  );
  console.log("wrote BENCHMARKS.md (latest run) and bench/chart.svg");
}
