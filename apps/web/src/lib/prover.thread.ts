/**
 * The prover thread (a Web Worker), off the main thread: downloads a batch from the vault
 * (proving anonymous membership with the access circuit) or proves a labeled batch with the
 * task's rule circuit, for any rule, through the SDK's one proveBatch. Circuit files are cached
 * with the Cache API and kept in memory; snarkjs starts its own sub-threads. The page keeps this
 * thread between jobs (lib/prover-client.ts), so a later proof finds the circuit (and snarkjs's
 * curve) loaded.
 */

import { errorCode, type RuleViolationError } from "@zklabel/core/errors";
import { randomField } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { BatchSlice } from "@zklabel/core/merkle";
import { rejectCircuit, ruleCircuit } from "@zklabel/core/rules";
import { describeError } from "@zklabel/sdk/errors";
import { proveBatch } from "@zklabel/sdk/prove";
import { proveRejection } from "@zklabel/sdk/review";
import { taskRule } from "@zklabel/sdk/task-info";
import { VAULT_ACCESS_CIRCUIT, VaultClient } from "@zklabel/sdk/vault";
import type { ProverEvent, ProverRequest, ProverStage, RejectRequest } from "./prover-protocol";

const scope = globalThis as unknown as {
  postMessage(message: ProverEvent, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (e: MessageEvent<ProverRequest>) => void): void;
  location: { origin: string };
};

const post = (m: ProverEvent, transfer?: Transferable[]) => scope.postMessage(m, transfer);
const stage = (s: ProverStage) => post({ type: "stage", stage: s });
const onProgress = (p: { stage: string; phase: string }) => {
  if (p.phase === "start") stage(p.stage as ProverStage);
};

scope.addEventListener("message", (e) => {
  void run(e.data);
});

async function run(req: ProverRequest): Promise<void> {
  try {
    if (req.kind === "reject") {
      await reject(req);
      return;
    }
    const identity = Identity.import(req.identityKey);
    const group = workerGroup(req.groupLeaves);
    if (req.kind === "fetch") {
      stage("circuit");
      const artifacts = await loadCircuit(VAULT_ACCESS_CIRCUIT);
      const t0 = performance.now();
      const batch = await new VaultClient(req.vaultUrl).fetchBatch({
        task: req.task,
        batchIndex: req.batchIndex,
        identity,
        group,
        artifacts,
        onProgress,
      });
      const items = batch.items.map((x) => ({
        index: x.index,
        name: x.name,
        type: x.type,
        bytes: x.bytes,
        contentHash: x.contentHash,
        leaf: x.leaf,
        width: x.width,
        height: x.height,
        readings: x.readings,
        fields: x.fields,
      }));
      const s = batch.slice;
      post(
        {
          type: "fetched",
          items,
          slice: {
            depth: s.depth,
            chunk: s.chunk,
            size: s.size,
            batchIndex: s.batchIndex,
            leaves: [...s.leaves],
            path: [...s.path],
          },
          ms: performance.now() - t0,
        },
        items.map((x) => x.bytes.buffer as ArrayBuffer),
      );
      return;
    }
    // An unknown rule id is an error here (code unknown_rule), never another rule's circuit.
    const rule = taskRule(req.task);
    const circuit = ruleCircuit(rule);
    stage("circuit");
    const c0 = performance.now();
    const artifacts = await loadCircuit(circuit.name);
    const c1 = performance.now();
    const shape = rule.batchShape(req.task.datasetDepth, req.task.batchSize);
    if (req.slice.leaves.length !== shape.leaves)
      throw new Error(
        `the batch's slice has ${req.slice.leaves.length} leaves; a ${rule.noun} batch has ${shape.leaves}`,
      );
    const slice = new BatchSlice({ ...req.slice, root: req.task.datasetRoot });
    const res = await proveBatch({
      task: req.task,
      chainId: BigInt(req.chainId),
      escrow: req.escrow,
      batchIndex: req.batchIndex,
      identity,
      group,
      recipient: req.recipient,
      relayerFeeBps: req.relayerFeeBps,
      salt: randomField(),
      artifacts,
      onProgress,
      dataset: { slice, items: req.items },
      labels: req.labels,
    });
    post({
      type: "proved",
      proof: res.proof,
      publicSignals: res.publicSignals,
      timings: { circuitMs: c1 - c0, provingMs: performance.now() - c1 },
      fromCache: artifacts.fromCache,
      circuit: circuit.name,
    });
  } catch (e) {
    const code = errorCode(e);
    post({
      type: "error",
      message: describeError(e).message,
      code,
      issues: code === "rule_violation" ? [...(e as RuleViolationError).issues] : undefined,
    });
  }
}

/** A gold rejection: the rule's rejection circuit over the batch's decrypted labels and the gold openings. */
async function reject(req: RejectRequest): Promise<void> {
  const rule = taskRule(req.task);
  const circuit = rejectCircuit(rule);
  stage("circuit");
  const c0 = performance.now();
  const artifacts = await loadCircuit(circuit.name);
  const c1 = performance.now();
  stage("proof");
  const res = await proveRejection({
    task: req.task,
    batch: req.batch,
    openings: req.openings,
    minAccuracy: req.minAccuracy,
    goldThreshold: req.goldThreshold,
    artifacts,
  });
  post({
    type: "rejection",
    proof: res.proof,
    publicSignals: res.publicSignals,
    bound: res.bound,
    gold: res.gold,
    correct: res.correct,
    timings: { circuitMs: c1 - c0, provingMs: performance.now() - c1 },
    fromCache: artifacts.fromCache,
    circuit: circuit.name,
  });
}

const CACHE_PREFIX = "zklabel-circuit-";

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

type CircuitFiles = { wasm: Uint8Array; zkey: Uint8Array; fromCache: boolean };
/** Circuit files this thread loaded, by cache name (circuit and version): later jobs read them from memory. */
const inMemory = new Map<string, Promise<CircuitFiles>>();

/**
 * The circuit's .wasm and .zkey: from this thread's memory, else from the Cache API when this
 * exact circuit was downloaded before, else downloaded. Both are keyed by the verification key's
 * hash, so a rebuilt circuit never proves with a stale proving key.
 */
async function loadCircuit(name: string): Promise<CircuitFiles> {
  const base = `${scope.location.origin}/circuits/${name}`;
  const vkeyRes = await fetch(`${base}.vkey.json`, { cache: "no-store" });
  if (!vkeyRes.ok) {
    throw new Error(
      `the circuit files are missing (${base}.vkey.json: HTTP ${vkeyRes.status}); build them with \`node scripts/circuits/build.ts\` or start the product with \`npm run dev\``,
    );
  }
  const version = (await sha256Hex(await vkeyRes.arrayBuffer())).slice(0, 16);
  const cacheName = `${CACHE_PREFIX}${name}-${version}`;
  for (const key of inMemory.keys())
    if (key.startsWith(`${CACHE_PREFIX}${name}-`) && key !== cacheName) {
      inMemory.delete(key);
      arrived.delete(key);
    }
  let loading = inMemory.get(cacheName);
  if (!loading) {
    loading = fetchCircuit(base, name, cacheName);
    inMemory.set(cacheName, loading);
    loading.then(
      () => arrived.add(cacheName),
      () => inMemory.delete(cacheName),
    );
  } else if (arrived.has(cacheName)) {
    const files = await loading;
    const size = files.wasm.length + files.zkey.length;
    post({ type: "download", loaded: size, total: size, fromCache: true });
    return { ...files, fromCache: true };
  }
  // Downloading now, or already downloading for an earlier request (the files fetched while the worker labeled).
  return loading;
}
/** The cache names of the circuits in `inMemory` whose files arrived. */
const arrived = new Set<string>();

/** Downloads the circuit's files, or reads them from the Cache API (`cacheName`, the circuit's current version). */
async function fetchCircuit(base: string, name: string, cacheName: string): Promise<CircuitFiles> {
  let cache: Cache | undefined;
  try {
    if ("caches" in globalThis) {
      for (const key of await caches.keys()) {
        if (key.startsWith(`${CACHE_PREFIX}${name}-`) && key !== cacheName) await caches.delete(key);
      }
      cache = await caches.open(cacheName);
    }
  } catch {
    cache = undefined; // no Cache API (e.g. an insecure origin): download every time
  }

  const files = [`${base}.wasm`, `${base}.zkey`];
  const cached = await Promise.all(files.map((url) => cache?.match(url)));
  const fromCache = cached.every((r) => r !== undefined);
  const loaded = [0, 0];
  const totals: (number | null)[] = [null, null];
  let lastPost = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    const total = totals.every((t) => t !== null) ? (totals as number[]).reduce((a, b) => a + b, 0) : null;
    post({ type: "download", loaded: loaded[0] + loaded[1], total, fromCache });
  };

  const [wasm, zkey] = await Promise.all(
    files.map(async (url, i) => {
      const hit = cached[i];
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        loaded[i] = totals[i] = bytes.length;
        report(true);
        return bytes;
      }
      const res = await fetch(url);
      if (!res.ok || !res.body) throw new Error(`downloading ${url} failed: HTTP ${res.status}`);
      const length = Number(res.headers.get("content-length"));
      // A compressed response's length is not the length of the bytes we read.
      totals[i] = length > 0 && !res.headers.get("content-encoding") ? length : null;
      const chunks: Uint8Array[] = [];
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded[i] += value.length;
        report();
      }
      const bytes = new Uint8Array(loaded[i]);
      let off = 0;
      for (const c of chunks) {
        bytes.set(c, off);
        off += c.length;
      }
      totals[i] = bytes.length;
      await cache
        ?.put(
          url,
          new Response(bytes, {
            headers: { "content-type": res.headers.get("content-type") ?? "application/octet-stream" },
          }),
        )
        .catch(() => {});
      return bytes;
    }),
  );
  report(true);
  return { wasm, zkey, fromCache };
}
