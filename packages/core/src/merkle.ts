import { hash2, poseidon } from "./poseidon.ts";

/** Widest bottom chunk of the dataset tree: 16 leaves, one Poseidon(16) (circomlib's widest Poseidon). */
export const MAX_CHUNK = 16;

/**
 * Bottom chunk width of the dataset tree for batches of `batchSize` items:
 * min(16, batchSize). Production circuits (N >= 16) all use 16; the small
 * test circuits use their whole batch as one chunk.
 */
export function datasetChunk(batchSize: number): number {
  log2Exact(batchSize);
  return Math.min(MAX_CHUNK, batchSize);
}

/**
 * The dataset tree (PROTOCOL "Task", docs/protocol.md decisions 3 and 20):
 * depth counted in items; the bottom level hashes each chunk of `chunk` leaves
 * with one Poseidon(chunk); above it a binary Poseidon(2) tree. Missing leaves
 * are 0 and empty subtrees hash like any other. Empty subtrees are never
 * stored: their roots come from a precomputed ladder, so a 100k-item dataset at
 * depth 20 costs about two hashes per 16 items.
 */
export class DatasetTree {
  readonly depth: number;
  /** Leaves per bottom chunk (a power of two, 2..16). */
  readonly chunk: number;
  /** Height of the chunk nodes (log2 chunk). */
  readonly chunkBits: number;
  /** levels[h] holds the nodes at height h (0 = leaves); heights 1 .. chunkBits - 1 do not exist. */
  private readonly levels: bigint[][];
  private readonly zeros: bigint[];

  constructor(depth: number, leaves: readonly bigint[], chunk: number = MAX_CHUNK) {
    if (!Number.isInteger(chunk) || chunk < 2 || chunk > MAX_CHUNK || (chunk & (chunk - 1)) !== 0) {
      throw new RangeError(`chunk must be a power of two from 2 to ${MAX_CHUNK}, got ${chunk}`);
    }
    const chunkBits = Math.log2(chunk);
    if (!Number.isInteger(depth) || depth < chunkBits || depth > 32) {
      throw new RangeError(`tree depth must be ${chunkBits}..32 for chunks of ${chunk}, got ${depth}`);
    }
    if (leaves.length > 2 ** depth) {
      throw new RangeError(`${leaves.length} items do not fit a tree of depth ${depth} (max ${2 ** depth})`);
    }
    this.depth = depth;
    this.chunk = chunk;
    this.chunkBits = chunkBits;
    this.zeros = zeroLadder(depth, chunk);
    this.levels = Array.from({ length: depth + 1 }, () => [] as bigint[]);
    this.levels[0] = leaves.slice();
    const chunks = this.levels[chunkBits];
    for (let i = 0; i < leaves.length; i += chunk) {
      chunks.push(poseidon(Array.from({ length: chunk }, (_, k) => leaves[i + k] ?? 0n)));
    }
    for (let l = chunkBits; l < depth; l++) {
      const below = this.levels[l];
      const next = this.levels[l + 1];
      for (let i = 0; i < below.length; i += 2) {
        next.push(hash2(below[i], i + 1 < below.length ? below[i + 1] : this.zeros[l]));
      }
    }
  }

  /** The root committed on-chain as datasetRoot. */
  get root(): bigint {
    return this.node(this.depth, 0);
  }

  /** Number of items (leaves actually given). */
  get size(): number {
    return this.levels[0].length;
  }

  /** Node at height `level` (0 = leaves, or chunkBits and above) and `index`, the empty value where nothing is stored. */
  node(level: number, index: number): bigint {
    if (level > 0 && level < this.chunkBits) {
      throw new RangeError(`the tree has no nodes at height ${level}: chunks of ${this.chunk} leaves hash at once`);
    }
    return this.levels[level][index] ?? this.zeros[level];
  }

  /** Leaf values of batch `b` of size `n` (zero-padded past the last item). */
  batchLeaves(batchIndex: number, n: number): bigint[] {
    return Array.from({ length: n }, (_, i) => this.node(0, batchIndex * n + i));
  }

  /** Siblings from the batch subtree root (height log2 n, n a multiple of the chunk) up to the root. */
  batchPath(batchIndex: number, n: number): bigint[] {
    const h = log2Exact(n);
    if (h < this.chunkBits) throw new RangeError(`batch size ${n} is smaller than the tree's chunk of ${this.chunk}`);
    const siblings: bigint[] = [];
    let index = batchIndex;
    for (let l = h; l < this.depth; l++) {
      siblings.push(this.node(l, index ^ 1));
      index >>= 1;
    }
    return siblings;
  }

  /**
   * Inclusion proof of one item, for "is this item in the dataset" checks: the
   * other leaves of its chunk and the binary path of the chunk node.
   */
  itemProof(index: number): ItemProof {
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** this.depth) {
      throw new RangeError(`item index must be 0..${2 ** this.depth - 1}, got ${index}`);
    }
    const start = index - (index % this.chunk);
    return {
      index,
      chunkLeaves: Array.from({ length: this.chunk }, (_, k) => this.node(0, start + k)),
      siblings: this.batchPath(Math.floor(index / this.chunk), this.chunk),
    };
  }
}

/** An item's inclusion proof: its chunk's leaves (the item's own at index % chunk) and the chunk node's siblings. */
export interface ItemProof {
  index: number;
  chunkLeaves: bigint[];
  siblings: bigint[];
}

/** The root an item proof leads to, given the item's leaf (which must sit at its place in the chunk). */
export function rootFromItemProof(leaf: bigint, p: ItemProof): bigint {
  const chunk = p.chunkLeaves.length;
  if (p.chunkLeaves[p.index % chunk] !== leaf) {
    throw new Error(`item ${p.index}: the proof's leaf at that position is not this item's leaf`);
  }
  return rootFromPath(poseidon(p.chunkLeaves), Math.floor(p.index / chunk), p.siblings);
}

/** Recomputes a root from a node at `index` (at chunk height or above) and its binary siblings. */
export function rootFromPath(node: bigint, index: number, siblings: readonly bigint[]): bigint {
  let cur = node;
  let i = index;
  for (const s of siblings) {
    cur = i & 1 ? hash2(s, cur) : hash2(cur, s);
    i >>= 1;
  }
  return cur;
}

/** zeros[h] = root of an empty subtree of height h (0 below the chunk height but for the leaves). */
export function zeroLadder(depth: number, chunk: number = MAX_CHUNK): bigint[] {
  const bits = Math.log2(chunk);
  const z: bigint[] = Array(depth + 1).fill(0n);
  z[bits] = poseidon(Array(chunk).fill(0n));
  for (let l = bits; l < depth; l++) z[l + 1] = hash2(z[l], z[l]);
  return z;
}

/** log2 of a power of two, or a RangeError. */
export function log2Exact(n: number): number {
  const l = Math.log2(n);
  if (!Number.isInteger(l)) throw new RangeError(`batch size must be a power of two, got ${n}`);
  return l;
}

/** What a batch proof needs of a dataset tree: a whole DatasetTree, or one batch of it (BatchSlice). */
export interface BatchSource {
  readonly depth: number;
  readonly chunk: number;
  /** Number of items in the whole dataset. */
  readonly size: number;
  readonly root: bigint;
  batchLeaves(batchIndex: number, n: number): bigint[];
  batchPath(batchIndex: number, n: number): bigint[];
}

/**
 * One batch of a dataset without the rest of it (what a worker gets from a vault): its leaves
 * and the path of its subtree to the root. The constructor recomputes the root from them and
 * throws when it is not `root`, so a slice that exists is one of the dataset's batches.
 */
export class BatchSlice implements BatchSource {
  readonly depth: number;
  readonly chunk: number;
  readonly size: number;
  readonly root: bigint;
  readonly batchIndex: number;
  readonly leaves: readonly bigint[];
  readonly path: readonly bigint[];

  constructor(args: {
    depth: number;
    chunk: number;
    size: number;
    root: bigint;
    batchIndex: number;
    /** The batch's N leaves, zero past the last item. */
    leaves: readonly bigint[];
    path: readonly bigint[];
  }) {
    const n = args.leaves.length;
    const h = log2Exact(n);
    if (args.path.length !== args.depth - h) {
      throw new RangeError(
        `a batch of ${n} in a tree of depth ${args.depth} has ${args.depth - h} path nodes, got ${args.path.length}`,
      );
    }
    const sub = new DatasetTree(h, args.leaves, args.chunk).root;
    const root = rootFromPath(sub, args.batchIndex, args.path);
    if (root !== args.root) {
      throw new Error(
        `batch ${args.batchIndex}: its leaves and path lead to root ${root}, not the dataset root ${args.root}`,
      );
    }
    this.depth = args.depth;
    this.chunk = args.chunk;
    this.size = args.size;
    this.root = args.root;
    this.batchIndex = args.batchIndex;
    this.leaves = args.leaves;
    this.path = args.path;
  }

  /** The slice's leaves; any other batch is an error. */
  batchLeaves(batchIndex: number, n: number): bigint[] {
    this.check(batchIndex, n);
    return [...this.leaves];
  }

  /** The slice's path; any other batch is an error. */
  batchPath(batchIndex: number, n: number): bigint[] {
    this.check(batchIndex, n);
    return [...this.path];
  }

  private check(batchIndex: number, n: number): void {
    if (batchIndex !== this.batchIndex || n !== this.leaves.length) {
      throw new RangeError(
        `this slice holds batch ${this.batchIndex} of ${this.leaves.length}, not batch ${batchIndex} of ${n}`,
      );
    }
  }
}
