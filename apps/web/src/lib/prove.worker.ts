/**
 * The proving worker: downloads the circuit (cached with the Cache API), builds the
 * witness input with the shared encodings and proves with snarkjs, off the main thread.
 * snarkjs starts its own sub-workers (blob: URLs) for the multi-threaded curve.
 */
import { classificationWorkerInput } from "@zklabel/core/classification";
import { textLeaf } from "@zklabel/core/demo";
import { randomField } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity, workerSecret } from "@zklabel/core/identity";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { proveBatch, UnprovableBatchError } from "@zklabel/core/prove";
import { circuitInfo } from "@zklabel/core/registry";
import type { ProveEvent, ProveRequest } from "./prove-protocol";

const scope = globalThis as unknown as {
  postMessage(message: ProveEvent): void;
  addEventListener(type: "message", listener: (e: MessageEvent<ProveRequest>) => void): void;
  location: { origin: string };
};

const post = (m: ProveEvent) => scope.postMessage(m);

scope.addEventListener("message", (e) => {
  void prove(e.data);
});

async function prove(req: ProveRequest): Promise<void> {
  try {
    const d = req.deployment;
    const circuit = circuitInfo(d.circuit);
    if (circuit.params.N !== d.batchSize || circuit.params.DEPTH !== d.datasetDepth) {
      throw new Error(
        `circuit ${circuit.name} (N ${circuit.params.N}, depth ${circuit.params.DEPTH}) does not match the deployment (batch ${d.batchSize}, depth ${d.datasetDepth})`,
      );
    }

    post({ type: "stage", stage: "download" });
    const t0 = performance.now();
    const artifacts = await loadCircuit(circuit.name);
    const t1 = performance.now();

    post({ type: "stage", stage: "prepare", detail: "building the witness input" });
    const task = d.demoTask;
    const tree = new DatasetTree(
      d.datasetDepth,
      task.items.map((text) => textLeaf(text)),
      datasetChunk(d.batchSize),
    );
    const { input, publicSignals } = classificationWorkerInput({
      circuit,
      tree,
      task: {
        pkR: [BigInt(task.pkR[0]), BigInt(task.pkR[1])],
        goldRoot: BigInt(task.goldRoot),
        taskId: BigInt(task.taskId),
        chainId: BigInt(d.chainId),
        contract: BigInt(d.escrow),
      },
      params: { numClasses: task.numClasses, allowedMask: BigInt(task.allowedMask) },
      batchIndex: req.batchIndex,
      labels: req.labels,
      salt: randomField(),
      recipient: BigInt(req.recipient),
      identity: workerSecret(Identity.import(req.identityKey)),
      group: workerGroup(req.groupLeaves.map(BigInt)),
    });
    if (publicSignals.length !== d.publicInputCount) {
      throw new Error(
        `circuit ${circuit.name} has ${publicSignals.length} public inputs, the deployed escrow takes ${d.publicInputCount}: restart the product with \`npm run dev\``,
      );
    }
    if (req.expectedTaskHash !== undefined && publicSignals[0] !== BigInt(req.expectedTaskHash)) {
      throw new Error(
        "the task data in deployment.json does not match the task on-chain (taskHash differs); restart the product with `npm run dev`",
      );
    }
    const t2 = performance.now();

    post({ type: "stage", stage: "proving" });
    const res = await proveBatch(input, publicSignals, artifacts);
    const t3 = performance.now();
    post({
      type: "done",
      proof: res.proof,
      publicSignals: res.publicSignals,
      timings: { downloadMs: t1 - t0, prepareMs: t2 - t1, provingMs: t3 - t2 },
      fromCache: artifacts.fromCache,
    });
  } catch (e) {
    post({
      type: "error",
      message: e instanceof Error ? e.message : String(e),
      unprovable: e instanceof UnprovableBatchError,
    });
  }
}

const CACHE_PREFIX = "zklabel-circuit-";

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The circuit's .wasm and .zkey, from the Cache API when this exact circuit was
 * downloaded before. The cache is keyed by the verification key's hash, so a
 * rebuilt circuit never proves with a stale proving key.
 */
async function loadCircuit(name: string): Promise<{ wasm: Uint8Array; zkey: Uint8Array; fromCache: boolean }> {
  const base = `${scope.location.origin}/circuits/${name}`;
  const vkeyRes = await fetch(`${base}.vkey.json`, { cache: "no-store" });
  if (!vkeyRes.ok) {
    throw new Error(
      `the circuit files are missing (${base}.vkey.json: HTTP ${vkeyRes.status}); build them with \`node scripts/circuits/build.ts\` or start the product with \`npm run dev\``,
    );
  }
  const version = (await sha256Hex(await vkeyRes.arrayBuffer())).slice(0, 16);
  const cacheName = `${CACHE_PREFIX}${name}-${version}`;
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
