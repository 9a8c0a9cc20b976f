/**
 * The indexer (apps/indexer, Ponder with PGlite) against a seeded chain, through scripts/bench-read.ts
 * --quick --tasks 60 --batches 300 --indexer: it starts a Hardhat node, deploys, seeds 60 tasks and 300 batches, starts the
 * indexer, waits until it has caught up, reads the auditor's list and two task pages through it with
 * the app's own functions (apps/web/src/lib/indexed.ts) and fails unless every list row and both
 * pages equal what the direct event reader gives. And the fallback: an indexer that does not answer
 * (or trails the chain) leaves the pages on the direct reader, saying why.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { runBenchRead } from "../helpers/bench.ts";
import { freePort } from "../helpers/chain.ts";

const ROOT = join(import.meta.dirname, "..", "..");
/** The app's reading module, loaded by path (the web app is not a dependency of the root package). */
interface Sources {
  indexerUrl?: string;
  chainId: number;
  escrow: `0x${string}`;
  head: () => Promise<bigint>;
  events: () => Promise<unknown[]>;
}
type Source = { kind: "indexer" } | { kind: "events"; reason: string };
const { readAuditList, readAuditTask } = (await import(
  pathToFileURL(join(ROOT, "apps/web/src/lib/indexed.ts")).href
)) as {
  readAuditList(o: Sources): Promise<{ tasks: unknown[]; source: Source }>;
  readAuditTask(o: Sources, id: bigint): Promise<{ task: unknown; source: Source }>;
};

test("bench-read --quick --indexer: the indexed list and task pages equal the direct read", {
  timeout: 300_000,
}, async () => {
  // 60 tasks, not --quick's 20: with more than 20 tasks created or updated in one historical range,
  // Ponder flushes them through a temporary table named "task" that shadows the real one on
  // PGlite's single session (see apps/indexer/ponder.schema.ts, task_view); 20 never showed it.
  const args = ["--quick", "--tasks", "60", "--batches", "300", "--indexer"];
  const r = await runBenchRead("zklabel-bench-indexer-", args);
  assert.ok(r.indexed, "the JSON has the indexed results");
  assert.deepEqual(r.indexed.sameAsDirect, { listRows: 60, taskPages: 2 });
  assert.ok(r.indexed.indexing.seconds > 0);
  assert.equal(r.indexed.indexing.events, r.results.list.events - 2, "every task event indexed (not the rule's)");
  for (const page of ["list", "bigTask", "typicalTask"]) {
    assert.ok(Number.isFinite(r.indexed[page].medianMs), `indexed.${page}.medianMs`);
    assert.equal(r.indexed[page].runsMs.length, 1);
  }
  assert.equal(r.indexed.bigTask.blocksRead, 0, "the indexer gives the task page its block times");
});

test("the auditor's pages fall back to the direct reader when the indexer is down or not configured", async () => {
  const port = await freePort(); // nothing listens there
  let reads = 0;
  const sources = {
    indexerUrl: `http://127.0.0.1:${port}`,
    chainId: 31337,
    escrow: "0x0000000000000000000000000000000000000001" as const,
    head: async () => 10n,
    events: async () => {
      reads++;
      return [];
    },
  };
  const list = await readAuditList(sources);
  assert.equal(list.source.kind, "events");
  assert.match(list.source.kind === "events" ? list.source.reason : "", /indexer did not answer/);
  assert.deepEqual(list.tasks, []);
  const page = await readAuditTask(sources, 1n);
  assert.equal(page.source.kind, "events");
  assert.equal(page.task, null);
  assert.equal(reads, 2, "each page read the events directly");
  const none = await readAuditList({ ...sources, indexerUrl: undefined });
  assert.deepEqual(none.source, { kind: "events", reason: "this deployment names no indexer" });
});

test("the auditor's pages fall back to the direct reader when the indexer lags the chain or indexes another chain", async () => {
  // A stand-in for the indexer's /status endpoint: Ponder's answer shape, with a block we choose.
  let status: unknown = {};
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(req.url === "/status" ? JSON.stringify(status) : "{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    const sources = {
      indexerUrl: `http://127.0.0.1:${port}`,
      chainId: 31337,
      escrow: "0x0000000000000000000000000000000000000001" as const,
      head: async () => 10n,
      events: async () => [],
    };
    status = { zklabel: { id: 31337, block: { number: 5, timestamp: 1 } } };
    const behind = await readAuditList(sources);
    assert.deepEqual(behind.source, { kind: "events", reason: "the indexer is at block 5, 5 behind the chain" });
    status = { zklabel: { id: 1, block: { number: 10, timestamp: 1 } } };
    const other = await readAuditList(sources);
    assert.equal(other.source.kind, "events");
    assert.match(other.source.kind === "events" ? other.source.reason : "", /indexes no chain 31337/);
  } finally {
    server.close();
  }
});
