/**
 * `node scripts/bench-read.ts [--tasks 1000] [--batches 10000] [--runs 3] [--per-tx 4] [--rpc URL] [--port 8645] [--out FILE] [--quick]`:
 * reading at scale (issue 17). Seeds a local chain with many tasks and batches, then times what the
 * auditor's pages read and compute before they can show anything: the task list (/audit) and a task
 * page (/audit/<id>) for the largest task and for a typical one. Median of `--runs` cold loads (a
 * new client and a new event reader each, as a fresh page load has). Prints a table and writes JSON
 * (default bench/results/read-<date>.json; with --quick build/bench/read-quick-<date>.json).
 *
 * The chain: a Hardhat node this script starts (or the one at --rpc; chain id 31337 only), with the
 * contracts deployed as scripts/lib/deploy.ts does, except that rule 1 (classification, its real
 * batch size, depth and public-input count) is registered with contracts/test/AlwaysTrueVerifier.sol
 * as verifier and batch verifier: seeding needs no proofs, and a proof does not change what is read.
 * Every batch's public inputs pass the escrow's own checks (task hash, a root of a worker group
 * created and joined here, index, count, recipient word, all below the field).
 *
 * The spread: one big task holds a fifth of the batches (the task page at its worst), the other
 * tasks share the rest evenly; every task also has a quarter more batches left open. Batches go in
 * `--per-tx` per submitBatches (the relayer's default is four), in a shuffled order across tasks.
 *
 * What is timed is the app's own code path, called from Node (apps/web/src/lib/task-views.ts and
 * audit.ts are pure; the React hooks' query functions are repeated here in their order):
 * - list: useEscrowLogs (escrowReader(...).read()) then useTasks (tasksFromLogs), beside useChainNow
 *   (getBlock()); then each row's batchCounts, taskStatus, createdVerifiers.
 * - task page: the same useTasks (every task is built, then found by id), then at once useNowSeconds
 *   (getBlock()), useBlockTimes (getBlock per distinct block of the task's events) and TaskFacts'
 *   useEscrowTask (getTask); then progressSeries and batchCounts.
 * Not timed: React rendering (the big task's page draws one link per batch and one timeline entry
 * per event), and the browser's limit of six connections per host (Node's fetch has none).
 * `--quick`: 20 tasks, 100 batches, one run (the smoke test, test/bench/read.test.ts).
 *
 * `--indexer [--indexer-port 42169]`: also starts the indexer (apps/indexer, Ponder with PGlite)
 * against the seeded chain, reports how long it takes to catch up, and times the same pages through
 * it (apps/web/src/lib/indexed.ts: readAuditList and readAuditTask, the app's own reading functions;
 * the task page takes its block times from the indexer and asks the chain only for the ones it lacks).
 * It checks that every list row and both task pages show the same numbers from both sources.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_CLASSES, DEMO_PARAMS, DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { encryptToRequester } from "@zklabel/core/encryption";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { GROUP_MAX_DEPTH } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { packLabels } from "@zklabel/core/labels";
import { orderPublicSignals } from "@zklabel/core/registry";
import { ruleCircuit } from "@zklabel/core/rules";
import { classificationRule } from "@zklabel/core/rules/classification";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import type { DecodedLog } from "@zklabel/sdk/events";
import { encodeTaskMetadata } from "@zklabel/sdk/metadata";
import { escrowReader } from "@zklabel/sdk/task-info";
import {
  type Address,
  createPublicClient,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  type Log,
  type PublicClient,
  parseEventLogs,
  zeroAddress,
} from "viem";
import { ROOT_GRACE_PERIOD, RULE_CHANGE_DELAY } from "./lib/deploy.ts";
import { machineInfo } from "./lib/machine.ts";
import { ROOT, run } from "./lib/process.ts";
import { HARDHAT, portFree, startHardhatNode, startIndexer } from "./lib/stack.ts";

// ------------------------------------------------------------------ options

const argv = process.argv.slice(2);
const has = (flag: string) => argv.includes(flag);
function option(flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
  return v;
}
function count(flag: string, fallback: number, min = 1): number {
  const v = option(flag);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} takes a whole number of at least ${min}, got ${v}`);
  return n;
}

const QUICK = has("--quick");
const TASKS = count("--tasks", QUICK ? 20 : 1000);
const BATCHES = count("--batches", QUICK ? 100 : 10_000);
const RUNS = count("--runs", QUICK ? 1 : 3);
const PER_TX = count("--per-tx", 4);
const RPC = option("--rpc");
const PORT = option("--port");
const INDEXER = has("--indexer");
const INDEXER_PORT = count("--indexer-port", 42169);
/** The app's budget for a page's data (issue 17, "Reading at scale"). */
const THRESHOLD_MS = 2000;
/** Requests in flight while seeding (the node mines them one by one; this only hides the round trips). */
const IN_FLIGHT = 8;

// Hardhat finds its config from the working directory; --out is taken relative to where the script was started.
const CWD = process.cwd();
process.chdir(ROOT);

const started = Date.now();
/** Other work on the machine slows every number: the load before this script adds its own. */
const loadAtStart = loadavg()[0];
const log = (m: string) => console.log(`[bench-read ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${m}`);

// ------------------------------------------------------------------ the app's pure code

/** What the app's audit readers take (apps/web/src/lib/indexed.ts). */
interface AuditSources {
  indexerUrl?: string;
  chainId: number;
  escrow: Address;
  head: () => Promise<bigint>;
  events: () => Promise<readonly DecodedLog[]>;
}

/** The parts of the app's TaskView this script looks at (apps/web/src/lib/task-views.ts has the whole type). */
interface AppTask {
  id: bigint;
  batches: readonly { status: string }[];
  events: readonly DecodedLog[];
  verifiedBatches: number;
  pendingBatches: number;
}
/**
 * The app's own modules, loaded by path: they live in the web app (not a dependency of the root
 * package) and the root's type check does not follow the app's extensionless imports.
 */
const app = {
  views: (await import(pathToFileURL(join(ROOT, "apps/web/src/lib/task-views.ts")).href)) as {
    tasksFromLogs(logs: readonly DecodedLog[]): AppTask[];
    taskStatus(t: AppTask, nowSeconds: number): string;
  },
  indexed: (await import(pathToFileURL(join(ROOT, "apps/web/src/lib/indexed.ts")).href)) as {
    readAuditList(o: AuditSources): Promise<{ tasks: AppTask[]; source: { kind: string; reason?: string } }>;
    readAuditTask(
      o: AuditSources,
      id: bigint,
    ): Promise<{ task: AppTask | null; blockTimes: Map<bigint, number>; source: { kind: string; reason?: string } }>;
    indexedBlock(url: string, chainId: number): Promise<bigint>;
  },
  audit: (await import(pathToFileURL(join(ROOT, "apps/web/src/lib/audit.ts")).href)) as {
    batchCounts(t: AppTask): { verified: number; pending: number; open: number; rejected: number };
    createdVerifiers(t: AppTask): unknown;
    progressSeries(t: AppTask, blockTime: ReadonlyMap<bigint, number>): unknown[] | null;
  },
};

/**
 * The public client wagmi hands the app (apps/web/src/lib/wagmi.ts: http transport without JSON-RPC
 * batching, 500 ms polling; wagmi adds multicall batching, unused here: the local chain names no
 * multicall3). A new one per load: nothing cached between runs.
 */
function appClient(rpcUrl: string): PublicClient {
  const chain = defineChain({
    id: LOCAL_CHAIN_ID,
    name: "Hardhat (local)",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
  return createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 500, batch: { multicall: true } });
}

interface Deployed {
  escrow: Address;
  deployBlock: bigint;
}

/** useChainNow: the latest block's time, or the wall clock when later (unix seconds). */
async function chainNow(client: PublicClient): Promise<number> {
  const t = (await client.getBlock()).timestamp;
  const wall = BigInt(Math.floor(Date.now() / 1000));
  return Number(t > wall ? t : wall);
}

/** One eth_getLogs page of an EventReader's read: its blocks, time, and what came back. */
interface Page {
  fromBlock: string;
  toBlock: string;
  ms: number;
  logs?: number;
  /** Why the page failed (the reader then halves its range and asks again). */
  error?: string;
  /** The refused response's size in bytes, when it was too large. */
  bytes?: number;
}

/** The client as the reader sees it, with each getContractEvents call timed (it is passed through unchanged). */
function traced(client: PublicClient, pages: Page[]): Pick<PublicClient, "getBlockNumber" | "getContractEvents"> {
  const getContractEvents = async (args: { fromBlock: bigint; toBlock: bigint }) => {
    const t0 = performance.now();
    const page = { fromBlock: String(args.fromBlock), toBlock: String(args.toBlock) };
    try {
      const logs = await client.getContractEvents(args as never);
      pages.push({ ...page, ms: Math.round(performance.now() - t0), logs: logs.length });
      return logs;
    } catch (e) {
      const x = e as { shortMessage?: string; message?: string; size?: number };
      pages.push({
        ...page,
        ms: Math.round(performance.now() - t0),
        error: x.shortMessage ?? x.message,
        bytes: x.size,
      });
      throw e;
    }
  };
  return {
    getBlockNumber: (a?: Parameters<PublicClient["getBlockNumber"]>[0]) => client.getBlockNumber(a),
    getContractEvents,
  } as unknown as Pick<PublicClient, "getBlockNumber" | "getContractEvents">;
}

/** useEscrowLogs then useTasks: a fresh reader's read() (a copy, as the query returns), then tasksFromLogs. */
async function readTasks(client: PublicClient, d: Deployed) {
  const pages: Page[] = [];
  const t0 = performance.now();
  const reader = escrowReader({ client: traced(client, pages), address: d.escrow, fromBlock: d.deployBlock });
  const logs = [...(await reader.read())];
  const readMs = performance.now() - t0;
  const t1 = performance.now();
  const tasks = app.views.tasksFromLogs(logs);
  return { logs, tasks, readMs, buildMs: performance.now() - t1, getLogsRequests: reader.requests, pages };
}

/** /audit: AuditTaskList's useTasks and useNowSeconds (at once), then what every TaskRow computes. */
async function loadList(rpcUrl: string, d: Deployed) {
  const client = appClient(rpcUrl);
  const t0 = performance.now();
  let nowMs = 0;
  const [r, now] = await Promise.all([
    readTasks(client, d),
    chainNow(client).then((n) => {
      nowMs = performance.now() - t0;
      return n;
    }),
  ]);
  const t1 = performance.now();
  for (const t of r.tasks) {
    app.audit.batchCounts(t);
    app.views.taskStatus(t, now);
    app.audit.createdVerifiers(t);
  }
  const rowsMs = performance.now() - t1;
  return {
    totalMs: performance.now() - t0,
    parts: { readMs: r.readMs, buildMs: r.buildMs, rowsMs, chainNowMs: nowMs },
    getLogsRequests: r.getLogsRequests,
    pages: r.pages,
    tasks: r.tasks,
    events: r.logs.length,
  };
}

/**
 * /audit/<id>: useRouteTask (useTasks, then the task by id); once it is there, TaskAudit's
 * useNowSeconds, useBlockTimes and TaskFacts' useEscrowTask run at once; then the charts' series.
 */
async function loadTaskPage(rpcUrl: string, d: Deployed, id: bigint) {
  const client = appClient(rpcUrl);
  const t0 = performance.now();
  const r = await readTasks(client, d);
  const t1 = performance.now();
  const task = r.tasks.find((t) => t.id === id) ?? null;
  const findMs = performance.now() - t1;
  if (!task) throw new Error(`task ${id} is not among the ${r.tasks.length} tasks read`);
  const t2 = performance.now();
  const since = (t: number) => performance.now() - t;
  let nowMs = 0;
  let blockTimesMs = 0;
  let getTaskMs = 0;
  // useBlockTimes: every distinct block of the task's events, fetched at once (a page load starts with none cached).
  const wanted = [...new Set(task.events.map((e) => e.blockNumber).map(String))].sort();
  const [now, times] = await Promise.all([
    chainNow(client).then((n) => {
      nowMs = since(t2);
      return n;
    }),
    Promise.all(wanted.map((b) => client.getBlock({ blockNumber: BigInt(b) }))).then((got) => {
      const out = new Map<bigint, number>();
      for (const block of got) out.set(block.number, Number(block.timestamp));
      blockTimesMs = since(t2);
      return out;
    }),
    client.readContract({ address: d.escrow, abi: escrowAbi, functionName: "getTask", args: [id] }).then((x) => {
      getTaskMs = since(t2);
      return x;
    }),
  ]);
  const t3 = performance.now();
  const series = app.audit.progressSeries(task, times);
  app.audit.batchCounts(task);
  app.views.taskStatus(task, now);
  app.audit.createdVerifiers(task);
  if (series === null) throw new Error(`task ${id}: a block time is missing`);
  const pageMs = performance.now() - t3;
  return {
    totalMs: performance.now() - t0,
    parts: {
      readMs: r.readMs,
      buildMs: r.buildMs + findMs,
      liveReadsMs: t3 - t2,
      blockTimesMs,
      getTaskMs,
      chainNowMs: nowMs,
      pageMs,
    },
    getLogsRequests: r.getLogsRequests,
    pages: r.pages,
    blocksRead: wanted.length,
    taskEvents: task.events.length,
    taskBatches: task.batches.length,
    verifiedBatches: task.verifiedBatches,
  };
}

/** The audit readers' sources as the app's hooks give them: the indexer, the chain's head, a fresh event reader. */
function sources(client: PublicClient, d: Deployed, indexerUrl: string): AuditSources {
  return {
    indexerUrl,
    chainId: LOCAL_CHAIN_ID,
    escrow: d.escrow,
    head: () => client.getBlockNumber({ cacheTime: 0 }),
    events: async () => [...(await escrowReader({ client, address: d.escrow, fromBlock: d.deployBlock }).read())],
  };
}

/** /audit through the indexer: useAuditList (readAuditList) beside useChainNow, then each row. */
async function loadListIndexed(rpcUrl: string, d: Deployed, indexerUrl: string) {
  const client = appClient(rpcUrl);
  const t0 = performance.now();
  let nowMs = 0;
  const [r, now] = await Promise.all([
    app.indexed.readAuditList(sources(client, d, indexerUrl)),
    chainNow(client).then((n) => {
      nowMs = performance.now() - t0;
      return n;
    }),
  ]);
  if (r.source.kind !== "indexer") throw new Error(`the list was not read through the indexer: ${r.source.reason}`);
  const readMs = performance.now() - t0;
  const t1 = performance.now();
  const rows = r.tasks.map((t) => ({
    id: t.id,
    counts: app.audit.batchCounts(t),
    status: app.views.taskStatus(t, now),
    verifiers: app.audit.createdVerifiers(t),
  }));
  const rowsMs = performance.now() - t1;
  return { totalMs: performance.now() - t0, parts: { readMs, rowsMs, chainNowMs: nowMs }, tasks: r.tasks, rows, now };
}

/** /audit/<id> through the indexer: useAuditTask (readAuditTask), then the live reads, the missing block times and the series. */
async function loadTaskPageIndexed(rpcUrl: string, d: Deployed, id: bigint, indexerUrl: string) {
  const client = appClient(rpcUrl);
  const t0 = performance.now();
  const r = await app.indexed.readAuditTask(sources(client, d, indexerUrl), id);
  if (r.source.kind !== "indexer") throw new Error(`task ${id} was not read through the indexer: ${r.source.reason}`);
  const task = r.task;
  if (!task) throw new Error(`the indexer has no task ${id}`);
  const readMs = performance.now() - t0;
  const t2 = performance.now();
  const wanted = [...new Set(task.events.map((e) => e.blockNumber).map(String))].filter(
    (b) => !r.blockTimes.has(BigInt(b)),
  );
  const [now, more] = await Promise.all([
    chainNow(client),
    Promise.all(wanted.map((b) => client.getBlock({ blockNumber: BigInt(b) }))),
    client.readContract({ address: d.escrow, abi: escrowAbi, functionName: "getTask", args: [id] }),
  ]);
  const times = new Map(r.blockTimes);
  for (const block of more) times.set(block.number, Number(block.timestamp));
  const liveReadsMs = performance.now() - t2;
  const t3 = performance.now();
  const series = app.audit.progressSeries(task, times);
  const counts = app.audit.batchCounts(task);
  const status = app.views.taskStatus(task, now);
  app.audit.createdVerifiers(task);
  if (series === null) throw new Error(`task ${id}: a block time is missing`);
  const pageMs = performance.now() - t3;
  return {
    totalMs: performance.now() - t0,
    parts: { readMs, liveReadsMs, pageMs },
    blocksRead: wanted.length,
    task,
    counts,
    status,
    series,
  };
}

/** A deployment file for the indexer (apps/indexer/ponder.config.ts reads the escrow, chain, RPC URL and deployment block). */
function benchDeployment(rpcUrl: string, c: Awaited<ReturnType<typeof deploy>>) {
  return {
    chainId: LOCAL_CHAIN_ID,
    rpcUrl,
    escrow: c.escrow,
    verifier: c.rule.verifier,
    batchVerifier: c.rule.batchVerifier,
    groups: c.groups,
    rootGracePeriod: String(ROOT_GRACE_PERIOD),
    circuit: "bench-read (AlwaysTrueVerifier)",
    publicInputCount: PUBLIC_INPUTS,
    batchSize: N,
    datasetDepth: DEPTH,
    deployBlock: String(c.deployBlock),
    insecureDevKeys: true,
    network: "localhost",
  };
}

/** JSON with bigints as strings, for comparing what two sources show. */
const same = (a: unknown, b: unknown) =>
  JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ===
  JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

// ------------------------------------------------------------------ chain, contracts, seeding

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: unknown } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Runs `fn` over `items` with at most `limit` at once, reporting every tenth. */
async function pool<T>(what: string, items: readonly T[], limit: number, fn: (x: T) => Promise<void>) {
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.ceil(items.length / 10));
  const worker = async () => {
    while (next < items.length) {
      const x = items[next++];
      await fn(x);
      done++;
      if (done % step === 0 || done === items.length) log(`${what}: ${done}/${items.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A random field element (event data like the real ones: nothing compresses or repeats). */
const field = () => BigInt(`0x${randomBytes(32).toString("hex")}`) % SNARK_SCALAR_FIELD;
const address = () => `0x${randomBytes(20).toString("hex")}` as Address;

/** A deterministic shuffle (mulberry32), so runs seed the same order. */
function shuffle<T>(xs: T[], seed = 17): T[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Batches submitted per task: the first task sent takes a fifth of them (all when it is the only task), the rest share evenly. */
function spread(tasks: number, batches: number): number[] {
  if (tasks === 1) return [batches];
  const big = Math.max(1, Math.round(batches / 5));
  const rest = batches - big;
  const each = Math.floor(rest / (tasks - 1));
  const extra = rest % (tasks - 1);
  return [big, ...Array.from({ length: tasks - 1 }, (_, i) => each + (i < extra ? 1 : 0))];
}

const circuit = ruleCircuit(classificationRule);
const N = circuit.params.N;
const DEPTH = circuit.params.DEPTH;
// The ciphertext's length follows N and the label width: take it from a real encryption of a full batch.
const CIPHERTEXT = encryptToRequester(packLabels(Array(N).fill(0n), circuit.labelBits ?? 5), DEMO_REQUESTER_KEY.pkR, 0n)
  .ciphertext.length;
const sample = (v: Record<string, bigint | readonly bigint[]>) => orderPublicSignals(circuit, v);
const PUBLIC_INPUTS = sample({
  taskHash: 0n,
  groupRoot: 0n,
  nullifier: 0n,
  batchIndex: 0n,
  count: 0n,
  recipient: 0n,
  epk: [0n, 0n],
  labelsCommitment: 0n,
  ciphertext: Array(CIPHERTEXT).fill(0n),
}).length;

/** Compiles (contracts only: the generated verifiers are not needed) and deploys as deploy.ts does, with an always-yes verifier. */
async function deploy(rpcUrl: string) {
  await run(HARDHAT[0], [HARDHAT[1], "compile", "--quiet", "--no-tests"]);
  const { network } = await import("hardhat");
  const conn = await network.create({ network: "localhost", override: { url: rpcUrl } });
  const viem = conn.viem;
  const client = await viem.getPublicClient();
  const chainId = await client.getChainId();
  if (chainId !== LOCAL_CHAIN_ID)
    throw new Error(`refusing to seed chain ${chainId}: only the local chain (${LOCAL_CHAIN_ID})`);
  const deployBlock = await client.getBlockNumber();
  const t3 = await viem.deployContract("PoseidonT3");
  const t5 = await viem.deployContract("PoseidonT5");
  const t6 = await viem.deployContract("PoseidonT6");
  const groups = await viem.deployContract("WorkerGroups", [ROOT_GRACE_PERIOD, GROUP_MAX_DEPTH], {
    libraries: { PoseidonT3: t3.address },
  });
  const taskSetup = await viem.deployContract("TaskSetup", [], {
    libraries: { PoseidonT3: t3.address, PoseidonT5: t5.address, PoseidonT6: t6.address },
  });
  const escrow = await viem.deployContract("ZkLabelEscrow", [groups.address, RULE_CHANGE_DELAY], {
    libraries: { TaskSetup: taskSetup.address },
  });
  const yes = await viem.deployContract("AlwaysTrueVerifier");
  const rule = {
    verifier: yes.address,
    batchSize: N,
    datasetDepth: DEPTH,
    publicInputCount: PUBLIC_INPUTS,
    batchVerifier: yes.address,
    rejectVerifier: zeroAddress,
  };
  const mined = async (hash: Hex) => {
    const r = await client.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };
  await mined(await escrow.write.setRuleVerifier([classificationRule.id, rule]));
  // A worker group of our own with one real member: its root is what every batch proves membership under.
  await mined(await groups.write.createGroup());
  const groupId = (await groups.read.groupCount()) - 1n;
  await mined(await groups.write.addMember([groupId, new Identity("bench-read worker").commitment]));
  const groupRoot = await groups.read.groupRoot([groupId]);
  const accounts = (await viem.getWalletClients()).map((w) => w.account.address);
  await conn.close();
  return { escrow: escrow.address, groups: groups.address, deployBlock, rule, groupId, groupRoot, accounts };
}

async function seed(rpcUrl: string, c: Awaited<ReturnType<typeof deploy>>, perTask: number[]) {
  const rewardPerItem = 10n ** 9n;
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 365 * 24 * 3600);
  const requesters = c.accounts.slice(0, 5);
  const relayer = c.accounts[9] ?? c.accounts[0];
  // Every task leaves a quarter more batches open (the grid has all three states' worth of cells).
  const itemCounts = perTask.map((b) => (b + Math.max(1, Math.ceil(b / 4))) * N);
  // Each task's dataset root tells its TaskCreated event apart: transactions in flight may be mined in another order.
  const roots = perTask.map(field);
  const createData = (i: number) => {
    const metadata = encodeTaskMetadata({
      version: 1,
      title: `Bench task ${i + 1}: product review sentiment`,
      instructions: "Pick the sentiment of each review. Off-topic exists as a class but this task does not accept it.",
      rule: { type: classificationRule.name, classes: [...DEMO_CLASSES] },
      vault: "http://127.0.0.1:8787",
      keyNonce: "1",
    });
    return encodeFunctionData({
      abi: escrowAbi,
      functionName: "createTask",
      args: [
        {
          token: zeroAddress,
          ruleId: classificationRule.id,
          datasetRoot: roots[i],
          itemCount: itemCounts[i],
          ruleParams: classificationRule.encodeParams(DEMO_PARAMS) as unknown as readonly [
            bigint,
            bigint,
            bigint,
            bigint,
          ],
          pkR: DEMO_REQUESTER_KEY.pkR,
          pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
          goldRoot: 0n,
          minAccuracy: 0,
          goldThreshold: 0,
          challengeWindow: 0,
          workerGroupId: c.groupId,
          rewardPerItem,
          deadline,
          funding: rewardPerItem * BigInt(itemCounts[i]),
          metadataURI: metadata.uri,
          metadataHash: metadata.hash,
        },
        c.rule,
      ],
    });
  };
  const gasFor = new Map<string, bigint>();
  const send = async (kind: string, tx: { from: Address; data: Hex; value?: bigint }) => {
    const call = { from: tx.from, to: c.escrow, data: tx.data, value: `0x${(tx.value ?? 0n).toString(16)}` };
    let gas = gasFor.get(kind);
    if (gas === undefined) {
      gas = (BigInt(await rpc<Hex>(rpcUrl, "eth_estimateGas", [call])) * 13n) / 10n;
      gasFor.set(kind, gas);
    }
    // Automine: the node answers once the transaction is mined; a revert comes back as an error.
    await rpc<Hex>(rpcUrl, "eth_sendTransaction", [{ ...call, gas: `0x${gas.toString(16)}` }]);
  };

  const t0 = Date.now();
  await pool(
    "createTask",
    perTask.map((_, i) => i),
    IN_FLIGHT,
    (i) =>
      send("createTask", {
        from: requesters[i % requesters.length],
        data: createData(i),
        value: rewardPerItem * BigInt(itemCounts[i]),
      }),
  );
  const createSeconds = (Date.now() - t0) / 1000;

  // The task hashes, from the TaskCreated events (as a worker's client reads them).
  const client = appClient(rpcUrl);
  const created = (await escrowReader({ client, address: c.escrow, fromBlock: c.deployBlock }).read()).filter(
    (l) => l.eventName === "TaskCreated",
  );
  if (created.length !== perTask.length)
    throw new Error(`${created.length} TaskCreated events, ${perTask.length} tasks sent`);
  const hashes = new Map(created.map((l) => [l.args.taskId as bigint, l.args.taskHash as bigint]));
  const idOfRoot = new Map(
    created.map((l) => [(l.args.params as { datasetRoot: bigint }).datasetRoot, l.args.taskId as bigint]),
  );
  const ids = roots.map((r) => {
    const id = idOfRoot.get(r);
    if (id === undefined) throw new Error("a task sent has no TaskCreated event");
    return id;
  });

  const chunks: { taskId: bigint; indexes: number[] }[] = [];
  perTask.forEach((b, i) => {
    for (let k = 0; k < b; k += PER_TX) {
      chunks.push({
        taskId: ids[i],
        indexes: Array.from({ length: Math.min(PER_TX, b - k) }, (_, j) => k + j),
      });
    }
  });
  shuffle(chunks);
  const fee = 100n; // 1 % to the relayer (FEE_DENOMINATOR 10,000), as a relayed submission carries
  const t1 = Date.now();
  await pool("submitBatches", chunks, IN_FLIGHT, async ({ taskId, indexes }) => {
    const taskHash = hashes.get(taskId);
    if (taskHash === undefined) throw new Error(`no TaskCreated event for task ${taskId}`);
    const inputs = indexes.flatMap((b) =>
      sample({
        taskHash,
        groupRoot: c.groupRoot,
        nullifier: field(),
        batchIndex: BigInt(b),
        count: BigInt(N),
        recipient: (fee << 160n) | BigInt(address()),
        epk: [field(), field()],
        labelsCommitment: field(),
        ciphertext: Array.from({ length: CIPHERTEXT }, field),
      }),
    );
    const data = encodeFunctionData({
      abi: escrowAbi,
      functionName: "submitBatches",
      args: [taskId, indexes.map(BigInt), indexes.map(() => Array.from({ length: 8 }, field)) as never, inputs],
    });
    await send(`submitBatches${indexes.length}`, { from: relayer, data });
  });
  const submitSeconds = (Date.now() - t1) / 1000;
  return {
    createSeconds,
    submitSeconds,
    transactions: perTask.length + chunks.length,
    ids,
  };
}

// ------------------------------------------------------------------ main

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Each part's median over the runs. */
function medianParts(runs: { parts: Record<string, number> }[]): Record<string, number> {
  return Object.fromEntries(
    Object.keys(runs[0].parts).map((k) => [k, Math.round(median(runs.map((r) => r.parts[k])))]),
  );
}

/** Median and runs of the pages read through the indexer. */
function indexedSummary(name: string, runs: { totalMs: number; parts: Record<string, number> }[]) {
  return {
    name,
    medianMs: Math.round(median(runs.map((r) => r.totalMs))),
    runsMs: runs.map((r) => Math.round(r.totalMs)),
    parts: medianParts(runs),
  };
}

const perTask = spread(TASKS, BATCHES);
let stopNode: (() => Promise<void>) | undefined;
let rpcUrl = RPC;
try {
  if (!rpcUrl) {
    let port = PORT ? Number(PORT) : 8645;
    if (!PORT) while (!(await portFree(port)) && port < 8700) port++;
    log(`chain: starting a Hardhat node on 127.0.0.1:${port}`);
    const node = await startHardhatNode(port);
    stopNode = node.stop;
    rpcUrl = node.rpcUrl;
  }
  log(
    `contracts: compiling and deploying to ${rpcUrl} (rule 1 with AlwaysTrueVerifier, ${PUBLIC_INPUTS} public inputs)`,
  );
  const deployed = await deploy(rpcUrl);
  const d: Deployed = { escrow: deployed.escrow, deployBlock: deployed.deployBlock };
  log(
    `seeding: ${TASKS} tasks, ${BATCHES} batches (${perTask[0]} in the first, about ${perTask[perTask.length - 1]} in each other), ${PER_TX} per submitBatches`,
  );
  const seedStart = Date.now();
  const seeded = await seed(rpcUrl, deployed, perTask);
  const seedSeconds = (Date.now() - seedStart) / 1000;
  const lastBlock = BigInt(await rpc<Hex>(rpcUrl, "eth_blockNumber", []));
  log(`seeded in ${seedSeconds.toFixed(1)} s: ${seeded.transactions} transactions, ${lastBlock} blocks`);

  const bigId = seeded.ids[0];
  // A typical task: the last one (as many batches as most, its events spread over the whole chain).
  const typicalId = seeded.ids[perTask.length - 1];
  // The load when the timing starts (the seeding just before raises it too).
  const loadAtTiming = loadavg()[0];
  const list = [];
  const big = [];
  const typical = [];
  for (let r = 0; r < RUNS; r++) {
    const l = await loadList(rpcUrl, d);
    if (r === 0) {
      const verified = l.tasks.reduce((n, t) => n + t.verifiedBatches, 0);
      if (l.tasks.length !== TASKS || verified !== BATCHES)
        throw new Error(
          `the app sees ${l.tasks.length} tasks and ${verified} verified batches, not ${TASKS} and ${BATCHES}`,
        );
    }
    list.push(l);
    big.push(await loadTaskPage(rpcUrl, d, bigId));
    if (TASKS > 1) typical.push(await loadTaskPage(rpcUrl, d, typicalId));
    for (const [page, want] of [
      [big[r], perTask[0]],
      [typical[r], perTask[perTask.length - 1]],
    ] as const) {
      if (page && page.verifiedBatches !== want)
        throw new Error(`a task page shows ${page.verifiedBatches} verified batches, not the ${want} submitted`);
    }
    log(
      `run ${r + 1}/${RUNS}: list ${Math.round(l.totalMs)} ms, big task ${Math.round(big[r].totalMs)} ms${typical[r] ? `, typical task ${Math.round(typical[r].totalMs)} ms` : ""}`,
    );
  }

  // Outside the timed loads: where the event read's time goes. (1) One eth_getLogs of every event, by
  // hand: the node and the wire, JSON.parse, then viem's decoding (parseEventLogs, as getContractEvents
  // does). (2) The same cold read with viem's 10 MiB response limit raised, so no page is refused and
  // asked again. (3) One getBlock, 50 at once.
  const t0 = performance.now();
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "eth_getLogs",
      params: [
        { address: d.escrow, fromBlock: `0x${d.deployBlock.toString(16)}`, toBlock: `0x${lastBlock.toString(16)}` },
      ],
    }),
  });
  const text = await res.text();
  const fetchMs = performance.now() - t0;
  const t1 = performance.now();
  const rawLogs = (JSON.parse(text) as { result: Log[] }).result;
  const parseMs = performance.now() - t1;
  const t2 = performance.now();
  parseEventLogs({ abi: escrowAbi, logs: rawLogs });
  const decodeMs = performance.now() - t2;
  const unlimited = createPublicClient({ transport: http(rpcUrl, { maxResponseBodySize: 2 ** 30 }) });
  const t3 = performance.now();
  const unlimitedReader = escrowReader({ client: unlimited, address: d.escrow, fromBlock: d.deployBlock });
  await unlimitedReader.read();
  const readUnlimitedMs = performance.now() - t3;
  const t4 = performance.now();
  await Promise.all(Array.from({ length: 50 }, () => rpc(rpcUrl as string, "eth_getBlockByNumber", ["0x1", false])));
  const getBlockMs = (performance.now() - t4) / 50;

  // The indexer: started on the seeded chain, timed until it has caught up, then the same pages through it.
  let indexed: {
    indexing: { seconds: number; readySeconds: number; blocks: number; events: number };
    list: ReturnType<typeof indexedSummary>;
    bigTask: ReturnType<typeof indexedSummary> & { blocksRead: number };
    typicalTask: (ReturnType<typeof indexedSummary> & { blocksRead: number }) | null;
    sameAsDirect: { listRows: number; taskPages: number };
  } | null = null;
  if (INDEXER) {
    const dir = await mkdtemp(join(tmpdir(), "zklabel-bench-indexer-"));
    const deploymentFile = join(dir, "deployment.json");
    await writeFile(deploymentFile, `${JSON.stringify(benchDeployment(rpcUrl, deployed), null, 2)}\n`);
    let port = INDEXER_PORT;
    while (!(await portFree(port)) && port < INDEXER_PORT + 50) port++;
    log(`indexer: starting on port ${port}, indexing ${lastBlock - deployed.deployBlock} blocks`);
    const i0 = performance.now();
    const ix = startIndexer({ deploymentFile, port, dbDir: join(dir, "pglite"), log, timeoutMs: 900_000 });
    try {
      await ix.ready;
      const readySeconds = (performance.now() - i0) / 1000;
      while ((await app.indexed.indexedBlock(ix.url, LOCAL_CHAIN_ID)) < lastBlock)
        await new Promise((r) => setTimeout(r, 100));
      const indexingSeconds = (performance.now() - i0) / 1000;
      log(
        `indexer: caught up with block ${lastBlock} in ${indexingSeconds.toFixed(1)} s (ready after ${readySeconds.toFixed(1)} s)`,
      );
      const iList: Awaited<ReturnType<typeof loadListIndexed>>[] = [];
      const iBig: Awaited<ReturnType<typeof loadTaskPageIndexed>>[] = [];
      const iTypical: Awaited<ReturnType<typeof loadTaskPageIndexed>>[] = [];
      for (let r = 0; r < RUNS; r++) {
        iList.push(await loadListIndexed(rpcUrl, d, ix.url));
        iBig.push(await loadTaskPageIndexed(rpcUrl, d, bigId, ix.url));
        if (TASKS > 1) iTypical.push(await loadTaskPageIndexed(rpcUrl, d, typicalId, ix.url));
        log(
          `indexed run ${r + 1}/${RUNS}: list ${Math.round(iList[r].totalMs)} ms, big task ${Math.round(iBig[r].totalMs)} ms${iTypical[r] ? `, typical task ${Math.round(iTypical[r].totalMs)} ms` : ""}`,
        );
      }
      // The same numbers from both sources: every list row, and both task pages (with the direct read's tasks).
      const direct = list[0].tasks;
      const now = iList[0].now;
      const directRows = direct.map((t) => ({
        id: t.id,
        counts: app.audit.batchCounts(t),
        status: app.views.taskStatus(t, now),
        verifiers: app.audit.createdVerifiers(t),
      }));
      const differs = directRows.findIndex((row, k) => !same(row, iList[0].rows[k]));
      if (differs >= 0 || directRows.length !== iList[0].rows.length)
        throw new Error(
          `the list through the indexer differs from the direct read: ${JSON.stringify([directRows[differs], iList[0].rows[differs]], (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
        );
      let pages = 0;
      for (const page of [iBig[0], iTypical[0]]) {
        if (!page) continue;
        const t = direct.find((x) => x.id === page.task.id);
        if (!t) throw new Error(`task ${page.task.id} is missing from the direct read`);
        const view = (x: AppTask) => ({
          counts: app.audit.batchCounts(x),
          status: app.views.taskStatus(x, now),
          batches: x.batches.map((b) => b.status),
          events: x.events.map((e) => `${e.eventName}:${e.transactionHash}:${e.logIndex}`),
        });
        if (!same(view(t), view(page.task)))
          throw new Error(`task ${page.task.id}'s page through the indexer differs from the direct read`);
        pages++;
      }
      log(`indexer: the list's ${directRows.length} rows and ${pages} task pages equal the direct read's`);
      const [events] = (await (
        await fetch(
          `${ix.url}/sql/db?sql=${encodeURIComponent(JSON.stringify({ json: { sql: "select count(*) as n from escrow_event", params: [] } }))}`,
        )
      )
        .json()
        .then((j: { rows: { n: string | number }[] }) => j.rows.map((x) => Number(x.n)))
        .catch(() => [Number.NaN])) as number[];
      indexed = {
        indexing: {
          seconds: Number(indexingSeconds.toFixed(1)),
          readySeconds: Number(readySeconds.toFixed(1)),
          blocks: Number(lastBlock - deployed.deployBlock),
          events,
        },
        list: indexedSummary("auditor task list (/audit), indexer", iList),
        bigTask: { ...indexedSummary(`task page #${bigId}, indexer`, iBig), blocksRead: iBig[0].blocksRead },
        typicalTask: iTypical.length
          ? { ...indexedSummary(`task page #${typicalId}, indexer`, iTypical), blocksRead: iTypical[0].blocksRead }
          : null,
        sameAsDirect: { listRows: directRows.length, taskPages: pages },
      };
    } finally {
      await ix.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }

  const summary = (
    name: string,
    runs: Awaited<ReturnType<typeof loadTaskPage>>[] | Awaited<ReturnType<typeof loadList>>[],
  ) => ({
    name,
    medianMs: Math.round(median(runs.map((r) => r.totalMs))),
    runsMs: runs.map((r) => Math.round(r.totalMs)),
    parts: medianParts(runs),
    getLogsRequests: runs[0].getLogsRequests,
    /** The first run's eth_getLogs pages (every run asks for the same ones). */
    pages: runs[0].pages,
  });
  const results = {
    list: { ...summary("auditor task list (/audit)", list), tasks: TASKS, events: list[0].events },
    bigTask: {
      ...summary(`task page, biggest task #${bigId} (/audit/${bigId})`, big),
      taskId: bigId.toString(),
      batches: perTask[0],
      taskBatches: big[0].taskBatches,
      taskEvents: big[0].taskEvents,
      blocksRead: big[0].blocksRead,
    },
    typicalTask: typical.length
      ? {
          ...summary(`task page, typical task #${typicalId} (/audit/${typicalId})`, typical),
          taskId: typicalId.toString(),
          batches: perTask[perTask.length - 1],
          taskBatches: typical[0].taskBatches,
          taskEvents: typical[0].taskEvents,
          blocksRead: typical[0].blocksRead,
        }
      : null,
  };
  const overThreshold = [
    ...Object.entries(results)
      .filter(([, r]) => r && r.medianMs > THRESHOLD_MS)
      .map(([k]) => k),
    ...Object.entries(indexed ?? {})
      .filter(
        ([k, r]) =>
          k !== "indexing" && k !== "sameAsDirect" && r && (r as { medianMs: number }).medianMs > THRESHOLD_MS,
      )
      .map(([k]) => `indexed.${k}`),
  ];
  const out = {
    date: new Date().toISOString(),
    machine: machineInfo(loadAtStart, loadAtTiming),
    chain: {
      rpc: RPC ? "given (--rpc)" : "Hardhat node started by this script",
      chainId: LOCAL_CHAIN_ID,
      blocks: Number(lastBlock),
    },
    params: {
      tasks: TASKS,
      batches: BATCHES,
      runs: RUNS,
      batchesPerTransaction: PER_TX,
      batchSize: N,
      publicInputs: PUBLIC_INPUTS,
      spread:
        "the first task sent holds a fifth of the batches, the others share the rest evenly; each task has a quarter more batches left open",
      quick: QUICK,
    },
    seeding: {
      seconds: Number(seedSeconds.toFixed(1)),
      createTaskSeconds: Number(seeded.createSeconds.toFixed(1)),
      submitBatchesSeconds: Number(seeded.submitSeconds.toFixed(1)),
      transactions: seeded.transactions,
    },
    thresholdMs: THRESHOLD_MS,
    overThreshold,
    results,
    /** Through the indexer (--indexer): its catch-up time and the same pages' medians; null without --indexer. */
    indexed,
    diagnostics: {
      rawGetLogs: {
        logs: rawLogs.length,
        bytes: text.length,
        fetchMs: Math.round(fetchMs),
        jsonParseMs: Math.round(parseMs),
        decodeMs: Math.round(decodeMs),
      },
      readWithoutResponseLimit: { ms: Math.round(readUnlimitedMs), getLogsRequests: unlimitedReader.requests },
      getBlockMsEach: Number(getBlockMs.toFixed(2)),
    },
  };

  const ms = (x: number | undefined) => (x === undefined ? "-" : String(Math.round(x))).padStart(8);
  console.log(
    `\n${TASKS} tasks, ${BATCHES} batches, ${list[0].events} escrow events, ${lastBlock} blocks; seeded in ${seedSeconds.toFixed(1)} s (${seeded.transactions} transactions); median of ${RUNS}, ms`,
  );
  console.log(
    `${"page".padEnd(44)}${"total".padStart(8)}${"events".padStart(8)}${"build".padStart(8)}${"blocks".padStart(8)}${"(n)".padStart(6)}${"getTask".padStart(8)}  runs`,
  );
  for (const r of [results.list, results.bigTask, results.typicalTask]) {
    if (!r) continue;
    const p = r.parts as Record<string, number>;
    const n = "blocksRead" in r ? String(r.blocksRead) : "-";
    console.log(
      `${r.name.padEnd(44)}${ms(r.medianMs)}${ms(p.readMs)}${ms(p.buildMs)}${ms(p.blockTimesMs)}${n.padStart(6)}${ms(p.getTaskMs)}  ${r.runsMs.join(", ")}`,
    );
  }
  console.log(
    `\nevents: escrowReader(...).read() (${results.list.getLogsRequests} eth_getLogs); build: tasksFromLogs (+ find); blocks: useBlockTimes' n getBlock calls, at once`,
  );
  const pageText = (x: Page) =>
    `${x.fromBlock}-${x.toBlock} ${x.ms} ms ${x.error ? `refused (${x.error}${x.bytes ? ` ${(x.bytes / 2 ** 20).toFixed(1)} MiB` : ""})` : `${x.logs} events`}`;
  console.log(`the list's eth_getLogs pages (run 1): ${results.list.pages.map(pageText).join("; ")}`);
  console.log(
    `all ${rawLogs.length} events in one eth_getLogs by hand: ${Math.round(fetchMs)} ms to receive ${(text.length / 2 ** 20).toFixed(1)} MiB, ${Math.round(parseMs)} ms JSON.parse, ${Math.round(decodeMs)} ms viem parseEventLogs`,
  );
  console.log(
    `the same read with viem's 10 MiB response limit raised: ${Math.round(readUnlimitedMs)} ms (${unlimitedReader.requests} eth_getLogs); one getBlock ${getBlockMs.toFixed(1)} ms (50 at once)`,
  );
  if (indexed) {
    const x = indexed.indexing;
    console.log(
      `\nthrough the indexer (Ponder, PGlite): caught up with ${x.blocks} blocks (${x.events} task events) in ${x.seconds} s (ready after ${x.readySeconds} s)`,
    );
    console.log(`${"page".padEnd(44)}${"total".padStart(8)}${"read".padStart(8)}${"direct".padStart(8)}  runs`);
    for (const [r, d] of [
      [indexed.list, results.list],
      [indexed.bigTask, results.bigTask],
      [indexed.typicalTask, results.typicalTask],
    ] as const) {
      if (!r || !d) continue;
      console.log(
        `${r.name.padEnd(44)}${ms(r.medianMs)}${ms(r.parts.readMs)}${ms(d.medianMs)}  ${r.runsMs.join(", ")}`,
      );
    }
    console.log(
      `the same numbers from both sources: ${indexed.sameAsDirect.listRows} list rows, ${indexed.sameAsDirect.taskPages} task pages`,
    );
  }
  console.log(
    overThreshold.length
      ? `over ${THRESHOLD_MS} ms: ${overThreshold.join(", ")}`
      : `every page's data loads within ${THRESHOLD_MS} ms`,
  );
  const given = option("--out");
  const file = given
    ? resolve(CWD, given)
    : join(ROOT, QUICK ? "build/bench" : "bench/results", `read${QUICK ? "-quick" : ""}-${out.date.slice(0, 10)}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${relative(CWD, file) || file}`);
} finally {
  await stopNode?.();
}
process.exit(0);
