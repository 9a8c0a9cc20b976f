/**
 * The data vault's download ticket (circuits/vault_access.circom, docs/protocol.md "Data vault"):
 * a proof that the caller is a member of the task's worker group, for one (task, batch), bound to
 * the vault's single-use challenge. The vault learns the group root and an access tag that is the
 * same for one member and one batch, and nothing else about who asked.
 */
import type { LeanIMT } from "@zk-kit/lean-imt";
import { poseidon2, poseidon3 } from "poseidon-lite";
import { assertField } from "./field.ts";
import { membershipWitness } from "./group.ts";
import type { WorkerSecret } from "./identity.ts";
import { circuitInfo, orderPublicSignals } from "./registry.ts";

/** "zkLabel vault" as a big-endian integer: separates access tags from batch nullifiers. */
export const VAULT_DOMAIN = 0x7a6b4c6162656c207661756c74n;

/** The registry entry of the access circuit. */
export const ACCESS_CIRCUIT = "vault_access_g20";

/** accessTag = Poseidon(secret, Poseidon(VAULT_DOMAIN, taskHash, batchIndex)). */
export function accessTag(secret: bigint, taskHash: bigint, batchIndex: bigint): bigint {
  return poseidon2([secret, poseidon3([VAULT_DOMAIN, taskHash, batchIndex])]);
}

/** The public signals of an access proof, in circuit order. */
export interface AccessPublic {
  groupRoot: bigint;
  accessTag: bigint;
  taskHash: bigint;
  batchIndex: bigint;
  challenge: bigint;
}

/** The access circuit's public signal vector from named values (and back, with accessPublicOf). */
export function accessPublicSignals(p: AccessPublic): bigint[] {
  return orderPublicSignals(circuitInfo(ACCESS_CIRCUIT), { ...p });
}

/** Named view of an access proof's public signals; throws when the count is wrong. */
export function accessPublicOf(signals: readonly bigint[]): AccessPublic {
  const info = circuitInfo(ACCESS_CIRCUIT);
  if (signals.length !== info.publicInputs.length) {
    throw new Error(`an access proof has ${info.publicInputs.length} public signals, got ${signals.length}`);
  }
  const [groupRoot, tag, taskHash, batchIndex, challenge] = signals;
  return { groupRoot, accessTag: tag, taskHash, batchIndex, challenge };
}

/** The witness input of an access proof and the public signals it must produce. */
export function accessInput(args: {
  identity: WorkerSecret;
  group: LeanIMT<bigint>;
  taskHash: bigint;
  batchIndex: bigint;
  challenge: bigint;
}): { input: Record<string, string | string[]>; publicSignals: bigint[] } {
  assertField(args.challenge, "the vault's challenge");
  assertField(args.taskHash, "taskHash");
  const depth = circuitInfo(ACCESS_CIRCUIT).params.GROUP_DEPTH;
  const m = membershipWitness(args.group, args.identity.commitment, depth);
  const pub: AccessPublic = {
    groupRoot: m.groupRoot,
    accessTag: accessTag(args.identity.secret, args.taskHash, args.batchIndex),
    taskHash: args.taskHash,
    batchIndex: args.batchIndex,
    challenge: args.challenge,
  };
  const s = (x: bigint) => x.toString();
  return {
    input: {
      groupRoot: s(pub.groupRoot),
      accessTag: s(pub.accessTag),
      taskHash: s(pub.taskHash),
      batchIndex: s(pub.batchIndex),
      challenge: s(pub.challenge),
      secret: s(args.identity.secret),
      depth: s(m.depth),
      index: s(m.index),
      siblings: m.siblings.map(s),
    },
    publicSignals: accessPublicSignals(pub),
  };
}
