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

/** One change of a group, as the WorkerGroups events report it (in chain order). */
export type GroupEvent =
  | { kind: "added"; index: bigint; commitment: bigint; root: bigint }
  | { kind: "updated"; index: bigint; newCommitment: bigint; root: bigint }
  | { kind: "removed"; index: bigint; root: bigint };

/**
 * Rebuilds a group from its MemberAdded / MemberUpdated / MemberRemoved events
 * (sorted by block and log index), checking after each event that the tree's
 * root is the one the chain emitted, so a missed or reordered event is an
 * error, not a silently wrong membership proof.
 */
export function groupFromEvents(events: readonly GroupEvent[]): LeanIMT<bigint> {
  const group = workerGroup();
  for (const [n, e] of events.entries()) {
    if (e.kind === "added") {
      if (e.index !== BigInt(group.size)) {
        throw new Error(
          `group event ${n}: member added at index ${e.index} but ${group.size} members are known: events are missing or out of order`,
        );
      }
      group.insert(e.commitment);
    } else {
      group.update(Number(e.index), e.kind === "updated" ? e.newCommitment : 0n);
    }
    if (group.root !== e.root) {
      throw new Error(
        `group event ${n}: rebuilt root ${group.root} differs from the chain's ${e.root}: events are missing or out of order`,
      );
    }
  }
  return group;
}
