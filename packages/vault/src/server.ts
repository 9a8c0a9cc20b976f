/**
 * The data vault's HTTP server (docs/protocol.md "Data vault"). Requesters upload datasets
 * (validated, resumable, registered all at once); workers download one batch at a time with a
 * zero-knowledge proof of membership in the task's worker group for that (task, batch), bound
 * to a single-use challenge. Before serving, the vault checks the batch against the task's
 * on-chain dataset root: the stored bytes hash to the leaves, the leaves and path to the root.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { accessPublicOf } from "@zklabel/core/access";
import { itemName } from "@zklabel/core/display";
import { errorCode, ZkLabelError } from "@zklabel/core/errors";
import { contentHash, SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import type { DatasetTree } from "@zklabel/core/merkle";
import { kindRule } from "@zklabel/core/rules";
import { createService, isLoopback, listen, Refusal } from "@zklabel/http/service";
import { batchShape, checkManifest, datasetTree, itemFacts } from "@zklabel/sdk/dataset";
import {
  b64encode,
  batchRequestSchema,
  contentTypeProblem,
  DEFAULT_ITEM_TYPES,
  type UploadStatus,
  uploadStartSchema,
} from "@zklabel/sdk/vault";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as snarkjs from "snarkjs";
import type { StoredUpload, VaultStorage } from "./storage.ts";

/** What the vault needs to know about a task, from the chain. */
export interface VaultTask {
  taskId: bigint;
  taskHash: bigint;
  datasetRoot: bigint;
  itemCount: number;
  batchSize: number;
  datasetDepth: number;
  workerGroupId: bigint;
  cancelled: boolean;
  deadline: bigint;
}

/** The vault's view of the chain (see ./chain.ts for the escrow-backed one). */
export interface VaultChain {
  /** The task, or null when the escrow has no such task. */
  task(taskId: bigint): Promise<VaultTask | null>;
  /** "open", "pending" or "verified". */
  batchState(taskId: bigint, batchIndex: number): Promise<string>;
  /** Whether `root` is a current (or recently replaced) root of the group. */
  isValidRoot(groupId: bigint, root: bigint): Promise<boolean>;
  /** The chain's current time (block timestamp), seconds. */
  now(): Promise<bigint>;
}

/** Upload limits; each refusal names the limit. */
export interface VaultLimits {
  maxItemBytes: number;
  maxItems: number;
  types: readonly string[];
  /**
   * Downloads of one batch by one member per hour. The access tag is fixed per (member, batch)
   * and says nothing else about the member, so this limits re-downloads without identifying anyone.
   */
  downloadsPerHour: number;
  /** Requests one client (IP address) may make a minute, across all routes. */
  requestsPerMinute: number;
  /** Challenges one client may ask for a minute. */
  challengesPerMinute: number;
  /** Unexpired, unused challenges one client may hold at once. */
  openChallengesPerClient: number;
}

/** How a vault is set up. */
export interface VaultOptions {
  storage: VaultStorage;
  chain: VaultChain;
  /** Verification key of the access circuit (vault_access_g20). */
  accessVkey: unknown;
  /** When set, uploads need `Authorization: Bearer <token>`. */
  uploadToken?: string;
  limits?: Partial<VaultLimits>;
  challengeTtlMs?: number;
  /** An upload untouched this long is rolled back. */
  uploadTtlMs?: number;
  /** Take the client's address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  log?: (line: string) => void;
}

/**
 * 20 MB per item, 2^20 items (a depth-20 tree), the usual image and text types, 20 downloads of a
 * batch per member per hour; per client address: 6,000 requests a minute (an upload sends one per
 * item), 30 challenges a minute and 20 open at once (a worker needs one per download).
 */
export const DEFAULT_LIMITS: VaultLimits = {
  maxItemBytes: 20 * 1024 * 1024,
  maxItems: 1 << 20,
  types: DEFAULT_ITEM_TYPES,
  downloadsPerHour: 20,
  requestsPerMinute: 6000,
  challengesPerMinute: 30,
  openChallengesPerClient: 20,
};

const toHex = (x: bigint) => `0x${x.toString(16)}`;
const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** The vault's request handler and its housekeeping. */
export function createVault(opts: VaultOptions) {
  const limits: VaultLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const challengeTtl = opts.challengeTtlMs ?? 5 * 60_000;
  /** Download times (ms) per access tag, for the last hour. */
  const downloads = new Map<string, number[]>();
  const HOUR = 3_600_000;

  /** Refuses a member's download of a batch past the hourly limit; returns what counts it once served. */
  function allowDownload(tag: bigint, taskId: bigint, batchIndex: number): () => void {
    const now = Date.now();
    if (downloads.size > 100_000) {
      for (const [k, ts] of downloads) if (ts[ts.length - 1] < now - HOUR) downloads.delete(k);
    }
    const key = tag.toString();
    const recent = (downloads.get(key) ?? []).filter((t) => t > now - HOUR);
    if (recent.length >= limits.downloadsPerHour) {
      const wait = Math.ceil((recent[0] + HOUR - now) / 60_000);
      throw new Refusal(
        429,
        "rate_limited",
        `this member has downloaded batch ${batchIndex} of task ${taskId} ${recent.length} time${recent.length === 1 ? "" : "s"} in the last hour (the limit is ${limits.downloadsPerHour}): keep the items you have, or try again in ${wait} minute${wait === 1 ? "" : "s"}`,
      );
    }
    return () => downloads.set(key, [...recent, Date.now()]);
  }
  const uploadTtl = opts.uploadTtlMs ?? 24 * 3600_000;
  const log = opts.log ?? (() => {});
  /** Open challenges: expiry (ms) and the client that asked. */
  const challenges = new Map<string, { expiresAt: number; client: string }>();
  const openByClient = new Map<string, number>();
  const trees = new Map<string, DatasetTree>();
  const storage = opts.storage;

  function requireToken(req: FastifyRequest) {
    if (!opts.uploadToken) return;
    const given = Buffer.from(String(req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));
    const want = Buffer.from(opts.uploadToken);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new Refusal(401, "unauthorized", "uploads to this vault need its upload token (Authorization: Bearer …)");
    }
  }

  const status = (up: StoredUpload): UploadStatus => {
    const missing = up.items.map((it) => it.index).filter((i) => !up.received.has(i));
    return {
      uploadId: up.id,
      root: up.dataset.root,
      count: up.dataset.count,
      received: up.received.size,
      missing,
      complete: false,
    };
  };

  async function startUpload(body: unknown): Promise<UploadStatus> {
    const parsed = uploadStartSchema.safeParse(body);
    if (!parsed.success)
      throw new Refusal(400, "bad_request", "an upload starts with {manifest, items: [{type, size}]}");
    let manifest: ReturnType<typeof checkManifest>["manifest"];
    try {
      manifest = checkManifest(parsed.data.manifest).manifest;
    } catch (e) {
      throw new Refusal(400, "bad_manifest", errorCode(e) === "invalid_dataset" ? (e as Error).message : String(e));
    }
    const meta = parsed.data.items;
    const problems: string[] = [];
    if (meta.length !== manifest.count) {
      problems.push(`the manifest lists ${manifest.count} items but ${meta.length} sizes and types were sent`);
    }
    if (manifest.count > limits.maxItems) {
      problems.push(`the dataset has ${manifest.count} items; this vault takes at most ${limits.maxItems}`);
    }
    const seen = new Map<string, string>();
    for (const [i, it] of manifest.items.entries()) {
      const m = meta[i];
      if (m && !limits.types.includes(m.type)) {
        problems.push(`${itemName(i)} ("${it.name}") is ${m.type}; this vault stores ${limits.types.join(", ")}`);
      }
      if (m && m.size > limits.maxItemBytes) {
        problems.push(`${itemName(i)} ("${it.name}") is ${m.size} bytes; the limit is ${limits.maxItemBytes}`);
      }
      if (m && m.size === 0) problems.push(`${itemName(i)} ("${it.name}") is empty`);
      const first = seen.get(it.contentHash);
      if (first !== undefined)
        problems.push(`${itemName(i)} ("${it.name}") has the same content as "${first}": remove one`);
      seen.set(it.contentHash, it.name);
      if (problems.length >= 10) break;
    }
    if (problems.length) {
      throw new Refusal(400, "invalid_dataset", `the dataset cannot be stored:\n- ${problems.join("\n- ")}`);
    }
    const root = manifest.root;
    if (await storage.getDataset(root)) {
      return { uploadId: "", root, count: manifest.count, received: manifest.count, missing: [], complete: true };
    }
    const items = manifest.items.map((it, index) => ({
      index,
      name: it.name,
      contentHash: it.contentHash,
      type: meta[index].type,
      size: meta[index].size,
      ...(it.leaf !== undefined ? { leaf: it.leaf } : {}),
      ...(it.width !== undefined ? { width: it.width, height: it.height } : {}),
    }));
    const existing = await storage.findUpload(root);
    if (existing) {
      const same = existing.items.every((it, i) => it.type === items[i].type && it.size === items[i].size);
      if (same) {
        log(`upload ${existing.id} of ${root} resumed (${existing.received.size}/${manifest.count})`);
        return status(existing);
      }
      await storage.abortUpload(existing.id);
    }
    const up = await storage.createUpload(
      {
        root,
        depth: manifest.depth,
        chunk: manifest.chunk,
        batchSize: manifest.batchSize,
        count: manifest.count,
        kind: manifest.kind ?? "content",
      },
      items,
    );
    log(`upload ${up.id} of ${root} started (${manifest.count} items)`);
    return status(up);
  }

  async function getUploadOr404(id: string): Promise<StoredUpload> {
    const up = await storage.getUpload(id);
    if (!up) {
      throw new Refusal(
        404,
        "no_upload",
        `there is no upload ${id}: it was committed, aborted or expired; start it again with the same manifest`,
      );
    }
    return up;
  }

  /** Refuses an item whose declared size is over the limit before its bytes are read. */
  async function checkItemSize(req: FastifyRequest, id: string, index: number): Promise<void> {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared <= limits.maxItemBytes) return;
    const it = (await storage.getUpload(id))?.items[index];
    const what = it ? `${itemName(index)} ("${it.name}")` : itemName(index);
    throw new Refusal(413, "too_large", `${what} is ${declared} bytes; the limit is ${limits.maxItemBytes}`);
  }

  async function putItem(body: unknown, id: string, index: number): Promise<{ ok: true }> {
    const up = await getUploadOr404(id);
    const it = up.items[index];
    if (!it) throw new Refusal(404, "no_item", `upload ${id} has items 0..${up.items.length - 1}, not ${index}`);
    if (!Buffer.isBuffer(body)) {
      throw new Refusal(415, "bad_media_type", `send ${itemName(index)}'s bytes as application/octet-stream`);
    }
    const bytes = new Uint8Array(body);
    if (bytes.length !== it.size) {
      throw new Refusal(
        400,
        "wrong_size",
        `${itemName(index)} ("${it.name}") is ${bytes.length} bytes, ${it.size} were declared`,
      );
    }
    if (toHex(contentHash(bytes)) !== it.contentHash) {
      throw new Refusal(
        400,
        "wrong_content",
        `${itemName(index)} ("${it.name}") does not hash to the manifest's contentHash: the file changed since the manifest was built`,
      );
    }
    const problem = contentTypeProblem(bytes, it.type);
    if (problem) throw new Refusal(400, "wrong_type", `${itemName(index)} ("${it.name}") ${problem}`);
    const rule = kindRule(up.dataset.kind ?? "content");
    if (rule.manifestFields.length > 0) {
      // What the rule reads of the item (readings, image size) must be what the manifest committed to.
      let facts: ReturnType<typeof itemFacts>;
      try {
        facts = itemFacts(rule.datasetKind, it.name, bytes, it.type);
      } catch (e) {
        throw new Refusal(400, "unreadable_item", `${itemName(index)}: ${(e as Error).message}`);
      }
      const read = (f: (typeof rule.manifestFields)[number]) => {
        const v = facts[f];
        return typeof v === "bigint" ? toHex(v) : v;
      };
      const differs = rule.manifestFields.filter((f) => read(f) !== it[f]);
      if (differs.length)
        throw new Refusal(
          400,
          "wrong_content",
          `${itemName(index)} ("${it.name}") does not match the manifest: ${differs.map((f) => `its ${f} is ${read(f)}, the manifest says ${it[f]}`).join("; ")}`,
        );
    }
    await storage.putUploadItem(id, index, it.contentHash, bytes);
    return { ok: true };
  }

  async function commit(id: string): Promise<UploadStatus> {
    const up = await getUploadOr404(id);
    const s = status(up);
    if (s.missing.length) {
      throw new Refusal(
        409,
        "incomplete",
        `${s.missing.length} of ${s.count} items have not arrived (first missing: ${s.missing.slice(0, 5).join(", ")}); send them, then commit`,
      );
    }
    const d = await storage.commitUpload(id);
    log(`dataset ${d.root} registered (${d.count} items)`);
    return { ...s, uploadId: id, complete: true };
  }

  function dropChallenge(c: string) {
    const open = challenges.get(c);
    if (!open) return;
    challenges.delete(c);
    const n = (openByClient.get(open.client) ?? 1) - 1;
    if (n > 0) openByClient.set(open.client, n);
    else openByClient.delete(open.client);
  }

  /**
   * A single-use challenge for one download. One client holds at most `openChallengesPerClient`
   * (and asks at most `challengesPerMinute`), so no client can fill the table and lock others out.
   */
  function newChallenge(client: string) {
    const now = Date.now();
    // Challenges are issued in expiry order, so the expired ones are at the front of the map.
    for (const [c, open] of challenges) {
      if (open.expiresAt >= now) break;
      dropChallenge(c);
    }
    const held = openByClient.get(client) ?? 0;
    if (held >= limits.openChallengesPerClient) {
      throw new Refusal(
        429,
        "rate_limited",
        `this address holds ${held} unused challenges (the limit is ${limits.openChallengesPerClient}): use one for a download, or wait until they expire (${Math.ceil(challengeTtl / 60_000)} minutes after issue)`,
      );
    }
    if (challenges.size >= 100_000) throw new Refusal(503, "busy", "too many open challenges; try again in a minute");
    const challenge = (BigInt(`0x${randomBytes(32).toString("hex")}`) % SNARK_SCALAR_FIELD).toString();
    const expiresAt = now + challengeTtl;
    challenges.set(challenge, { expiresAt, client });
    openByClient.set(client, held + 1);
    return { challenge, expiresAt };
  }

  async function treeOf(root: string): Promise<DatasetTree> {
    const cached = trees.get(root);
    if (cached) return cached;
    const d = await storage.getDataset(root);
    if (!d) throw new Error(`dataset ${root} vanished`);
    const records = await storage.getItems(root, 0, d.count);
    const tree = datasetTree(
      d.kind ?? "content",
      d.depth,
      d.batchSize,
      records.map((r) => ({
        contentHash: BigInt(r.contentHash),
        leaf: r.leaf === undefined ? undefined : BigInt(r.leaf),
        width: r.width,
        height: r.height,
      })),
    );
    if (toHex(tree.root) !== root)
      throw new Refusal(500, "corrupt", `the stored dataset ${root} no longer hashes to its root`);
    if (trees.size > 16) trees.delete(trees.keys().next().value as string);
    trees.set(root, tree);
    return tree;
  }

  async function serveBatch(body: unknown, taskId: bigint, batchIndex: number) {
    const parsed = batchRequestSchema.safeParse(body);
    if (!parsed.success)
      throw new Refusal(400, "bad_request", "a batch request is {proof, publicSignals} from the access circuit");
    let pub: ReturnType<typeof accessPublicOf>;
    try {
      pub = accessPublicOf(parsed.data.publicSignals.map(BigInt));
    } catch (e) {
      throw new Refusal(400, "bad_request", String((e as Error).message));
    }
    const key = pub.challenge.toString();
    const exp = challenges.get(key)?.expiresAt;
    dropChallenge(key);
    if (exp === undefined || exp < Date.now()) {
      throw new Refusal(
        403,
        "bad_challenge",
        "the proof's challenge was not issued by this vault, was used already or expired: ask for a new one",
      );
    }
    if (pub.batchIndex !== BigInt(batchIndex)) {
      throw new Refusal(403, "wrong_scope", `the proof is for batch ${pub.batchIndex}, not batch ${batchIndex}`);
    }
    const task = await opts.chain.task(taskId);
    if (!task) throw new Refusal(404, "no_task", `the escrow has no task ${taskId}`);
    if (pub.taskHash !== task.taskHash) throw new Refusal(403, "wrong_scope", `the proof is not for task ${taskId}`);
    const batches = Math.ceil(task.itemCount / task.batchSize);
    if (batchIndex >= batches) throw new Refusal(404, "no_batch", `task ${taskId} has batches 0..${batches - 1}`);
    if (task.cancelled)
      throw new Refusal(
        410,
        "task_closed",
        `task ${taskId} is cancelled: it takes no new batches (it closes after a notice period)`,
      );
    if (task.deadline <= (await opts.chain.now()))
      throw new Refusal(410, "task_closed", `task ${taskId} is past its deadline`);
    const state = await opts.chain.batchState(taskId, batchIndex);
    if (state !== "open") {
      throw new Refusal(
        409,
        "batch_taken",
        `batch ${batchIndex} of task ${taskId} is already submitted (${state}): pick an open batch`,
      );
    }
    if (!(await opts.chain.isValidRoot(task.workerGroupId, pub.groupRoot))) {
      throw new Refusal(
        403,
        "not_member",
        `the proof's group root is not a current root of worker group ${task.workerGroupId}: join the group, or rebuild it from the chain`,
      );
    }
    const valid = await snarkjs.groth16.verify(
      opts.accessVkey as never,
      parsed.data.publicSignals,
      parsed.data.proof as never,
    );
    if (!valid) throw new Refusal(403, "bad_proof", "the access proof does not verify");
    const served = allowDownload(pub.accessTag, taskId, batchIndex);

    const root = toHex(task.datasetRoot);
    const d = await storage.getDataset(root);
    if (!d) {
      throw new Refusal(
        404,
        "no_dataset",
        `task ${taskId}'s dataset (root ${root}) is not in this vault: the requester has to upload it`,
      );
    }
    // One stored tree serves every task over it whose batches cut it the same way: the same depth,
    // count and bottom chunk (an image dataset uploaded for boxes, batches of 64, serves polygons, 32).
    const kind = d.kind ?? "content";
    const shape = batchShape(kind, d.depth, task.batchSize);
    if (
      d.depth !== task.datasetDepth ||
      d.count !== task.itemCount ||
      shape.chunk !== batchShape(kind, d.depth, d.batchSize).chunk
    ) {
      throw new Refusal(500, "mismatch", `the stored dataset ${root} has a shape that differs from task ${taskId}'s`);
    }
    const tree = await treeOf(root);
    const from = batchIndex * task.batchSize;
    const records = await storage.getItems(root, from, Math.min(from + task.batchSize, task.itemCount));
    const leaves = tree.batchLeaves(batchIndex, shape.leaves);
    const items = [];
    for (const r of records) {
      const bytes = await storage.readBlob(r.contentHash);
      // The tree was rebuilt from these records and checked against the root: the bytes must be the record's.
      if (toHex(contentHash(bytes)) !== r.contentHash) {
        log(`ALERT item ${r.index} of ${root} does not match its leaf: storage is corrupt`);
        throw new Refusal(500, "corrupt", `${itemName(r.index)} of the stored dataset is damaged; tell the requester`);
      }
      items.push({ index: r.index, name: r.name, type: r.type, data: b64encode(bytes) });
    }
    served();
    log(`served batch ${batchIndex} of task ${taskId} (access tag ${toHex(pub.accessTag).slice(0, 12)}…)`);
    return {
      taskId: taskId.toString(),
      batchIndex,
      datasetRoot: root,
      kind,
      depth: d.depth,
      chunk: d.chunk,
      itemCount: d.count,
      leaves: leaves.map(toHex),
      path: tree.batchPath(batchIndex, shape.leaves).map(toHex),
      items,
    };
  }

  /**
   * A registered dataset's public manifest: the tree's shape and every item's content hash (the
   * leaves, commitments like the root), with items named by position: file names stay private.
   * Auditors use it to check the root and to find a file in the dataset.
   */
  async function publicManifest(rootHex: string) {
    const root = `0x${BigInt(rootHex).toString(16)}`;
    const d = await storage.getDataset(root);
    if (!d) throw new Refusal(404, "unknown_dataset", `this vault holds no dataset with root ${root}`);
    const records = await storage.getItems(root, 0, d.count);
    const kind = d.kind ?? "content";
    return {
      version: 1,
      depth: d.depth,
      chunk: d.chunk,
      batchSize: d.batchSize,
      count: d.count,
      root,
      ...(kind === "content" ? {} : { kind }),
      items: records.map((r, i) => ({
        name: `#${i + 1}`,
        contentHash: r.contentHash,
        ...(r.leaf !== undefined ? { leaf: r.leaf } : {}),
        ...(r.width !== undefined ? { width: r.width, height: r.height } : {}),
      })),
    };
  }

  /** The vault's routes on the shared HTTP framework (docs/protocol.md "Data vault"). */
  async function app(): Promise<FastifyInstance> {
    const a = await createService({
      name: "a zkLabel vault",
      docs: 'docs/protocol.md "Data vault"',
      bodyLimit: MAX_JSON_BYTES,
      rateLimit: { max: limits.requestsPerMinute, windowMs: 60_000 },
      trustProxy: opts.trustProxy,
      log,
    });
    type Params = Record<string, string>;
    const params = (req: FastifyRequest) => req.params as Params;
    const uploadId = "[\\w-]+";
    a.get("/v1/health", async () => ({ ok: true, datasets: await storage.countDatasets() }));
    a.post("/v1/uploads", async (req) => {
      requireToken(req);
      return startUpload(req.body);
    });
    a.get(`/v1/uploads/:id(${uploadId})`, async (req) => {
      requireToken(req);
      return status(await getUploadOr404(params(req).id));
    });
    a.delete(`/v1/uploads/:id(${uploadId})`, async (req) => {
      requireToken(req);
      const up = await getUploadOr404(params(req).id);
      await storage.abortUpload(up.id);
      log(`upload ${up.id} aborted`);
      return { ok: true };
    });
    // Item bytes are read raw whatever their content type (an encapsulated scope with its own parser).
    await a.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
      scope.put(
        `/v1/uploads/:id(${uploadId})/items/:index(\\d+)`,
        {
          bodyLimit: limits.maxItemBytes,
          config: { bodyName: (req) => itemName(Number(params(req).index)) },
          onRequest: async (req) => {
            requireToken(req);
            await checkItemSize(req, params(req).id, Number(params(req).index));
          },
        },
        async (req) => putItem(req.body, params(req).id, Number(params(req).index)),
      );
    });
    a.post(`/v1/uploads/:id(${uploadId})/commit`, async (req) => {
      requireToken(req);
      return commit(params(req).id);
    });
    a.post(
      "/v1/challenges",
      { config: { rateLimit: { max: limits.challengesPerMinute, timeWindow: 60_000 } } },
      async (req) => newChallenge(req.ip),
    );
    a.get("/v1/datasets/:root(^0x[0-9a-fA-F]{1,64}$)/manifest", async (req) => publicManifest(params(req).root));
    a.post("/v1/tasks/:taskId(\\d+)/batches/:batchIndex(\\d+)", async (req) =>
      serveBatch(req.body, BigInt(params(req).taskId), Number(params(req).batchIndex)),
    );
    return a;
  }

  /** Rolls back uploads untouched for longer than the upload TTL. */
  async function sweep(): Promise<number> {
    const stale = await storage.staleUploads(Date.now() - uploadTtl);
    for (const id of stale) {
      await storage.abortUpload(id);
      log(`upload ${id} expired and was rolled back`);
    }
    return stale.length;
  }

  return { app, sweep };
}

/** Starts a vault on `port` (0: any free port); resolves with its URL and a close function. */
export async function startVault(
  opts: VaultOptions & { port?: number; host?: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const host = opts.host ?? "127.0.0.1";
  // Without a token anyone who reaches the vault may upload datasets (and fill its disk): only this machine may.
  if (!isLoopback(host) && !opts.uploadToken)
    throw new ZkLabelError(
      "invalid_input",
      `refusing to listen on ${host} without an upload token: anyone who can reach it could upload datasets. Set an upload token (--upload-token or ZKLABEL_VAULT_TOKEN), or listen on 127.0.0.1 behind a TLS proxy (docs/operations.md)`,
    );
  const vault = createVault(opts);
  await vault.sweep();
  const timer = setInterval(() => void vault.sweep(), 10 * 60_000);
  timer.unref();
  const server = await listen(await vault.app(), opts.port ?? 0, host);
  return {
    url: server.url,
    async close() {
      clearInterval(timer);
      await server.close();
      opts.storage.close();
    },
  };
}
