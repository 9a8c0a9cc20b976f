/** A Groth16 proof as snarkjs returns it. */
export interface SnarkjsProof {
  pi_a: readonly string[];
  pi_b: readonly (readonly string[])[];
  pi_c: readonly string[];
}

/** The eight words the escrow's `proof` argument takes: A, B (coordinates swapped for EIP-197), C. */
export type ProofWords = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

/** snarkjs proof -> the escrow's uint256[8]. */
export function proofToWords(p: SnarkjsProof): ProofWords {
  const b = (x: string) => BigInt(x);
  return [
    b(p.pi_a[0]),
    b(p.pi_a[1]),
    b(p.pi_b[0][1]),
    b(p.pi_b[0][0]),
    b(p.pi_b[1][1]),
    b(p.pi_b[1][0]),
    b(p.pi_c[0]),
    b(p.pi_c[1]),
  ];
}

/** Inverse of proofToWords, for re-verifying an on-chain proof with snarkjs. */
export function wordsToProof(w: ProofWords): SnarkjsProof & { protocol: "groth16"; curve: "bn128" } {
  const s = (x: bigint) => x.toString();
  return {
    pi_a: [s(w[0]), s(w[1]), "1"],
    pi_b: [
      [s(w[3]), s(w[2])],
      [s(w[5]), s(w[4])],
      ["1", "0"],
    ],
    pi_c: [s(w[6]), s(w[7]), "1"],
    protocol: "groth16",
    curve: "bn128",
  };
}
