/**
 * `node scripts/bench/dataset.ts --quick`: 1,000 synthetic images built into a classification
 * dataset in Node and in headless chromium. The times are not checked (a loaded machine is
 * slower): only that both environments report every stage and build the same root for the same
 * items, the root the SDK's buildDataset builds here from the same items.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { buildDataset, kindOfRule } from "@zklabel/sdk/dataset";
import { syntheticImages } from "../../scripts/bench/dataset-stages.ts";
import { runBenchScript } from "../helpers/bench.ts";

test("dataset bench --quick builds 1,000 items in Node and chromium to the same root", {
  timeout: 300_000,
}, async () => {
  const { json: r, output } = await runBenchScript("scripts/bench/dataset.ts", "zklabel-dataset-bench-", ["--quick"]);
  assert.equal(r.quick, true);
  assert.equal(r.rule, "classification");
  assert.deepEqual(
    r.rows.map((x: { env: string; items: number }) => `${x.env} ${x.items}`),
    ["node 1000", "chromium 1000"],
  );
  const rule = ruleByName("classification");
  const { N, DEPTH } = ruleCircuit(rule).params;
  const expected = buildDataset(syntheticImages(1000), { depth: DEPTH, batchSize: N, kind: kindOfRule(rule.id) });
  for (const x of r.rows) {
    assert.equal(x.root, expected.manifest.root, `${x.env}: the root buildDataset builds in this process`);
    assert.ok(x.meanBytes >= 1500 && x.meanBytes <= 3000, `${x.env} mean item size ${x.meanBytes}`);
    for (const k of ["contentHashMs", "treeMs", "totalMs"])
      assert.ok(x[k] > 0 && x[k] < 120_000, `${x.env} ${k}: ${x[k]}`);
    assert.ok(x.leafMs >= 0 && x.leafMs < x.totalMs, `${x.env} leafMs ${x.leafMs}`);
    assert.match(output, new RegExp(`^${x.env} +1000 `, "m"), `${x.env} in the table`);
  }
});
