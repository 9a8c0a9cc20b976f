/**
 * zkVerify's statement of a Groth16 proof (the leaf an aggregation holds) and the public signals as
 * zkVerify reads them: field elements, each 32 bytes little-endian.
 */
import { ZkLabelError } from "@zklabel/core/errors";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { concat, type Hex, isHex, keccak256, sha256, stringToHex } from "viem";

/** keccak256("groth16"): the groth16 verifier's context in every statement. */
export const PROVING_SYSTEM_ID: Hex = keccak256(stringToHex("groth16"));
/** sha256("") (sha256, not keccak): zkVerify's verifier version hash of every Groth16 proof. */
export const VERSION_HASH: Hex = sha256("0x");
/** zkVerify refuses a Groth16 proof with more public inputs (runtime GROTH16_MAX_NUM_INPUTS). */
export const MAX_PUBLIC_INPUTS = 64;

/** A refusal of what the caller gave (ZkLabelError "invalid_input"). */
export const invalid = (message: string) => new ZkLabelError("invalid_input", message);

/** A 256-bit value as 32 bytes little-endian (arkworks' encoding of a BN254 scalar or coordinate). */
export function toLE32(v: bigint): Hex {
  if (v < 0n || v >= 1n << 256n) throw invalid(`${v} does not fit 32 bytes`);
  const be = v.toString(16).padStart(64, "0");
  return `0x${(be.match(/../g) ?? []).reverse().join("")}`;
}

/** Public signals as field elements: refuses what is not a scalar below the BN254 field modulus. */
export function scalars(publicSignals: readonly (bigint | string)[]): bigint[] {
  return publicSignals.map((s, i) => {
    let x: bigint;
    try {
      x = BigInt(s);
    } catch {
      throw invalid(`public signal ${i} (${String(s)}) is not an integer`);
    }
    if (x < 0n || x >= SNARK_SCALAR_FIELD) throw invalid(`public signal ${i} (${x}) is not a field element`);
    return x;
  });
}

/**
 * zkVerify's statement of a Groth16 proof, the leaf its aggregation holds:
 * keccak256(PROVING_SYSTEM_ID ‖ vkHash ‖ VERSION_HASH ‖ keccak256(LE32(x_0) ‖ … ‖ LE32(x_{k-1}))).
 */
export function groth16Statement(vkHash: Hex, publicSignals: readonly (bigint | string)[]): Hex {
  if (!isHex(vkHash) || vkHash.length !== 66) throw invalid(`vkHash ${vkHash} is not 32 bytes of hex`);
  const xs = scalars(publicSignals);
  if (xs.length > MAX_PUBLIC_INPUTS)
    throw invalid(`${xs.length} public inputs: zkVerify takes at most ${MAX_PUBLIC_INPUTS}`);
  const inputsHash = keccak256(xs.length === 0 ? "0x" : concat(xs.map(toLE32)));
  return keccak256(concat([PROVING_SYSTEM_ID, vkHash, VERSION_HASH, inputsHash]));
}
