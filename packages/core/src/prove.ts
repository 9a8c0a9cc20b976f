import * as snarkjs from "snarkjs";
import { type ProofWords, proofToWords, type SnarkjsProof } from "./proof.ts";

/** A circuit's witness generator and proving key: file paths (Node) or bytes (browser). */
export interface ProvingArtifacts {
  wasm: string | Uint8Array;
  zkey: string | Uint8Array;
}

/** A proof ready for the escrow, with the public signals it proves. */
export interface BatchProof {
  proof: ProofWords;
  publicSignals: bigint[];
  raw: SnarkjsProof;
}

/** Thrown when the labels break a circuit constraint: no proof exists for them. */
export class UnprovableBatchError extends Error {
  override name = "UnprovableBatchError";
}

const asInput = (a: string | Uint8Array) => (typeof a === "string" ? a : { type: "mem" as const, data: a });

/** A computed witness (snarkjs's in-memory .wtns), between computeWitness and proveWitness. */
export type Witness = { type: "mem"; data?: Uint8Array };

/**
 * Runs the circuit's witness generator: this is where every constraint is checked, so labels
 * that break the rule fail here with an UnprovableBatchError, before the (longer) proof.
 */
export async function computeWitness(
  input: Record<string, string | string[]>,
  wasm: string | Uint8Array,
): Promise<Witness> {
  const wtns: Witness = { type: "mem" };
  try {
    await snarkjs.wtns.calculate(input, asInput(wasm), wtns);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/Assert Failed|Error in template/i.test(msg)) {
      throw new UnprovableBatchError(
        `the labels break a rule of the circuit, so no proof exists (${msg.split("\n")[0]})`,
      );
    }
    throw e;
  }
  return wtns;
}

/** Proves a computed witness and checks the circuit produced exactly the public signals the caller expects. */
export async function proveWitness(
  wtns: Witness,
  expectedPublic: readonly bigint[],
  zkey: string | Uint8Array,
): Promise<BatchProof> {
  const res = (await snarkjs.groth16.prove(asInput(zkey), wtns)) as { proof: SnarkjsProof; publicSignals: string[] };
  const publicSignals = res.publicSignals.map((x) => BigInt(x));
  if (publicSignals.length !== expectedPublic.length || publicSignals.some((x, i) => x !== expectedPublic[i])) {
    throw new Error(
      "the circuit's public signals differ from the ones computed in TypeScript: encodings are out of sync",
    );
  }
  return { proof: proofToWords(res.proof), publicSignals, raw: res.proof };
}

/**
 * Proves one input of any circuit with snarkjs (same call in Node and the browser): witness, then proof, with
 * the checks of both.
 */
export async function proveCircuit(
  input: Record<string, string | string[]>,
  expectedPublic: readonly bigint[],
  artifacts: ProvingArtifacts,
): Promise<BatchProof> {
  return proveWitness(await computeWitness(input, artifacts.wasm), expectedPublic, artifacts.zkey);
}

/** snarkjs keeps a multi-threaded curve (worker threads) alive between calls; Node processes release it when done. */
export async function releaseSnarkjs(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
}
