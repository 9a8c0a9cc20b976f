import { Identity } from "@semaphore-protocol/identity";
import { Base8, mulPointEscalar } from "@zk-kit/baby-jubjub";
import { poseidon2 } from "poseidon-lite";
import { SUBGROUP_ORDER } from "./encryption.ts";

export { Identity };

/**
 * An identity from its exported key (`Identity.export()`: one line of base64), or an Error that
 * says what is wrong, for people pasting or loading keys.
 */
export function parseIdentityKey(text: string): Identity {
  const key = text.trim();
  if (key === "") throw new Error("Paste the identity key you exported earlier.");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) {
    throw new Error(
      "That is not an exported identity key: it should be one line of base64 text (letters, digits, + and /).",
    );
  }
  try {
    return Identity.import(key);
  } catch (e) {
    throw new Error(`That identity key cannot be read (${e instanceof Error ? e.message : String(e)}).`);
  }
}

/** A worker's anonymous identity as the circuits see it. */
export interface WorkerSecret {
  /** BabyJubJub secret scalar (< subgroup order). */
  secret: bigint;
  /** Poseidon(publicKey): the worker's leaf in a group. */
  commitment: bigint;
}

/** The circuit-facing values of a Semaphore v4 identity. */
export function workerSecret(id: Identity): WorkerSecret {
  return { secret: id.secretScalar, commitment: id.commitment };
}

/** nullifier = Poseidon(secret, Poseidon(taskHash, batchIndex)) (PROTOCOL constraint 2). */
export function batchNullifier(secret: bigint, taskHash: bigint, batchIndex: bigint): bigint {
  return poseidon2([secret, poseidon2([taskHash, batchIndex])]);
}

/**
 * The requester's label-encryption key pair for a task, derived from a wallet
 * signature over a fixed task-scoped message, so it never needs a backup.
 */
export function requesterKeyFromSignature(signature: `0x${string}`): RequesterKey {
  const id = new Identity(signature);
  return { skR: id.secretScalar, pkR: [id.publicKey[0], id.publicKey[1]], pkRDiv8: keyDiv8(id.secretScalar) };
}

/** A requester's label-encryption key pair, with the point the escrow checks its subgroup by. */
export interface RequesterKey {
  skR: bigint;
  /** skR * Base8. */
  pkR: readonly [bigint, bigint];
  /** (skR / 8 mod l) * Base8, so that 8 * pkRDiv8 = pkR: createTask's proof that pkR has no small-order part. */
  pkRDiv8: readonly [bigint, bigint];
}

/** (skR * 8^-1 mod l) * Base8: the point whose triple doubling is the public key skR * Base8. */
export function keyDiv8(skR: bigint): readonly [bigint, bigint] {
  const q = mulPointEscalar(Base8, (((skR % SUBGROUP_ORDER) * INV8) % SUBGROUP_ORDER) as bigint);
  return [q[0], q[1]];
}

/** 8^-1 mod l (8 * INV8 = 1 mod l). */
const INV8 = (() => {
  let r = 1n;
  let b = 8n;
  for (let e = SUBGROUP_ORDER - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % SUBGROUP_ORDER;
    b = (b * b) % SUBGROUP_ORDER;
  }
  return r;
})();

/** The message a requester signs to derive the encryption key of a task. */
export function requesterKeyMessage(chainId: bigint, escrow: string, nonce: bigint): string {
  return `zkLabel requester encryption key\nchain ${chainId}\nescrow ${escrow.toLowerCase()}\nkey ${nonce}\n\nSigning this reveals nothing and costs nothing; it lets you decrypt your task's labels.`;
}
