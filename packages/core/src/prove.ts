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

/**
 * Proves a batch with snarkjs (same call in Node and the browser) and checks the
 * circuit produced exactly the public signals the caller expects.
 */
export async function proveBatch(
  input: Record<string, string | string[]>,
  expectedPublic: readonly bigint[],
  artifacts: ProvingArtifacts,
): Promise<BatchProof> {
  let res: { proof: SnarkjsProof; publicSignals: string[] };
  try {
    res = await snarkjs.groth16.fullProve(input, asInput(artifacts.wasm), asInput(artifacts.zkey));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/Assert Failed|Error in template/i.test(msg)) {
      throw new UnprovableBatchError(
        `the labels break a rule of the circuit, so no proof exists (${msg.split("\n")[0]})`,
      );
    }
    throw e;
  }
  const publicSignals = res.publicSignals.map((x) => BigInt(x));
  if (publicSignals.length !== expectedPublic.length || publicSignals.some((x, i) => x !== expectedPublic[i])) {
    throw new Error(
      "the circuit's public signals differ from the ones computed in TypeScript: encodings are out of sync",
    );
  }
  return { proof: proofToWords(res.proof), publicSignals, raw: res.proof };
}

/** snarkjs keeps a multi-threaded curve (worker threads) alive between calls; Node processes release it when done. */
export async function releaseSnarkjs(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
}
