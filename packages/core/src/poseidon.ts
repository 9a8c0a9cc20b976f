import * as P from "poseidon-lite";
import { POSEIDON_OPT } from "./generated/poseidon-opt.ts";

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

/** The BN254 scalar field modulus (field.ts has it too; field.ts imports viem, which this file need not). */
const F = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const N_ROUNDS_F = 8;
const N_ROUNDS_P = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

/** The optimized permutation's constants for one width, parsed on first use; matrices transposed (row i = output i). */
interface OptConstants {
  t: number;
  nRoundsP: number;
  C: bigint[];
  S: bigint[];
  MT: bigint[][];
  PT: bigint[][];
}
const parsed = new Map<number, OptConstants>();

function optConstants(t: number): OptConstants {
  let k = parsed.get(t);
  if (!k) {
    const hex = POSEIDON_OPT[t];
    const nums = (s: string) =>
      s
        .trim()
        .split("\n")
        .map((h) => BigInt(`0x${h}`));
    const transposed = (flat: bigint[]) =>
      Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => flat[j * t + i]));
    k = {
      t,
      nRoundsP: N_ROUNDS_P[t - 2],
      C: nums(hex.C),
      S: nums(hex.S),
      MT: transposed(nums(hex.M)),
      PT: transposed(nums(hex.P)),
    };
    parsed.set(t, k);
  }
  return k;
}

/** v^5 mod F, reduced after each product (three 508-bit reductions cost less than one of v^5's 1270 bits). */
const pow5 = (v: bigint): bigint => {
  const v2 = (v * v) % F;
  const v4 = (v2 * v2) % F;
  return (v4 * v) % F;
};

/** state := matrix · state (matrix given transposed: row i is the weights of output i), reduced mod F. */
function mix(state: bigint[], mT: bigint[][], t: number): bigint[] {
  const out: bigint[] = new Array(t);
  for (let i = 0; i < t; i++) {
    const row = mT[i];
    let acc = 0n;
    for (let j = 0; j < t; j++) acc += row[j] * state[j];
    out[i] = acc % F;
  }
  return out;
}

/**
 * circomlib's optimized Poseidon (circuits/poseidon.circom: the pre-sparse matrix P before the
 * partial rounds, then one sparse matrix S per partial round). The same function as the
 * reference permutation poseidon-lite computes (a reordering of its linear algebra), at about a
 * fifth of the multiplications for 16 inputs. Inputs must be canonical field elements.
 */
function poseidonOpt(inputs: readonly bigint[]): bigint {
  const t = inputs.length + 1;
  const { C, S, MT, PT, nRoundsP } = optConstants(t);
  const half = N_ROUNDS_F / 2;
  let state: bigint[] = [C[0]];
  for (let i = 1; i < t; i++) state.push(inputs[i - 1] + C[i]);
  for (let r = 0; r < half - 1; r++) {
    for (let i = 0; i < t; i++) state[i] = pow5(state[i]) + C[(r + 1) * t + i];
    state = mix(state, MT, t);
  }
  for (let i = 0; i < t; i++) state[i] = pow5(state[i]) + C[half * t + i];
  state = mix(state, PT, t);
  const w = 2 * t - 1;
  for (let r = 0; r < nRoundsP; r++) {
    const s0 = pow5(state[0]) + C[(half + 1) * t + r];
    const base = w * r;
    let acc = S[base] * s0;
    for (let i = 1; i < t; i++) acc += S[base + i] * state[i];
    // state[1..] only gain a product each round: left unreduced (about 516 bits after 68 rounds) until the end.
    for (let i = 1; i < t; i++) state[i] += s0 * S[base + t + i - 1];
    state[0] = acc % F;
  }
  for (let i = 1; i < t; i++) state[i] %= F;
  for (let r = 0; r < half - 1; r++) {
    for (let i = 0; i < t; i++) state[i] = pow5(state[i]) + C[(half + 1) * t + nRoundsP + r * t + i];
    state = mix(state, MT, t);
  }
  let out = 0n;
  for (let j = 0; j < t; j++) out += MT[0][j] * pow5(state[j]);
  return out % F;
}

const canonical = (xs: readonly bigint[]) => xs.every((x) => typeof x === "bigint" && x >= 0n && x < F);

/** circomlib-compatible Poseidon over 1 to 16 field elements. */
export function poseidon(inputs: readonly bigint[]): bigint {
  if ((inputs.length === 2 || inputs.length === 16) && canonical(inputs)) return poseidonOpt(inputs);
  const fn = byArity[inputs.length];
  if (!fn) throw new RangeError(`Poseidon takes 1 to 16 inputs, got ${inputs.length}`);
  return fn(inputs as bigint[]);
}

/** Poseidon of two field elements: one Merkle node. */
export const hash2 = (a: bigint, b: bigint): bigint => poseidon([a, b]);

/** The reference permutation (poseidon-lite) for any arity, for tests that compare it with the optimized one. */
export function poseidonReference(inputs: readonly bigint[]): bigint {
  const fn = byArity[inputs.length];
  if (!fn) throw new RangeError(`Poseidon takes 1 to 16 inputs, got ${inputs.length}`);
  return fn(inputs as bigint[]);
}
