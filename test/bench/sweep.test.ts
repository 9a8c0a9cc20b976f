/**
 * The issue-18 benchmarks in their quick modes (scripts/bench/sweep.ts, baseline.ts, gas.ts): each runs
 * to the end and writes figures that hold together: constraints grow with N, the compile cache is used
 * on a second run, the one-label baseline's proof verifies and its dataset inclusion holds only for the
 * right chunk and path, and a label costs more gas alone than in a batch.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { computeWitness, UnprovableBatchError } from "@zklabel/core/prove";
import { BASELINE, baselineInfo } from "../../scripts/bench/baseline.ts";
import { benchWorker, singleItemInput } from "../../scripts/bench/inputs.ts";
import { buildVariant } from "../../scripts/bench/variants.ts";
import { ROOT } from "../../scripts/lib/process.ts";
import { runBenchScript } from "../helpers/bench.ts";

const report = async () =>
  JSON.parse(await readFile(join(ROOT, "build/circuits/report.json"), "utf8")) as Record<
    string,
    { constraints: number; publicInputs: number }
  >;

test("sweep --quick compiles classification at N = 16 once, then reads it from the cache", {
  timeout: 900_000,
}, async () => {
  const first = (await runBenchScript("scripts/bench/sweep.ts", "zklabel-sweep-", ["--quick"])).json;
  const { json: again, output } = await runBenchScript("scripts/bench/sweep.ts", "zklabel-sweep-", ["--quick"]);
  assert.equal(again.rows.length, 1);
  const [row] = again.rows;
  assert.equal(row.circuit, "classification_worker_n16_d20_g20");
  assert.equal(row.cached, true, "the second run compiles nothing");
  assert.equal(row.constraints, first.rows[0].constraints);
  assert.match(output, /^classification_worker_n16_d20_g20 +16 +\d+ /m, "the table row");
  // Constraints grow with N: the registry's N = 32 and N = 64 builds of the same template.
  const r = await report();
  assert.ok(row.constraints < r.classification_worker_n32_d20_g20.constraints, "C(16) < C(32)");
  assert.ok(r.classification_worker_n32_d20_g20.constraints < r.classification_worker_n64_d20_g20.constraints);
  assert.equal(row.publicInputs, r.classification_worker_n64_d20_g20.publicInputs, "same public inputs at every N");
  assert.equal(row.constraintsPerLabel, Number((row.constraints / 16).toFixed(1)));
});

test("baseline --quick: the one-label proof verifies and costs more per label than the deployed batch", {
  timeout: 1_800_000,
}, async () => {
  const { json } = await runBenchScript("scripts/bench/baseline.ts", "zklabel-baseline-", ["--quick"]);
  const [base, deployed] = json.rows;
  assert.equal(base.circuit, BASELINE.name);
  assert.equal(deployed.circuit, "classification_worker_n64_d20_g20");
  assert.equal(base.verified, true, "the baseline proof verifies");
  assert.equal(deployed.verified, true);
  assert.equal(base.labelsPerProof, 1);
  assert.equal(base.publicInputs, deployed.publicInputs, "the worker proof's public inputs");
  assert.equal(deployed.constraints, (await report()).classification_worker_n64_d20_g20.constraints);
  assert.ok(base.constraints > 10_613, "at least WorkerEnvelope's fixed cost (circuits/budgets.json)");
  assert.ok(json.ratio.constraintsPerLabel > 1 && json.ratio.proveMsPerLabel > 1);
});

test("the baseline circuit opens its item's chunk at datasetRoot only with the right leaves and path", {
  timeout: 600_000,
}, async () => {
  const b = await buildVariant(BASELINE);
  const task = { pkR: DEMO_REQUESTER_KEY.pkR, goldRoot: 0n, taskId: 1n, chainId: 31337n, contract: 1n };
  const { input } = singleItemInput(baselineInfo, 37, {
    task,
    worker: benchWorker(),
    items: 100,
    recipient: 1n,
    salt: 5n,
  });
  const witness = (change: Record<string, string[]>) =>
    computeWitness({ ...input, ...change } as Record<string, string | string[]>, b.files.wasm);
  await witness({});
  // The chunk's leaves and the path feed nothing but the inclusion: a changed one must break it.
  const leaves = [...(input.leaves as string[])];
  assert.equal(leaves.length, 16, "the item's chunk of 16 leaves");
  leaves[5] = "1";
  await assert.rejects(witness({ leaves }), UnprovableBatchError);
  const pathSiblings = [...(input.pathSiblings as string[])];
  assert.equal(pathSiblings.length, 16, "DEPTH - 4 siblings");
  pathSiblings[3] = "1";
  await assert.rejects(witness({ pathSiblings }), UnprovableBatchError);
});

test("gas --quick: real proofs on the escrow at N = 16 and for the baseline; a label alone costs more", {
  timeout: 1_800_000,
}, async () => {
  const { json } = await runBenchScript("scripts/bench/gas.ts", "zklabel-gas-", ["--quick"]);
  const byN = Object.fromEntries(json.rows.map((r: { N: number }) => [r.N, r]));
  assert.deepEqual(Object.keys(byN).map(Number).sort(), [1, 16]);
  for (const r of json.rows) {
    for (const [k, v] of Object.entries(r.gas)) assert.ok((v as number) > 21_000, `${r.circuit} ${k}`);
    assert.equal(r.perLabel.default, Math.round((r.gas.submitBatches4 / 4 + r.gas.withdrawWithSignature) / r.N));
  }
  // Same public input count: a submission costs the same whatever N, so per label it is about N times less.
  assert.ok(Math.abs(byN[16].gas.submit - byN[1].gas.submit) < 5_000, "one submission costs the same at N = 1 and 16");
  assert.ok(byN[16].perLabel.default * 5 < byN[1].perLabel.default);
  assert.equal(json.ratios[0].N, 16);
  assert.ok(json.ratios[0].sameFlow > 5);
  assert.ok(byN[1].gas.submitBatches4OneRecipient < byN[1].gas.submitBatches4, "a warm recipient is cheaper");
});
