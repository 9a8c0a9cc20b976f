import { LeanIMT } from "@zk-kit/lean-imt";
import { poseidon2 } from "poseidon-lite";

/** Largest worker-group depth the circuits accept (2^20 members). */
export const GROUP_MAX_DEPTH = 20;

/** A worker group: the LeanIMT of identity commitments that the on-chain registry keeps. */
export function workerGroup(commitments: readonly bigint[] = []): LeanIMT<bigint> {
  return new LeanIMT<bigint>((a, b) => poseidon2([a, b]), [...commitments]);
}

/** Membership witness for the circuits: depth, compressed index, siblings padded to MAX_DEPTH. */
export function membershipWitness(group: LeanIMT<bigint>, commitment: bigint, maxDepth = GROUP_MAX_DEPTH) {
  const i = group.indexOf(commitment);
  if (i < 0) throw new Error("this identity is not a member of the group: join the group first");
  const p = group.generateProof(i);
  if (p.siblings.length > maxDepth)
    throw new Error(`the group is deeper (${p.siblings.length}) than the circuits support (${maxDepth})`);
  return {
    groupRoot: p.root,
    depth: BigInt(p.siblings.length),
    index: BigInt(p.index),
    siblings: [...p.siblings, ...Array(maxDepth - p.siblings.length).fill(0n)] as bigint[],
  };
}
