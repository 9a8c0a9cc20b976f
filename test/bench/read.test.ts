/**
 * The reading-at-scale benchmark (scripts/bench-read.ts) in its smoke size: it starts its own
 * Hardhat node, seeds 20 tasks and 100 batches, times the auditor's list and task pages once, and
 * writes its JSON. The numbers are not checked here (a loaded machine is slower): only that it
 * runs to the end and reports every page.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runBenchRead } from "../helpers/bench.ts";

test("bench-read --quick seeds a chain, times the auditor's pages and writes its JSON", {
  timeout: 120_000,
}, async () => {
  const r = await runBenchRead("zklabel-bench-read-", ["--quick"]);
  for (const key of ["date", "machine", "chain", "params", "seeding", "thresholdMs", "overThreshold", "results"])
    assert.ok(key in r, `the JSON has ${key}`);
  assert.deepEqual(
    { tasks: r.params.tasks, batches: r.params.batches, runs: r.params.runs, quick: r.params.quick },
    { tasks: 20, batches: 100, runs: 1, quick: true },
  );
  assert.ok(r.seeding.seconds > 0 && r.seeding.transactions > 20);
  for (const page of ["list", "bigTask", "typicalTask"]) {
    const p = r.results[page];
    assert.ok(p, `results.${page}`);
    assert.ok(Number.isFinite(p.medianMs) && p.medianMs > 0, `results.${page}.medianMs`);
    assert.equal(p.runsMs.length, 1);
    assert.ok(p.parts.readMs > 0 && p.parts.buildMs >= 0, `results.${page}.parts`);
  }
  assert.equal(r.results.bigTask.batches, 20, "the big task holds a fifth of the batches");
  assert.equal(r.results.list.tasks, 20);
  assert.ok(r.results.bigTask.blocksRead > 1, "the task page reads its blocks' times");
});
