/**
 * The data vault's wire protocol and its client (browser and Node). A requester uploads a
 * dataset once (resumable: an interrupted upload continues where it stopped; nothing is
 * registered until every item has arrived and checked). A worker downloads one batch by
 * presenting a zero-knowledge proof of membership in the task's worker group for that
 * (task, batch), bound to a single-use challenge: the vault never learns which member asked.
 * The client re-checks every item it receives against the task's on-chain dataset root.
 */

import { ACCESS_CIRCUIT, accessInput } from "@zklabel/core/access";
import { itemName } from "@zklabel/core/display";
import { ZkLabelError } from "@zklabel/core/errors";
import { contentHash } from "@zklabel/core/field";
import type { workerGroup } from "@zklabel/core/group";
import { type Identity, workerSecret } from "@zklabel/core/identity";
import { typeFromName } from "@zklabel/core/items";
import { BatchSlice, type DatasetTree } from "@zklabel/core/merkle";
import { type ProvingArtifacts, proveCircuit } from "@zklabel/core/prove";
import { ruleById } from "@zklabel/core/rules";
import { z } from "zod";
import { batchShape, checkManifest, DATASET_KINDS, type ItemFacts, itemFacts, type Manifest } from "./dataset.ts";
import { type ProveProgress, runStages } from "./progress.ts";

/** MIME types a vault stores by default; anything else is refused at upload. */
export const DEFAULT_ITEM_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
  "text/plain",
  "text/csv",
  "application/json",
] as const;

/** The type an item's name suggests (re-exported from @zklabel/core/items). */
export { typeFromName };

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x);

/**
 * Whether `bytes` really are of `type` (magic numbers for images, valid UTF-8 for text), so a
 * vault does not store an executable called cat.png. Returns the problem in words, or null.
 */
export function contentTypeProblem(bytes: Uint8Array, type: string): string | null {
  switch (type) {
    case "image/png":
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ? null : "is not a PNG image";
    case "image/jpeg":
      return startsWith(bytes, [0xff, 0xd8, 0xff]) ? null : "is not a JPEG image";
    case "image/gif":
      return startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) ? null : "is not a GIF image";
    case "image/webp":
      return startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
        ? null
        : "is not a WebP image";
    case "text/plain":
    case "text/csv":
    case "application/json":
      try {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        if (type === "application/json") JSON.parse(text);
        return null;
      } catch {
        return type === "application/json" ? "is not valid JSON" : "is not UTF-8 text";
      }
    default:
      return `has a type (${type}) this vault does not store`;
  }
}

const hex = z.string().regex(/^0x[0-9a-f]{1,64}$/);
const dec = z.string().regex(/^\d+$/);

/** POST /v1/uploads: start (or resume) the upload of a dataset. */
export const uploadStartSchema = z.object({
  manifest: z.unknown(),
  /** Per item, in manifest order: its MIME type and size in bytes. */
  items: z.array(z.object({ type: z.string(), size: z.number().int().min(0) })),
});
/** An upload's opening request. */
export type UploadStart = z.infer<typeof uploadStartSchema>;

/** An upload's state: which items the vault already holds. */
export const uploadStatusSchema = z.object({
  uploadId: z.string(),
  root: hex,
  count: z.number().int(),
  received: z.number().int(),
  /** Indexes still missing (all of them for a new upload). */
  missing: z.array(z.number().int()),
  /** True once the dataset is registered (then nothing is missing). */
  complete: z.boolean(),
});
/** An upload's state, parsed. */
export type UploadStatus = z.infer<typeof uploadStatusSchema>;

/** POST /v1/challenges: a single-use nonce for one access proof. */
export const challengeSchema = z.object({ challenge: dec, expiresAt: z.number().int() });

/** POST /v1/tasks/:task/batches/:batch: the access proof. */
export const batchRequestSchema = z.object({
  proof: z.object({
    pi_a: z.array(dec),
    pi_b: z.array(z.array(dec)),
    pi_c: z.array(dec),
    protocol: z.string().optional(),
    curve: z.string().optional(),
  }),
  publicSignals: z.array(dec),
});
/** A batch request, parsed. */
export type BatchRequest = z.infer<typeof batchRequestSchema>;

/** The vault's answer: the batch's items and what proves they are the dataset's. */
export const batchResponseSchema = z.object({
  taskId: dec,
  batchIndex: z.number().int(),
  datasetRoot: hex,
  /** The dataset's kind (absent: "content"). */
  kind: z.enum(DATASET_KINDS).optional(),
  depth: z.number().int(),
  chunk: z.number().int(),
  itemCount: z.number().int(),
  /** The batch's N leaves (zero past the last item), hex. */
  leaves: z.array(hex),
  /** Siblings of the batch subtree up to the root, hex. */
  path: z.array(hex),
  items: z.array(z.object({ index: z.number().int(), name: z.string(), type: z.string(), data: z.string() })),
});
/** A batch response, parsed. */
export type BatchResponse = z.infer<typeof batchResponseSchema>;

/** An error body: what is wrong, in words, and a stable code. */
export const errorSchema = z.object({ error: z.string(), code: z.string() });

/** A refusal or failure from a vault, with the vault's words and HTTP status. */
export class VaultError extends ZkLabelError {
  override name = "VaultError";
  /** HTTP status; 0 when the answer failed a check here, or never came. */
  readonly status: number;
  /** The vault's own reason code ("batch_taken", "bad_manifest", ...), or this client's. */
  readonly reason: string;
  constructor(message: string, status: number, reason: string) {
    super(
      reason === "unreachable" ? "vault_unreachable" : status === 0 ? "vault_bad_answer" : "vault_refused",
      message,
    );
    this.status = status;
    this.reason = reason;
  }
}

/** One downloaded item, checked against its leaf, with what the rule reads of it (readings, image size). */
export interface FetchedItem extends ItemFacts {
  index: number;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A downloaded batch: its items and the slice of the dataset tree a proof needs. */
export interface FetchedBatch {
  batchIndex: number;
  items: FetchedItem[];
  slice: BatchSlice;
}

const toHex = (x: bigint) => `0x${x.toString(16)}`;
const b64encode = (b: Uint8Array) => {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
};
const b64decode = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export { b64decode, b64encode };

/** A vault's HTTP API: upload a dataset (requester), fetch a batch (worker). */
export class VaultClient {
  readonly url: string;
  readonly token?: string;
  private readonly fetchImpl: typeof fetch;

  /** `url` is the vault's base URL; `token` the operator's upload token, when it requires one. */
  constructor(url: string, opts: { token?: string; fetch?: typeof fetch } = {}) {
    this.url = url.replace(/\/+$/, "");
    this.token = opts.token;
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** GET /v1/health: the vault is up (throws a VaultError that says where it looked otherwise). */
  async health(): Promise<{ ok: boolean; datasets: number }> {
    return (await this.call("GET", "/v1/health")) as { ok: boolean; datasets: number };
  }

  /**
   * Uploads a dataset: starts or resumes the upload of `manifest`, sends every item the vault
   * does not hold yet (`bytesOf(index)` reads one; `typeOf` names its MIME type), then commits.
   * Interrupted, it can simply be called again: only the missing items are sent.
   */
  async uploadDataset(args: {
    manifest: Manifest;
    bytesOf: (index: number) => Uint8Array | Promise<Uint8Array>;
    sizes: readonly number[];
    typeOf?: (index: number) => string;
    onProgress?: (done: number, total: number) => void;
    concurrency?: number;
    signal?: AbortSignal;
  }): Promise<UploadStatus> {
    const m = args.manifest;
    const typeOf = args.typeOf ?? ((i: number) => typeFromName(m.items[i].name));
    const start: UploadStart = {
      manifest: m,
      items: m.items.map((_, i) => ({ type: typeOf(i), size: args.sizes[i] })),
    };
    let status = uploadStatusSchema.parse(await this.call("POST", "/v1/uploads", start));
    if (status.complete) {
      args.onProgress?.(m.count, m.count);
      return status;
    }
    let done = m.count - status.missing.length;
    args.onProgress?.(done, m.count);
    const queue = [...status.missing];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        args.signal?.throwIfAborted();
        const bytes = await args.bytesOf(i);
        if (toHex(contentHash(bytes)) !== m.items[i].contentHash) {
          throw new VaultError(
            `${itemName(i)} ("${m.items[i].name}") has changed since the manifest was built: rebuild the manifest`,
            0,
            "item_changed",
          );
        }
        await this.call("PUT", `/v1/uploads/${status.uploadId}/items/${i}`, bytes, args.signal);
        args.onProgress?.(++done, m.count);
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.concurrency ?? 4, queue.length) }, worker));
    status = uploadStatusSchema.parse(await this.call("POST", `/v1/uploads/${status.uploadId}/commit`));
    return status;
  }

  /**
   * The public manifest of a dataset the vault holds (items named "#1", "#2", ...: file names
   * stay with the requester), checked: its items must hash to `root`.
   */
  async manifest(root: bigint): Promise<{ manifest: Manifest; tree: DatasetTree }> {
    const json = await this.call("GET", `/v1/datasets/0x${root.toString(16)}/manifest`);
    const checked = checkManifest(json);
    if (checked.tree.root !== root)
      throw new VaultError(
        `the vault's manifest is for root ${checked.manifest.root}, not 0x${root.toString(16)}`,
        0,
        "wrong_root",
      );
    return checked;
  }

  /** An upload's state (for resuming by hand). */
  async uploadStatus(uploadId: string): Promise<UploadStatus> {
    return uploadStatusSchema.parse(await this.call("GET", `/v1/uploads/${uploadId}`));
  }

  /** Abandons an upload: the vault deletes what it received, nothing is registered. */
  async abortUpload(uploadId: string): Promise<void> {
    await this.call("DELETE", `/v1/uploads/${uploadId}`);
  }

  /**
   * Downloads batch `batchIndex` of a task as an anonymous member of its worker group: asks for
   * a challenge, proves membership for (taskHash, batch, challenge) with the access circuit,
   * and checks every item and the batch's path against `task.datasetRoot` (the chain's).
   */
  async fetchBatch(args: {
    /** The task as the chain has it; `ruleId` says how the items become leaves (classification when absent). */
    task: { taskId: bigint; taskHash: bigint; datasetRoot: bigint; batchSize: number; ruleId: number };
    batchIndex: number;
    identity: Identity;
    group: ReturnType<typeof workerGroup>;
    /** The access circuit's wasm and zkey (vault_access_g20). */
    artifacts: ProvingArtifacts;
    onProgress?: (p: ProveProgress) => void;
    signal?: AbortSignal;
  }): Promise<FetchedBatch> {
    const { task, batchIndex } = args;
    const body = await runStages<BatchResponse>(
      [
        ["challenge", async () => challengeSchema.parse(await this.call("POST", "/v1/challenges", {}, args.signal))],
        [
          "prove",
          async (c: { challenge: string }) => {
            const { input, publicSignals } = accessInput({
              identity: workerSecret(args.identity),
              group: args.group,
              taskHash: task.taskHash,
              batchIndex: BigInt(batchIndex),
              challenge: BigInt(c.challenge),
            });
            const p = await proveCircuit(input, publicSignals, args.artifacts);
            return { proof: p.raw, publicSignals: p.publicSignals.map(String) };
          },
        ],
        [
          "download",
          async (req: unknown) =>
            batchResponseSchema.parse(
              await this.call("POST", `/v1/tasks/${task.taskId}/batches/${batchIndex}`, req, args.signal),
            ),
        ],
      ],
      { onProgress: args.onProgress, signal: args.signal },
    );
    if (BigInt(body.datasetRoot) !== task.datasetRoot) {
      throw new VaultError(
        `the vault served dataset ${body.datasetRoot}, but task ${task.taskId}'s dataset root on-chain is ${toHex(task.datasetRoot)}`,
        0,
        "wrong_dataset",
      );
    }
    const rule = ruleById(task.ruleId);
    const kind = rule.datasetKind;
    if ((body.kind ?? "content") !== kind) {
      throw new VaultError(
        `the vault holds a ${body.kind ?? "content"} dataset; this task's rule reads a ${kind} dataset`,
        0,
        "wrong_dataset",
      );
    }
    const shape = batchShape(kind, body.depth, task.batchSize);
    if (body.leaves.length !== shape.leaves) {
      throw new VaultError(
        `the vault sent ${body.leaves.length} leaves for a batch of ${task.batchSize} (${shape.leaves} expected)`,
        0,
        "bad_batch",
      );
    }
    // The slice recomputes the dataset root from the leaves and the path: the chain's root, or an error.
    const slice = new BatchSlice({
      depth: shape.depth,
      chunk: shape.chunk,
      size: Math.ceil(body.itemCount / shape.itemsPerLeaf),
      root: task.datasetRoot,
      batchIndex,
      leaves: body.leaves.map(BigInt),
      path: body.path.map(BigInt),
    });
    const items: FetchedItem[] = body.items.map((it) => {
      const bytes = b64decode(it.data);
      const slot = it.index - batchIndex * task.batchSize;
      const bad = () =>
        new VaultError(
          `${itemName(it.index)} from the vault is not the dataset's ${itemName(it.index)}`,
          0,
          "bad_item",
        );
      if (slot < 0 || slot >= task.batchSize) throw bad();
      let facts: ItemFacts;
      try {
        facts = itemFacts(kind, it.name, bytes, it.type);
      } catch {
        throw bad();
      }
      return { index: it.index, name: it.name, type: it.type, bytes, ...facts };
    });
    // The items (with what the rule reads of them: sizes, readings) must hash to the slice's leaves.
    let leaves: bigint[];
    try {
      leaves = rule.leavesOf(items);
    } catch {
      throw new VaultError("the vault's items lack what the rule reads of them", 0, "bad_item");
    }
    const off = leaves.findIndex((n, j) => n !== slice.leaves[j]);
    if (off >= 0) {
      const first = batchIndex * task.batchSize + off * shape.itemsPerLeaf;
      throw new VaultError(`${itemName(first)} from the vault does not match the dataset's leaves`, 0, "bad_item");
    }
    const expected = Math.min(task.batchSize, body.itemCount - batchIndex * task.batchSize);
    if (items.length !== expected) {
      throw new VaultError(`the vault sent ${items.length} items; batch ${batchIndex} has ${expected}`, 0, "bad_batch");
    }
    return { batchIndex, items, slice };
  }

  private async call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      headers["content-type"] = "application/octet-stream";
      payload = body as BodyInit;
    } else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.url}${path}`, { method, headers, body: payload, signal });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new VaultError(
        `cannot reach the vault at ${this.url} (${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}): is it running, and is the URL right?`,
        0,
        "unreachable",
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new VaultError(
        `${this.url} answered ${res.status} with something that is not a vault's JSON`,
        res.status,
        "not_a_vault",
      );
    }
    if (!res.ok) {
      const e = errorSchema.safeParse(json);
      throw new VaultError(
        e.success ? e.data.error : `the vault answered ${res.status}`,
        res.status,
        e.success ? e.data.code : "http",
      );
    }
    return json;
  }
}

/** The access circuit's registry name (its artifacts are build/circuits/<name>/ or /circuits/<name>.* in the app). */
export const VAULT_ACCESS_CIRCUIT = ACCESS_CIRCUIT;
