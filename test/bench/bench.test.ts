/**
 * `npm run bench -- --quick` (scripts/bench.ts): each rule's deployed worker circuit proven once in
 * Node, verified, and the gas per label from the snapshot, printed as a table and written as JSON with
 * the machine it ran on. The times are not checked here (a loaded machine is slower): only that the
 * bench runs to the end and reports every rule with figures that agree with the circuits' build.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { RULES, ruleCircuit } from "@zklabel/core/rules";
import { ROOT } from "../../scripts/lib/process.ts";
import { runBenchScript } from "../helpers/bench.ts";

test("bench --quick proves each rule's worker circuit once in Node and the first rule's through the app's browser path, and writes its table and JSON", {
  timeout: 1_800_000,
}, async () => {
  const { json: r, output } = await runBenchScript("scripts/bench.ts", "zklabel-bench-", ["--quick"]);
  assert.equal(r.quick, true);
  assert.equal(r.runs, 1);
  for (const key of ["cpu", "cores", "memoryGiB", "node", "platform", "loadAverage1m"])
    assert.ok(key in r.machine, `machine.${key}`);
  const report = JSON.parse(await readFile(join(ROOT, "build/circuits/report.json"), "utf8")) as Record<
    string,
    { constraints: number }
  >;
  assert.deepEqual(
    r.circuits.map((c: { circuit: string }) => c.circuit).sort(),
    RULES.map((rule) => ruleCircuit(rule).name).sort(),
    "one row per rule's deployed worker circuit",
  );
  for (const c of r.circuits) {
    assert.equal(c.constraints, report[c.circuit].constraints, `${c.circuit} constraints`);
    assert.equal(c.labels, ruleCircuit(RULES.find((x) => ruleCircuit(x).name === c.circuit) as never).params.N);
    assert.ok(c.proveMsMedian > 0 && c.verifyMsMedian > 0, `${c.circuit} times`);
    assert.ok(Math.abs(c.witnessMsMedian + c.proofMsMedian - c.proveMsMedian) <= 1, `${c.circuit} witness + proof`);
    assert.ok(c.peakMemoryMB > 50 && c.zkeyMB > 1 && c.wasmMB > 0.1, `${c.circuit} memory and sizes`);
    const rate = c.labels / (c.proveMsMedian / 1000);
    assert.ok(Math.abs(c.labelsPerSecond - rate) <= rate * 0.01 + 0.1, `${c.circuit} labels per second`);
    assert.match(output, new RegExp(`^${c.circuit} +${c.constraints} +${c.labels} `, "m"), `${c.circuit} in the table`);
  }
  // The browser, through the app's prover client and thread: the first rule's circuit, once.
  const first = ruleCircuit(RULES[0]);
  assert.equal(r.browser.length, 1);
  const b = r.browser[0];
  assert.equal(b.circuit, first.name);
  assert.equal(b.firstVisit.fromCache, false, "a fresh profile downloads the circuit");
  assert.ok(b.firstVisit.downloadMB > 1 && b.firstVisit.ms > b.firstVisit.downloadMs, "first visit");
  assert.equal(b.app.fromCache, true, "later proofs need no download");
  assert.ok(b.app.ms > 0 && b.bare.ms > 0 && b.bare.witnessMs > 0, "app and bare times");
  assert.ok(Math.abs(b.appOverBare - b.app.ms / b.bare.ms) < 0.05, "app over bare");
  // Against N and the baseline (quick: N = 16), and dataset building (quick: 1,000 items, both roots equal).
  assert.deepEqual(
    r.provingPerN.map((x: { N: number }) => x.N),
    [16],
  );
  assert.ok(r.provingPerN[0].labelsPerSecond > 0 && r.provingPerN[0].constraints < report[first.name].constraints);
  assert.equal(r.sweep[0].N, 16);
  assert.equal(r.sweep[0].constraints, r.provingPerN[0].constraints, "the sweep and the keyed variant are one circuit");
  assert.ok(r.baseline.ratio.constraintsPerLabel > 10, "one proof per label costs more constraints per label");
  assert.ok(
    r.gasPerN.rows.some((x: { N: number }) => x.N === 1) && r.gasPerN.rows.some((x: { N: number }) => x.N === 16),
  );
  const roots = new Set(r.dataset.map((d: { root: string }) => d.root));
  assert.equal(r.dataset.length, 2);
  assert.equal(roots.size, 1, "Node and chromium build the same root");
  // Gas per label from the snapshot it copied: the default flow's figure, recomputed.
  const snapshot = JSON.parse(await readFile(join(ROOT, "test/contracts/gas-snapshot.json"), "utf8"));
  assert.deepEqual(r.gas, snapshot);
  const N = ruleCircuit(RULES[0]).params.N;
  assert.equal(r.gasPerLabelRelayed, Math.round((snapshot.submitBatches4 / 4 + snapshot.withdrawWithSignature) / N));
});
