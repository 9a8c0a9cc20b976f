import { poseidon } from "./poseidon.ts";

/** Labels per field element for a label width (PackLabels in circuits/lib/labels.circom). */
export const labelsPerElement = (bits: number): number => Math.floor(248 / bits);

/** Packs labels of `bits` bits, little-endian, floor(248 / bits) per field element. */
export function packLabels(labels: readonly bigint[], bits: number): bigint[] {
  const per = labelsPerElement(bits);
  const out: bigint[] = [];
  for (let k = 0; k * per < labels.length; k++) {
    let acc = 0n;
    for (let j = 0; j < per && k * per + j < labels.length; j++) {
      const v = labels[k * per + j];
      if (v < 0n || v >= 1n << BigInt(bits))
        throw new RangeError(`label ${k * per + j} = ${v} does not fit ${bits} bits`);
      acc |= v << BigInt(bits * j);
    }
    out.push(acc);
  }
  return out;
}

/** Inverse of packLabels for `n` labels. */
export function unpackLabels(packed: readonly bigint[], bits: number, n: number): bigint[] {
  const per = labelsPerElement(bits);
  const mask = (1n << BigInt(bits)) - 1n;
  return Array.from({ length: n }, (_, i) => (packed[Math.floor(i / per)] >> BigInt(bits * (i % per))) & mask);
}

/** acc = salt; for each chunk c of up to 15 elements: acc = Poseidon(acc, c...) (PoseidonChain). */
export function poseidonChain(elements: readonly bigint[], salt: bigint): bigint {
  let acc = salt;
  for (let i = 0; i < elements.length; i += 15) acc = poseidon([acc, ...elements.slice(i, i + 15)]);
  return acc;
}

/** labelsCommitment of a whole batch (N labels, zeros past count) under `salt`. */
export function labelsCommitment(labels: readonly bigint[], bits: number, salt: bigint): bigint {
  return poseidonChain(packLabels(labels, bits), salt);
}
