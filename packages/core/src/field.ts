import { sha256 } from "viem";

/** The BN254 scalar field modulus: every circuit signal and public input is below it. */
export const SNARK_SCALAR_FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** True when `x` is a canonical field element (0 <= x < modulus). */
export function isField(x: bigint): boolean {
  return x >= 0n && x < SNARK_SCALAR_FIELD;
}

/** Returns `x` or throws a message naming `what` when it is not a canonical field element. */
export function assertField(x: bigint, what: string): bigint {
  if (!isField(x)) {
    throw new RangeError(`${what} must be an integer in [0, field modulus), got ${x}`);
  }
  return x;
}

/** An item's content hash: sha256 of its bytes shifted right by 8 bits, so it fits the field. */
export function contentHash(bytes: Uint8Array): bigint {
  return BigInt(sha256(bytes)) >> 8n;
}

/** Uniformly random field element from the platform's CSPRNG (for salts). */
export function randomField(): bigint {
  const b = new Uint8Array(32);
  globalThis.crypto.getRandomValues(b);
  let x = 0n;
  for (const byte of b) x = (x << 8n) | BigInt(byte);
  return x % SNARK_SCALAR_FIELD;
}
