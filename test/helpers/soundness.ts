import assert from "node:assert/strict";
import { artifacts } from "./classification.ts";
import { classifyUnconstrained, mutationCheck, readR1cs, readSym, witness } from "./r1cs.ts";

type Input = Record<string, unknown>;

/**
 * Expects witness generation (which asserts every constraint) to fail inside
 * the template `where` (a regex alternative is allowed), so each case shows
 * which constraint it breaks.
 */
export async function expectUnsatisfiable(circuit: string, input: Input, where: string): Promise<void> {
  await assert.rejects(witness(input, artifacts(circuit).wasm), (e: Error) => {
    assert.match(
      e.message,
      new RegExp(`Error in template (${where})_\\d+`),
      `expected a failure in ${where}, got: ${e.message}`,
    );
    return true;
  });
}

/** Mutates every witness signal of a valid witness in turn; fails on any that is not provably free. */
export async function assertEveryWitnessSignalConstrained(circuit: string, input: Input): Promise<void> {
  const { wasm, r1cs, sym } = artifacts(circuit);
  const w = await witness(input, wasm);
  const r = await readR1cs(r1cs);
  const { checked, unconstrained } = mutationCheck(r, w);
  const { free, findings } = classifyUnconstrained(unconstrained, await readSym(sym));
  console.log(
    `# ${circuit}: ${checked} witness signals mutated, ${free.length} provably free (${free.join("; ")}), ${findings.length} unconstrained`,
  );
  assert.equal(checked, r.nWires - 1);
  assert.deepEqual(findings, [], `unconstrained witness signals: ${findings.join(", ")}`);
}
