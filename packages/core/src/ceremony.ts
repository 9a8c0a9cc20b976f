/**
 * A Groth16 trusted-setup ceremony's transcript (ceremony/<circuit>/transcript.json, written by
 * scripts/ceremony/lib.ts; docs/ceremony.md), and the hash its verifiers name, which the deploy path
 * and `zklabel doctor` check a deployment against.
 */
import { sha256, stringToBytes } from "viem";

export interface Step {
  /** 0 is the initial key; then the contributions, and the beacon last. */
  index: number;
  kind: "initial" | "contribution" | "beacon";
  /** Who contributed (the beacon: "final beacon"). */
  name: string;
  zkey: string;
  zkeySha256: string;
  /** snarkjs' contribution hash (blake2b-512, hex): the participant's attestation. Empty for the initial key. */
  attestation: string;
  /** The beacon's public randomness and its iterations exponent. */
  beacon?: { hash: string; iterationsExp: number };
}

export interface Transcript {
  version: 1;
  circuit: string;
  r1csSha256: string;
  ptau: { file: string; blake2b: string; power: number; contributions: number };
  steps: Step[];
  /** What finalize wrote from the final key. */
  final?: { vkeySha256: string; verifierSha256: string; batchVerifierSha256: string };
}

/**
 * The hash a ceremony's verifiers name (hex, no 0x): sha256 of the transcript's JSON without what
 * finalize adds (derived from the steps).
 */
export function stepsHash(t: Transcript): string {
  const { final: _, ...steps } = t;
  return sha256(stringToBytes(JSON.stringify(steps))).slice(2);
}
