import { hash2 } from "./poseidon.ts";

/**
 * The dataset tree: a full binary Poseidon(2) tree of fixed depth whose missing
 * leaves are 0 (PROTOCOL "Task"). Leaf i is item i. Empty subtrees are never
 * stored: their roots come from a precomputed ladder, so a 100k-item dataset at
 * depth 20 costs one hash per stored node.
 */
export class DatasetTree {
  readonly depth: number;
  /** levels[0] are the leaves, levels[depth] holds the root. */
  private readonly levels: bigint[][];
  private readonly zeros: bigint[];

  constructor(depth: number, leaves: readonly bigint[]) {
    if (!Number.isInteger(depth) || depth < 1 || depth > 32) {
      throw new RangeError(`tree depth must be 1..32, got ${depth}`);
    }
    if (leaves.length > 2 ** depth) {
      throw new RangeError(`${leaves.length} items do not fit a tree of depth ${depth} (max ${2 ** depth})`);
    }
    this.depth = depth;
    this.zeros = zeroLadder(depth);
    this.levels = [leaves.slice()];
    for (let l = 0; l < depth; l++) {
      const below = this.levels[l];
      const next: bigint[] = [];
      for (let i = 0; i < below.length; i += 2) {
        next.push(hash2(below[i], i + 1 < below.length ? below[i + 1] : this.zeros[l]));
      }
      this.levels.push(next);
    }
  }

  /** The root committed on-chain as datasetRoot. */
  get root(): bigint {
    return this.levels[this.depth][0] ?? this.zeros[this.depth];
  }

  /** Number of items (leaves actually given). */
  get size(): number {
    return this.levels[0].length;
  }

  /** Node at `level` (0 = leaves) and `index`, 0 where the subtree is empty. */
  node(level: number, index: number): bigint {
    return this.levels[level][index] ?? this.zeros[level];
  }

  /** Leaf values of batch `b` of size `n` (zero-padded past the last item). */
  batchLeaves(batchIndex: number, n: number): bigint[] {
    return Array.from({ length: n }, (_, i) => this.node(0, batchIndex * n + i));
  }

  /** Siblings from the batch subtree root (height log2 n) up to the root. */
  batchPath(batchIndex: number, n: number): bigint[] {
    const h = log2Exact(n);
    const siblings: bigint[] = [];
    let index = batchIndex;
    for (let l = h; l < this.depth; l++) {
      siblings.push(this.node(l, index ^ 1));
      index >>= 1;
    }
    return siblings;
  }

  /** Siblings of one leaf, for "is this item in the dataset" checks. */
  path(index: number): bigint[] {
    return this.batchPath(index, 1);
  }
}

/** Recomputes a root from a node at `index` at height `height` and its siblings. */
export function rootFromPath(node: bigint, index: number, siblings: readonly bigint[]): bigint {
  let cur = node;
  let i = index;
  for (const s of siblings) {
    cur = i & 1 ? hash2(s, cur) : hash2(cur, s);
    i >>= 1;
  }
  return cur;
}

/** zeros[l] = root of an empty subtree of height l. */
export function zeroLadder(depth: number): bigint[] {
  const z = [0n];
  for (let l = 0; l < depth; l++) z.push(hash2(z[l], z[l]));
  return z;
}

/** log2 of a power of two, or a RangeError. */
export function log2Exact(n: number): number {
  const l = Math.log2(n);
  if (!Number.isInteger(l)) throw new RangeError(`batch size must be a power of two, got ${n}`);
  return l;
}
