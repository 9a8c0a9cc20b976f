/**
 * zkVerify's hash of a snarkjs Groth16 vkey.json: the key parsed, formatted as zkverifyjs formats it
 * and SCALE-encoded as the groth16 pallet takes it.
 */
import { concat, type Hex, isHex, keccak256 } from "viem";
import { z } from "zod";
import { invalid, MAX_PUBLIC_INPUTS, toLE32 } from "./statement.ts";

const coordinate = z
  .string()
  .regex(/^[0-9]+$/, "a coordinate must be a decimal string")
  .refine((s) => BigInt(s) < 1n << 256n, "a coordinate must fit 32 bytes");
const g1 = z.array(coordinate).min(2).max(3);
const g2 = z.array(z.array(coordinate).length(2)).min(2).max(3);

/** A snarkjs Groth16 vkey.json on BN254 (the fields zkVerify reads). */
export const snarkjsGroth16VkeySchema = z.object({
  protocol: z.literal("groth16"),
  curve: z.literal("bn128"),
  nPublic: z.number().int().min(0).max(MAX_PUBLIC_INPUTS),
  vk_alpha_1: g1,
  vk_beta_2: g2,
  vk_gamma_2: g2,
  vk_delta_2: g2,
  IC: z.array(g1).min(1),
});
export type SnarkjsGroth16Vkey = z.infer<typeof snarkjsGroth16VkeySchema>;

/**
 * A Groth16 verification key as zkVerify's groth16 pallet takes it (`VerificationKeyWithCurve`), each
 * point as arkworks bytes: G1 = x ‖ y, G2 = x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, every coordinate 32 bytes
 * little-endian (BN254).
 */
export interface FormattedGroth16Vk {
  curve: "Bn254";
  alphaG1: Hex;
  betaG2: Hex;
  gammaG2: Hex;
  deltaG2: Hex;
  gammaAbcG1: Hex[];
}

/** Parses a snarkjs vkey.json (refusing anything else, with what is wrong). */
export function parseGroth16Vkey(vkey: unknown): SnarkjsGroth16Vkey {
  const r = snarkjsGroth16VkeySchema.safeParse(vkey);
  if (!r.success) {
    throw invalid(
      `not a snarkjs Groth16 BN254 verification key with at most ${MAX_PUBLIC_INPUTS} public inputs: ${r.error.issues
        .map((i) => `${i.path.join(".") || "key"}: ${i.message}`)
        .join("; ")}`,
    );
  }
  if (r.data.IC.length !== r.data.nPublic + 1)
    throw invalid(`the key has ${r.data.IC.length} IC points for ${r.data.nPublic} public inputs`);
  return r.data;
}

/**
 * zkverifyjs's formatting of a snarkjs key (src/proofTypes/groth16/formatter/snarkjs, curve bn128 ->
 * bn254): coordinates little-endian, G2 pairs kept in snarkjs order [c0, c1], the projective z dropped.
 */
export function formatGroth16Vk(vkey: unknown): FormattedGroth16Vk {
  const k = parseGroth16Vkey(vkey);
  const p1 = (p: readonly string[]) => concat([toLE32(BigInt(p[0])), toLE32(BigInt(p[1]))]);
  const p2 = (p: readonly (readonly string[])[]) =>
    concat([p[0][0], p[0][1], p[1][0], p[1][1]].map((c) => toLE32(BigInt(c))));
  return {
    curve: "Bn254",
    alphaG1: p1(k.vk_alpha_1),
    betaG2: p2(k.vk_beta_2),
    gammaG2: p2(k.vk_gamma_2),
    deltaG2: p2(k.vk_delta_2),
    gammaAbcG1: k.IC.map(p1),
  };
}

/** SCALE compact encoding of a length (single-byte, two-byte and four-byte modes). */
function compact(n: number): Hex {
  const le = (v: number, bytes: number) => toLE32(BigInt(v)).slice(0, 2 + 2 * bytes) as Hex;
  if (n < 0 || !Number.isInteger(n)) throw invalid(`cannot SCALE-encode length ${n}`);
  if (n < 1 << 6) return le(n << 2, 1);
  if (n < 1 << 14) return le((n << 2) | 1, 2);
  if (n < 1 << 30) return le(n * 4 + 2, 4);
  throw invalid(`cannot SCALE-encode length ${n}`);
}

/** A SCALE `Vec<u8>`: compact length, then the bytes. */
const bytesVec = (h: Hex) => concat([compact((h.length - 2) / 2), h]);

/**
 * The SCALE encoding of `VerificationKeyWithCurve { curve, alpha_g1, beta_g2, gamma_g2, delta_g2,
 * gamma_abc_g1 }` (zkVerify verifiers/groth16): curve byte 0 (Bn254), each point a `Vec<u8>`, the IC a
 * `Vec<Vec<u8>>`.
 */
export function scaleEncodeGroth16Vk(vk: FormattedGroth16Vk): Hex {
  const sized = (h: Hex, bytes: number, what: string) => {
    if (!isHex(h) || h.length !== 2 + 2 * bytes) throw invalid(`${what} must be ${bytes} bytes of hex`);
    return bytesVec(h);
  };
  return concat([
    "0x00",
    sized(vk.alphaG1, 64, "alphaG1"),
    sized(vk.betaG2, 128, "betaG2"),
    sized(vk.gammaG2, 128, "gammaG2"),
    sized(vk.deltaG2, 128, "deltaG2"),
    compact(vk.gammaAbcG1.length),
    ...vk.gammaAbcG1.map((p, i) => sized(p, 64, `gammaAbcG1[${i}]`)),
  ]);
}

/**
 * zkVerify's hash of a snarkjs Groth16 vkey.json: keccak256 of the SCALE encoding of the key as zkverifyjs
 * formats it, what the chain computes for a proof submitted with that key (and the vkHash the adapter is
 * deployed with). The hash is of bytes: the same key serialized another way (arkworks sets y-sign flag
 * bits that zkverifyjs leaves at 0) hashes differently, so submit proofs with zkverifyjs's formatting, and
 * compare with zkVerify's `vk_hash` RPC (zkverifyjs `session.getVkHash`) before deploying on a real chain.
 */
export function groth16VkHash(vkey: unknown): Hex {
  return keccak256(scaleEncodeGroth16Vk(formatGroth16Vk(vkey)));
}
