/**
 * Datasets and manifests (browser and Node): items become leaves, the leaves a dataset tree, and
 * the manifest records every item's name and hash (and what the rule reads of it) with the root
 * the task commits to. A manifest lets anyone re-check the root and find an item by its bytes.
 * Each rule module says how its items become leaves (packages/core/src/rules/); the kinds:
 *  - "content" (classification): leaf = the item's content hash;
 *  - "box" (bounding boxes): items are images; pairs of (content hash, width·2^16 + height) hash
 *    into the tree's bottom nodes;
 *  - "sensor" (sensor range): items are windows of 16 readings; leaf = Poseidon(readings).
 */
import { itemName } from "@zklabel/core/display";
import { ZkLabelError } from "@zklabel/core/errors";
import { contentHash } from "@zklabel/core/field";
import { typeFromName } from "@zklabel/core/items";
import type { DatasetTree } from "@zklabel/core/merkle";
import {
  type BatchShape,
  DATASET_KINDS,
  type DatasetKind,
  type ItemFacts,
  kindRule,
  ruleById,
} from "@zklabel/core/rules";
import { z } from "zod";

export { DATASET_KINDS, type DatasetKind, type ItemFacts };

/** The dataset kind a rule reads; a clear error for a rule id this version does not know. */
export const kindOfRule = (ruleId: number): DatasetKind => ruleById(ruleId).datasetKind;

/** Reads what a dataset of `kind` needs of an item's bytes; throws a DatasetError naming the item. */
export function itemFacts(kind: DatasetKind, name: string, bytes: Uint8Array, type?: string): ItemFacts {
  try {
    return kindRule(kind).itemFacts(bytes, type ?? "", name);
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    throw new DatasetError(m.includes(name) ? m : `${name}: ${m}`);
  }
}

/** The dataset tree of `kind` over the items' facts. */
export function datasetTree(
  kind: DatasetKind,
  depth: number,
  batchSize: number,
  items: readonly ItemFacts[],
): DatasetTree {
  return kindRule(kind).datasetTree(depth, batchSize, items);
}

/** Where a batch sits in a tree of `kind`: its leaves per batch, the tree's depth and bottom chunk. */
export const batchShape = (kind: DatasetKind, depth: number, batchSize: number): BatchShape =>
  kindRule(kind).batchShape(depth, batchSize);

/** What a manifest entry says of an item, as the rules read it. */
export const manifestFacts = (x: Manifest["items"][number]): ItemFacts => ({
  contentHash: BigInt(x.contentHash),
  leaf: x.leaf === undefined ? undefined : BigInt(x.leaf),
  width: x.width,
  height: x.height,
});

/** One item before hashing: a name people recognise and its bytes. */
export interface DatasetItem {
  name: string;
  bytes: Uint8Array;
  /** MIME type (box images: which header to read); from the name when absent. */
  type?: string;
}

const hex32 = z.string().regex(/^0x[0-9a-f]{1,64}$/, "must be a 0x-prefixed hex field element");

/** A dataset manifest: every item's name and content hash, the tree's shape and the root a task commits to. */
export const manifestSchema = z.object({
  version: z.literal(1),
  /** Depth of the dataset tree (the rule verifier's datasetDepth). */
  depth: z.number().int().min(4).max(32),
  /** Leaves per bottom chunk of the tree (min(16, batch size)). */
  chunk: z.number().int().min(2).max(16),
  batchSize: z.number().int().min(2),
  count: z.number().int().min(1),
  /** datasetRoot, hex. */
  root: hex32,
  /** The dataset's kind (absent: "content", classification). */
  kind: z.enum(DATASET_KINDS).optional(),
  items: z.array(
    z.object({
      name: z.string(),
      contentHash: hex32,
      /** Sensor windows: Poseidon of the readings, hex. */
      leaf: hex32.optional(),
      /** Box images: pixel size. */
      width: z.number().int().min(1).max(65535).optional(),
      height: z.number().int().min(1).max(65535).optional(),
    }),
  ),
});
/** A parsed manifest. */
export type Manifest = z.infer<typeof manifestSchema>;

/** A dataset problem in words: which item, what is wrong, what to do. */
export class DatasetError extends ZkLabelError {
  override name = "DatasetError";
  constructor(message: string) {
    super("invalid_dataset", message);
  }
}

const toHex = (x: bigint) => `0x${x.toString(16)}`;

/**
 * Hashes the items in order and builds the tree and the manifest. Refuses an empty dataset,
 * one larger than the tree, and duplicate items (the same bytes twice would be labeled twice).
 */
export function buildDataset(
  items: Iterable<DatasetItem>,
  opts: { depth: number; batchSize: number; kind?: DatasetKind },
): { manifest: Manifest; tree: DatasetTree } {
  const kind = opts.kind ?? "content";
  const seen = new Map<bigint, string>();
  const entries: Manifest["items"] = [];
  const facts: ItemFacts[] = [];
  for (const item of items) {
    const f = itemFacts(kind, item.name, item.bytes, item.type ?? typeFromName(item.name));
    const first = seen.get(f.contentHash);
    if (first !== undefined) {
      throw new DatasetError(`item "${item.name}" has the same content as "${first}": remove one of them`);
    }
    seen.set(f.contentHash, item.name);
    facts.push(f);
    entries.push({
      name: item.name,
      contentHash: toHex(f.contentHash),
      ...(f.leaf !== undefined ? { leaf: toHex(f.leaf) } : {}),
      ...(f.width !== undefined ? { width: f.width, height: f.height } : {}),
    });
  }
  if (facts.length === 0) throw new DatasetError("the dataset has no items");
  const capacity = 2 ** opts.depth;
  if (facts.length > capacity) {
    throw new DatasetError(
      `the dataset has ${facts.length} items, more than a tree of depth ${opts.depth} holds (${capacity}): split it into several tasks`,
    );
  }
  const tree = datasetTree(kind, opts.depth, opts.batchSize, facts);
  return {
    tree,
    manifest: {
      version: 1,
      depth: opts.depth,
      chunk: batchShape(kind, opts.depth, opts.batchSize).chunk,
      batchSize: opts.batchSize,
      count: facts.length,
      root: toHex(tree.root),
      ...(kind === "content" ? {} : { kind }),
      items: entries,
    },
  };
}

/**
 * Parses a manifest and recomputes its root from the listed hashes; throws a DatasetError that
 * says what does not match.
 */
export function checkManifest(json: unknown): { manifest: Manifest; tree: DatasetTree } {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new DatasetError(
      `not a zkLabel manifest: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const m = parsed.data;
  if (m.items.length !== m.count) {
    throw new DatasetError(`the manifest says ${m.count} items but lists ${m.items.length}`);
  }
  const kind = m.kind ?? "content";
  if (m.chunk !== batchShape(kind, m.depth, m.batchSize).chunk) {
    throw new DatasetError(
      `the manifest's chunk ${m.chunk} does not fit a ${kind} dataset with batches of ${m.batchSize}`,
    );
  }
  const needs = kindRule(kind).manifestFields;
  const missing = m.items.findIndex((x) => needs.some((f) => x[f] === undefined));
  if (missing >= 0) {
    throw new DatasetError(
      `${itemName(missing)} ("${m.items[missing].name}") lacks its ${needs.join(" and ")}, which a ${kind} dataset needs`,
    );
  }
  const tree = datasetTree(kind, m.depth, m.batchSize, m.items.map(manifestFacts));
  if (tree.root !== BigInt(m.root)) {
    throw new DatasetError(
      `the manifest's items hash to root ${toHex(tree.root)}, not to the root it states (${m.root})`,
    );
  }
  return { manifest: m, tree };
}

/** Where a file is in a dataset: its index and its inclusion proof, or null when it is not in it. */
export function findItem(manifest: Manifest, tree: DatasetTree, bytes: Uint8Array) {
  const h = toHex(contentHash(bytes));
  const index = manifest.items.findIndex((x) => x.contentHash === h);
  if (index < 0) return null;
  return {
    index,
    name: manifest.items[index].name,
    batch: Math.floor(index / manifest.batchSize),
    /** The item's inclusion proof (classification datasets, whose leaves are the items themselves). */
    proof: (manifest.kind ?? "content") === "content" ? tree.itemProof(index) : undefined,
  };
}
