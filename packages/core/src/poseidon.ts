import * as P from "poseidon-lite";

const byArity = [
  undefined,
  P.poseidon1,
  P.poseidon2,
  P.poseidon3,
  P.poseidon4,
  P.poseidon5,
  P.poseidon6,
  P.poseidon7,
  P.poseidon8,
  P.poseidon9,
  P.poseidon10,
  P.poseidon11,
  P.poseidon12,
  P.poseidon13,
  P.poseidon14,
  P.poseidon15,
  P.poseidon16,
];

/** circomlib-compatible Poseidon over 1 to 16 field elements. */
export function poseidon(inputs: readonly bigint[]): bigint {
  const fn = byArity[inputs.length];
  if (!fn) throw new RangeError(`Poseidon takes 1 to 16 inputs, got ${inputs.length}`);
  return fn(inputs as bigint[]);
}

/** Poseidon of two field elements: one Merkle node. */
export const hash2 = (a: bigint, b: bigint): bigint => P.poseidon2([a, b]);
