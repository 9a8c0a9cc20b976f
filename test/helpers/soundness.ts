import assert from "node:assert/strict";
import { artifacts } from "./classification.ts";
import { assertFreeWasm } from "./natural-witness.ts";
import { classifyUnconstrained, firstViolated, mutationCheck, type R1cs, readR1cs, readSym, witness } from "./r1cs.ts";

type Input = Record<string, unknown>;

const r1csCache = new Map<string, Promise<R1cs>>();
/** The parsed .r1cs of a file, read once per process. */
export function cachedR1cs(path: string): Promise<R1cs> {
  let r = r1csCache.get(path);
  if (!r) {
    r = readR1cs(path);
    r1csCache.set(path, r);
  }
  return r;
}

/** Where a circuit's witness generator and constraint system are. */
export interface CircuitFiles {
  wasm: string;
  r1cs: string;
}

/** Witness generation fails inside the template `where` (a regex alternative is allowed). */
export async function expectWitnessFails(files: CircuitFiles, input: Input, where: string): Promise<void> {
  await assert.rejects(witness(input, files.wasm), (e: Error) => {
    assert.match(
      e.message,
      new RegExp(`Error in template (${where})_\\d+`),
      `expected a failure in ${where}, got: ${e.message}`,
    );
    return true;
  });
}

/** The constraint system rejects the input's natural witness (test/helpers/natural-witness.ts). */
export async function expectR1csRejects(files: CircuitFiles, input: Input, where: string): Promise<void> {
  const natural = await witness(input, await assertFreeWasm(files.wasm));
  assert.notEqual(
    firstViolated(await cachedR1cs(files.r1cs), natural),
    -1,
    `the R1CS accepts the natural witness of an input that fails in ${where}: that check is an assertion, not a constraint`,
  );
}

/**
 * An invalid input of a registry circuit, rejected twice:
 * 1. witness generation fails inside the template `where`, so each case shows
 *    which check it breaks;
 * 2. the constraint system itself rejects the input's natural witness, the
 *    signals the generator computes when no check stops it: some constraint
 *    of the .r1cs is violated. Step 1 alone cannot tell a constraint from an
 *    `assert`, which the generator checks but the proof does not; a rule
 *    weakened into an assertion fails here.
 */
export async function expectUnsatisfiable(circuit: string, input: Input, where: string): Promise<void> {
  await expectWitnessFails(artifacts(circuit), input, where);
  await expectR1csRejects(artifacts(circuit), input, where);
}

/** Mutates every witness signal of a valid witness in turn; fails on any that is not provably free. */
export async function assertEveryWitnessSignalConstrained(circuit: string, input: Input): Promise<void> {
  const { wasm, r1cs, sym } = artifacts(circuit);
  const w = await witness(input, wasm);
  const r = await cachedR1cs(r1cs);
  assert.equal(firstViolated(r, w), -1, "the witness to mutate must satisfy the R1CS");
  const { checked, unconstrained } = mutationCheck(r, w);
  const { free, findings } = classifyUnconstrained(unconstrained, { r, w, sym: await readSym(sym) });
  console.log(
    `# ${circuit}: ${checked} witness signals mutated, ${free.length} provably free (${free.join("; ")}), ${findings.length} unconstrained`,
  );
  assert.equal(checked, r.nWires - 1);
  assert.deepEqual(findings, [], `unconstrained witness signals: ${findings.join(", ")}`);
}
