import { Base8, inCurve, mulPointEscalar, type Point } from "@zk-kit/baby-jubjub";
import { poseidonDecrypt, poseidonEncrypt } from "@zk-kit/poseidon-cipher";
import { randomField } from "./field.ts";

/** BabyJubJub subgroup order: secrets are below it. */
export const SUBGROUP_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;

/** What a worker publishes so the requester (and nobody else) can read the labels. */
export interface Encrypted {
  epk: readonly [bigint, bigint];
  ciphertext: bigint[];
}

/** A fresh ephemeral secret below 2^251 and the subgroup order (EncryptToRequester range-checks 251 bits). */
export function randomEphemeralSecret(): bigint {
  for (;;) {
    const x = randomField() >> 3n;
    if (x > 0n && x < SUBGROUP_ORDER) return x;
  }
}

/**
 * Refuses a requester key the workers must not encrypt to: off the curve, the
 * identity-like x = 0, or outside the prime-order subgroup (its small-order part
 * would make the circuit's shared key differ from the requester's).
 */
export function assertRequesterKey(pkR: readonly [bigint, bigint]): void {
  const p = pkR as Point<bigint>;
  if (pkR[0] === 0n || !inCurve(p)) {
    throw new RangeError("the task's encryption key is not a BabyJubJub point: the requester must publish skR * Base8");
  }
  const o = mulPointEscalar(p, SUBGROUP_ORDER);
  if (o[0] !== 0n || o[1] !== 1n) {
    throw new RangeError(
      "the task's encryption key is outside the prime-order subgroup: labels encrypted to it could not be decrypted",
    );
  }
}

/**
 * ECDH on BabyJubJub and the Poseidon duplex cipher, exactly as
 * circuits/lib/encryption.circom (EncryptToRequester) computes them.
 */
export function encryptToRequester(
  plaintext: readonly bigint[],
  pkR: readonly [bigint, bigint],
  nonce: bigint,
  ephemeralSecret = randomEphemeralSecret(),
): Encrypted & { ephemeralSecret: bigint } {
  assertRequesterKey(pkR);
  const epk = mulPointEscalar(Base8, ephemeralSecret);
  const shared = mulPointEscalar(pkR as Point<bigint>, ephemeralSecret);
  return { epk: [epk[0], epk[1]], ciphertext: poseidonEncrypt([...plaintext], shared, nonce), ephemeralSecret };
}

/** The requester's side: shared = skR * epk, then decrypt and authenticate `length` elements. */
export function decryptFromWorker(e: Encrypted, skR: bigint, nonce: bigint, length: number): bigint[] {
  const shared = mulPointEscalar(e.epk as Point<bigint>, skR);
  return poseidonDecrypt(e.ciphertext, shared, nonce, length);
}
