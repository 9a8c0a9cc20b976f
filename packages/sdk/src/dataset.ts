/**
 * Datasets and manifests (browser and Node): items become leaves (their content hash), the
 * leaves a dataset tree, and the manifest records every item's name and hash with the root
 * the task commits to. A manifest lets anyone re-check the root and find an item by its bytes.
 */
import { contentHash } from "@zklabel/core/field";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { z } from "zod";

/** One item before hashing: a name people recognise and its bytes. */
export interface DatasetItem {
  name: string;
  bytes: Uint8Array;
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
  items: z.array(z.object({ name: z.string(), contentHash: hex32 })),
});
/** A parsed manifest. */
export type Manifest = z.infer<typeof manifestSchema>;

/** A dataset problem in words: which item, what is wrong, what to do. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

const toHex = (x: bigint) => `0x${x.toString(16)}`;

/**
 * Hashes the items in order and builds the tree and the manifest. Refuses an empty dataset,
 * one larger than the tree, and duplicate items (the same bytes twice would be labeled twice).
 */
export function buildDataset(
  items: Iterable<DatasetItem>,
  opts: { depth: number; batchSize: number },
): { manifest: Manifest; tree: DatasetTree } {
  const seen = new Map<bigint, string>();
  const entries: Manifest["items"] = [];
  const leaves: bigint[] = [];
  for (const item of items) {
    const h = contentHash(item.bytes);
    const first = seen.get(h);
    if (first !== undefined) {
      throw new DatasetError(`item "${item.name}" has the same content as "${first}": remove one of them`);
    }
    seen.set(h, item.name);
    leaves.push(h);
    entries.push({ name: item.name, contentHash: toHex(h) });
  }
  if (leaves.length === 0) throw new DatasetError("the dataset has no items");
  const capacity = 2 ** opts.depth;
  if (leaves.length > capacity) {
    throw new DatasetError(
      `the dataset has ${leaves.length} items, more than a tree of depth ${opts.depth} holds (${capacity}): split it into several tasks`,
    );
  }
  const chunk = datasetChunk(opts.batchSize);
  const tree = new DatasetTree(opts.depth, leaves, chunk);
  return {
    tree,
    manifest: {
      version: 1,
      depth: opts.depth,
      chunk,
      batchSize: opts.batchSize,
      count: leaves.length,
      root: toHex(tree.root),
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
  const tree = new DatasetTree(
    m.depth,
    m.items.map((x) => BigInt(x.contentHash)),
    m.chunk,
  );
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
    proof: tree.itemProof(index),
  };
}
