import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DEMO_PARAMS, demoItems, textLeaf } from "@zklabel/core/demo";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { circuitInfo, circuits } from "@zklabel/core/registry";
import {
  CLASS_LABEL_BITS,
  CLASSIFICATION_RULE_ID,
  classificationInput,
  MAX_CLASSES,
} from "@zklabel/core/rules/classification";
import { type RuleParams, ruleParamsHash, taskHash } from "@zklabel/core/task";
import { artifacts, ROOT, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, readSym, witness } from "../helpers/r1cs.ts";
import { recommit } from "../helpers/recommit.ts";
import { scratchCircuit } from "../helpers/scratch-circuit.ts";
import {
  assertEveryWitnessSignalConstrained,
  expectR1csRejects,
  expectUnsatisfiable,
  expectWitnessFails,
} from "../helpers/soundness.ts";

after(releaseSnarkjs);

const task = { taskId: 7n, chainId: 31337n, contract: 0x1234n, pkR: [0n, 1n] as const, goldRoot: 0n };

/** A valid witness input for the demo dataset of `items` items, batch `b`. */
function valid(name: string, items: number, b: number) {
  const circuit = circuitInfo(name);
  const data = demoItems(items);
  const tree = new DatasetTree(
    circuit.params.DEPTH,
    data.map((x) => textLeaf(x.text)),
    datasetChunk(circuit.params.N),
  );
  const N = circuit.params.N;
  const labels = data.slice(b * N, (b + 1) * N).map((x) => x.sentiment);
  return classificationInput({
    circuit,
    tree,
    task,
    params: DEMO_PARAMS,
    batchIndex: b,
    labels,
    salt: 99n,
    recipient: 0xabcdefn,
  });
}

/**
 * Expects witness generation (which asserts every constraint) to fail inside
 * the template `where`, so each case shows which constraint it breaks.
 */
const set = (arr: string | string[], i: number, v: bigint | string) => {
  const copy = [...(arr as string[])];
  copy[i] = String(v);
  return copy;
};

for (const name of ["classification_n4_d4", "classification_n64_d20"]) {
  const N = circuitInfo(name).params.N;
  const items = N * 2 + N / 2; // two full batches and a half one
  describe(`${name}: valid batches`, () => {
    it("accepts a full batch and the R1CS is satisfied", async () => {
      const { input, publicSignals } = valid(name, items, 1);
      const w = await witness(input, artifacts(name).wasm);
      const r = await readR1cs(artifacts(name).r1cs);
      assert.equal(firstViolated(r, w), -1);
      assert.deepEqual(w.slice(1, 1 + publicSignals.length), publicSignals);
    });
    it("accepts the partial last batch (count < N, zero padding)", async () => {
      const { input } = valid(name, items, 2);
      assert.equal(input.count, String(N / 2));
      await witness(input, artifacts(name).wasm);
    });
  });
}

describe("classification: each kind of invalid input fails", () => {
  const name = "classification_n4_d4";
  const full = () => valid(name, 10, 0).input;
  const partial = () => valid(name, 10, 2).input; // items 8, 9 present; 10, 11 padding

  /** The full batch with label i replaced, labelsCommitment recomputed: only the rule can fail. */
  const relabel = (input: Record<string, string | string[]>, i: number, v: bigint) =>
    recommit(name, { ...input, labels: set(input.labels, i, v) });

  it("recommit() recomputes exactly the commitment TypeScript computes for valid labels", () => {
    assert.deepEqual(recommit(name, full()), full());
    assert.deepEqual(recommit(name, partial()), partial());
  });
  it("label >= number of classes (4) and outside the mask", async () => {
    await expectUnsatisfiable(name, relabel(full(), 1, 4n), "ClassificationRule");
  });
  it("label inside 0..31 but its class is outside the allowed mask", async () => {
    await expectUnsatisfiable(name, relabel(full(), 2, 3n), "ClassificationRule");
  });
  it("label wrapped around the field (p - 1, i.e. -1) or past 5 bits", async () => {
    await expectUnsatisfiable(name, relabel(full(), 0, SNARK_SCALAR_FIELD - 1n), "ClassificationRule");
    await expectUnsatisfiable(name, relabel(full(), 0, 33n), "ClassificationRule");
  });
  it("that test fails if the mask rule is weakened into an assertion (which the witness generator alone cannot tell)", async () => {
    const src = await readFile(join(ROOT, "circuits/classification.circom"), "utf8");
    const constraint = "present[i] * (1 - mux[i][1]) === 0;";
    assert.ok(src.includes(constraint));
    const weakened = await scratchCircuit(
      `${src
        .replaceAll('include "lib/', 'include "circuits/lib/')
        .replace(constraint, "assert(present[i] * (1 - mux[i][1]) == 0);")}
component main {public [${circuitInfo(name).publicInputs.join(", ")}]} = ClassificationBatch(4, 4);
`,
    );
    const bad = relabel(full(), 2, 3n);
    await expectWitnessFails(weakened, bad, "ClassificationRule"); // the old check still passes
    await assert.rejects(expectR1csRejects(weakened, bad, "ClassificationRule"), /an assertion, not a constraint/);
  });
  it("wrong leaf (an item that is not in the dataset)", async () => {
    await expectUnsatisfiable(name, { ...full(), leaves: set(full().leaves, 3, 12345n) }, "BatchInclusion");
  });
  it("wrong batch index for these leaves", async () => {
    await expectUnsatisfiable(name, { ...full(), batchIndex: "1" }, "BatchInclusion");
    await expectUnsatisfiable(name, { ...full(), batchIndex: String(1n << 10n) }, "BatchInclusion");
  });
  it("item past count not zero (leaf or label)", async () => {
    await expectUnsatisfiable(name, { ...partial(), leaves: set(partial().leaves, 2, 5n) }, "BatchInclusion");
    await expectUnsatisfiable(name, relabel(partial(), 3, 1n), "ClassificationCore");
  });
  it("count 0 or above N, or a count below the items present", async () => {
    await expectUnsatisfiable(name, { ...full(), count: "0" }, "PresentPrefix");
    await expectUnsatisfiable(name, { ...full(), count: "5" }, "PresentPrefix");
    await expectUnsatisfiable(name, { ...partial(), count: "1" }, "BatchInclusion");
    // A count above the items present would make zero leaves "items"; the
    // escrow pins count to the task's item count (test/contracts: WrongCount).
  });
  it("taskHash of another task, or rule parameters that are not the task's", async () => {
    await expectUnsatisfiable(name, { ...full(), taskId: "8" }, "ClassificationBatch");
    await expectUnsatisfiable(name, { ...full(), ruleParams: ["4", "15", "0", "0"] }, "ClassificationBatch");
  });
  it("labelsCommitment that does not match the labels and salt", async () => {
    await expectUnsatisfiable(name, { ...full(), salt: "100" }, "ClassificationBatch");
  });
  /** The same batch under other rule parameters, with taskHash recomputed so only the rule can fail. */
  function withParams(input: Record<string, string | string[]>, params: bigint[]) {
    const th = taskHash({
      datasetRoot: BigInt(input.datasetRoot as string),
      ruleParamsHash: ruleParamsHash(CLASSIFICATION_RULE_ID, params as unknown as RuleParams),
      pkR: task.pkR,
      goldRoot: task.goldRoot,
      taskId: task.taskId,
      chainId: task.chainId,
      contract: task.contract,
    });
    return { ...input, ruleParams: params.map(String), taskHash: th.toString() };
  }

  it("is satisfiable again once the task hash matches other parameters (control for the cases below)", async () => {
    await witness(withParams(full(), [3n, 0b111n, 0n, 0n]), artifacts(name).wasm);
  });
  it("label >= number of classes even when its mask bit is set", async () => {
    // labels of batch 0 are [2, 0, 1, 2]: with 2 classes, class 2 is out of range.
    await expectUnsatisfiable(name, withParams(full(), [2n, 0b111n, 0n, 0n]), "ClassificationRule");
  });
  it("number of classes 0 or above 32, and a mask wider than 32 bits", async () => {
    // All-zero labels, recommitted so that only the rule can reject them: valid with one class.
    const zeros = recommit(name, { ...full(), labels: ["0", "0", "0", "0"] });
    await witness(withParams(zeros, [1n, 1n, 0n, 0n]), artifacts(name).wasm);
    await expectUnsatisfiable(name, withParams(zeros, [0n, 1n, 0n, 0n]), "ClassificationRule");
    await expectUnsatisfiable(name, withParams(full(), [33n, 0b111n, 0n, 0n]), "ClassificationRule");
    await expectUnsatisfiable(name, withParams(full(), [3n, 0b111n | (1n << 40n), 0n, 0n]), "ClassificationRule");
  });
  it("TypeScript refuses such parameters before any proving", () => {
    const circuit = circuitInfo(name);
    const tree = new DatasetTree(
      4,
      demoItems(10).map((x) => textLeaf(x.text)),
      datasetChunk(circuit.params.N),
    );
    for (const params of [
      { numClasses: 0, allowedMask: 1n },
      { numClasses: 33, allowedMask: 1n },
      { numClasses: 2, allowedMask: 0b100n },
    ]) {
      assert.throws(
        () =>
          classificationInput({
            circuit,
            tree,
            task,
            params,
            batchIndex: 0,
            labels: [0, 0, 0, 0],
            salt: 1n,
            recipient: 1n,
          }),
        /number of classes|mask/,
      );
    }
    assert.throws(
      () =>
        classificationInput({
          circuit,
          tree,
          task,
          params: DEMO_PARAMS,
          batchIndex: 0,
          labels: [0, 3, 0, 9],
          salt: 1n,
          recipient: 1n,
        }),
      /item 2: class 4 is not allowed in this task; item 4: class 10 is beyond the task's 4 classes/,
    );
  });
});

describe("classification: one class width", () => {
  it("classLabelBits() of the circuit, CLASS_LABEL_BITS, MAX_CLASSES and the registry's labelBits agree, and the compiled rule decomposes labels into that many bits", async () => {
    const src = await readFile(join(ROOT, "circuits/classification.circom"), "utf8");
    const m = /function classLabelBits\(\) \{\s*return (\d+);\s*\}/.exec(src);
    assert.ok(m, "classLabelBits() returns a literal");
    const bits = Number(m[1]);
    // Every use reads the function: no second literal width.
    assert.doesNotMatch(src, /(CLASS_BITS|LABEL_BITS)\s*=\s*\d/);
    assert.equal(CLASS_LABEL_BITS, bits);
    assert.equal(MAX_CLASSES, 2 ** bits);
    const classification = circuits.filter((c) => c.rule === "classification");
    assert.ok(classification.length > 0);
    for (const c of classification) assert.equal(c.labelBits, bits, `${c.name} labelBits`);
    const sym = await readSym(artifacts("classification_n4_d4").sym);
    const labelBitNames = [...sym.wireOf.keys()].filter((n) => /^main\.core\.rule\.bits\[0\]\.out\[\d+\]$/.test(n));
    assert.equal(labelBitNames.length, bits);
  });
});

describe("classification: witness mutation (no unconstrained signal)", () => {
  for (const name of ["classification_n4_d4", "classification_n64_d20"]) {
    it(`${name}: changing any witness signal breaks the R1CS`, async () => {
      const N = circuitInfo(name).params.N;
      const { input } = valid(name, N + N / 2, 1); // partial batch: exercises the padding paths
      await assertEveryWitnessSignalConstrained(name, input);
    });
  }
});
