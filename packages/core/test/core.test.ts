import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { workerPublicValues } from "../src/envelope.ts";
import { errorCode } from "../src/errors.ts";
import { contentHash, SNARK_SCALAR_FIELD } from "../src/field.ts";
import { labelsCommitment, packLabels, poseidonChain, unpackLabels } from "../src/labels.ts";
import { DatasetTree, datasetChunk, rootFromItemProof, rootFromPath, zeroLadder } from "../src/merkle.ts";
import { hash2, poseidon, poseidonReference } from "../src/poseidon.ts";
import { proofToWords, wordsToProof } from "../src/proof.ts";
import { circuitInfo, namePublicSignals, orderPublicSignals } from "../src/registry.ts";
import { bboxRule } from "../src/rules/bbox.ts";
import {
  checkClassificationLabels,
  checkClassificationParams,
  classificationRule,
} from "../src/rules/classification.ts";
import { type AnyRule, ruleParamIssues, ruleParamsOf } from "../src/rules/index.ts";
import { checkSensorLabels, provenSensorLabel, sensorLabel, sensorLeaf, sensorRule } from "../src/rules/sensor.ts";

describe("field", () => {
  it("content hashes are sha256 >> 8 and always fit the field", () => {
    const h = contentHash(new TextEncoder().encode("abc"));
    assert.equal(h, 0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adn >> 8n);
    assert.ok(h < SNARK_SCALAR_FIELD);
  });
});

describe("poseidon", () => {
  it("the optimized Poseidon(2) and Poseidon(16) equal the reference permutation (poseidon-lite)", () => {
    // circomlib's test vector: Poseidon([1, 2]).
    assert.equal(hash2(1n, 2n), 0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189an);
    let x = 0x1234567890abcdefn;
    const next = () => {
      x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 256n;
      return x % SNARK_SCALAR_FIELD;
    };
    for (const n of [2, 16]) {
      const cases = [
        Array(n).fill(0n),
        Array(n).fill(SNARK_SCALAR_FIELD - 1n),
        ...Array.from({ length: 20 }, () => Array.from({ length: n }, next)),
      ];
      for (const xs of cases) assert.equal(poseidon(xs), poseidonReference(xs), `Poseidon(${n}) of ${xs}`);
    }
    // Not canonical: the reference's answer, whatever it is.
    assert.equal(poseidon([SNARK_SCALAR_FIELD, 1n]), poseidonReference([SNARK_SCALAR_FIELD, 1n]));
  });
});

describe("merkle", () => {
  const leaves = Array.from({ length: 37 }, (_, i) => BigInt(i + 1));
  const tree = new DatasetTree(6, leaves);

  it("matches a naive tree: chunks of 16 leaves under one Poseidon(16), then binary, zero leaves included", () => {
    const padded = [...leaves, ...Array(64 - 37).fill(0n)];
    let level = Array.from({ length: 4 }, (_, k) => poseidon(padded.slice(16 * k, 16 * k + 16)));
    while (level.length > 1) level = level.flatMap((_, i) => (i % 2 ? [] : [hash2(level[i], level[i + 1])]));
    assert.equal(tree.root, level[0]);
    // Small test circuits use their whole batch as one chunk.
    const four = new DatasetTree(3, leaves.slice(0, 5), 4);
    const c = [poseidon(leaves.slice(0, 4)), poseidon([leaves[4], 0n, 0n, 0n])];
    assert.equal(four.root, hash2(c[0], c[1]));
    assert.equal(datasetChunk(4), 4);
    assert.equal(datasetChunk(64), 16);
  });
  it("every item's proof leads to the root, and batch paths lead from batch subtrees", () => {
    for (const i of [0, 1, 15, 16, 36, 40, 63]) {
      assert.equal(rootFromItemProof(tree.node(0, i), tree.itemProof(i)), tree.root);
    }
    assert.throws(() => rootFromItemProof(999n, tree.itemProof(3)), /not this item's leaf/);
    for (const b of [0, 1, 2, 3]) assert.equal(rootFromPath(tree.node(4, b), b, tree.batchPath(b, 16)), tree.root);
    for (const b of [0, 1]) assert.equal(rootFromPath(tree.node(5, b), b, tree.batchPath(b, 32)), tree.root);
    assert.deepEqual(tree.batchLeaves(2, 16).slice(5), Array(11).fill(0n));
  });
  it("an empty tree's root is the zero ladder's top, and shapes and sizes are checked", () => {
    assert.equal(new DatasetTree(5, []).root, zeroLadder(5)[5]);
    assert.throws(() => new DatasetTree(4, Array(17).fill(1n)), /do not fit a tree of depth 4/);
    assert.throws(() => new DatasetTree(3, [1n]), /tree depth must be 4\.\.32 for chunks of 16/);
    assert.throws(() => new DatasetTree(6, [1n], 12), /chunk must be a power of two/);
    assert.throws(() => tree.batchPath(0, 12), /power of two/);
    assert.throws(() => tree.batchPath(0, 8), /smaller than the tree's chunk of 16/);
    assert.throws(() => tree.node(2, 0), /no nodes at height 2/);
  });
  it("builds a 100k-item dataset at depth 20", () => {
    const big = new DatasetTree(
      20,
      Array.from({ length: 100_000 }, (_, i) => BigInt(i) * 7919n + 1n),
    );
    assert.equal(rootFromItemProof(big.node(0, 99_999), big.itemProof(99_999)), big.root);
  });
});

describe("worker public values", () => {
  it("names a worker proof's signals back exactly as orderPublicSignals laid them out", () => {
    const c = circuitInfo("classification_worker_n64_d20_g20");
    const named = {
      taskHash: 1n,
      groupRoot: 2n,
      nullifier: 3n,
      batchIndex: 4n,
      count: 5n,
      recipient: 6n,
      epk: [7n, 8n] as const,
      labelsCommitment: 9n,
      ciphertext: [10n, 11n, 12n, 13n],
    };
    assert.deepEqual(workerPublicValues(c, orderPublicSignals(c, named)), named);
    assert.throws(() => workerPublicValues(c, [1n, 2n]), /do not fit its public inputs/);
  });
});

describe("labels", () => {
  it("packs 31 eight-bit labels per element and unpacks them", () => {
    const labels = Array.from({ length: 64 }, (_, i) => BigInt((i * 5) % 32));
    const packed = packLabels(labels, 8);
    assert.equal(packed.length, 3);
    assert.deepEqual(unpackLabels(packed, 8, 64), labels);
    assert.throws(() => packLabels([256n], 8), /does not fit 8 bits/);
  });
  it("the commitment chains Poseidon over chunks of 15 and depends on the salt", () => {
    const els = Array.from({ length: 20 }, (_, i) => BigInt(i));
    assert.equal(poseidonChain(els, 5n), poseidon([poseidon([5n, ...els.slice(0, 15)]), ...els.slice(15)]));
    assert.notEqual(labelsCommitment([1n, 2n], 8, 1n), labelsCommitment([1n, 2n], 8, 2n));
  });
});

describe("classification checks", () => {
  it("name the first violated rule per label, typed (0-based item, code, values) and in words (1-based)", () => {
    const p = { numClasses: 4, allowedMask: 0b0111n };
    const issues = checkClassificationLabels([0, 3, 5, 1.5], p, 64);
    assert.deepEqual(
      issues.map((i) => [i.item, i.code, i.label]),
      [
        [65, "class_not_allowed", 3],
        [66, "class_out_of_range", 5],
        [67, "not_a_class", 1.5],
      ],
    );
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        "item 66: class 4 is not allowed in this task",
        "item 67: class 6 is beyond the task's 4 classes",
        "item 68: label 1.5 is not a class number",
      ],
    );
    assert.deepEqual(checkClassificationParams(p), []);
    assert.match(checkClassificationParams({ numClasses: 2, allowedMask: 0b100n })[0], /allows classes beyond the 2/);
  });
});

describe("sensor checks", () => {
  const p = { lo: 1000, hi: 3000 };
  const P = SNARK_SCALAR_FIELD;
  const window = (r: number | bigint) => [r, 1500, 2000];
  it("16-bit readings: the label the circuit proves is the rule's", () => {
    for (const r of [0, 999, 1000, 2000, 3000, 3001, 65535]) {
      assert.equal(provenSensorLabel(window(r), p), sensorLabel([r, 1500, 2000], p), `reading ${r}`);
    }
    assert.equal(provenSensorLabel([5, 6], { lo: 10, hi: 4 }), 1); // lo > hi: every window is an anomaly
    assert.equal(provenSensorLabel([5], { lo: 70000, hi: 80000 }), null); // the circuit range-checks lo and hi
  });
  it("a reading outside 16 bits proves 1 within 2^16 of both bounds and nothing beyond", () => {
    const cases: [bigint, 1 | null][] = [
      [2n ** 16n, 1],
      [2n ** 16n + 999n, 1], // lo + 2^16 - 1
      [2n ** 16n + 1000n, null], // lo + 2^16
      [P - 1n, 1], // -1
      [P + 3000n - 2n ** 16n + 1n, 1], // hi - 2^16 + 1
      [P + 3000n - 2n ** 16n, null], // hi - 2^16
      [2n ** 200n, null],
    ];
    for (const [r, label] of cases) assert.equal(provenSensorLabel(window(r), p), label, `reading ${r}`);
    // With hi = 65535 the window reaches hi + 2^16; with lo = 0 it starts at lo - 2^16 = -2^16.
    assert.equal(provenSensorLabel([2n ** 16n + 40000n], { lo: 50000, hi: 65535 }), 1);
    assert.equal(provenSensorLabel([P - 2n ** 16n], { lo: 0, hi: 0 }), null); // hi - 2^16 is excluded
    assert.equal(provenSensorLabel([P - 2n ** 16n + 1n], { lo: 0, hi: 0 }), 1);
    assert.throws(() => provenSensorLabel([P], p), /reading 0 must be an integer in \[0, field modulus\)/);
    assert.throws(() => provenSensorLabel([1.5], p), /reading 0 must be an integer/);
  });
  it("the checker names the reading that leaves no label provable; commitments stay 16-bit", () => {
    const issues = checkSensorLabels(
      [1, 1, 0],
      [window(2n ** 16n + 999n), window(2n ** 16n + 1000n), window(P - 1n)],
      p,
      7,
    );
    assert.deepEqual(
      issues.map((i) => [i.item, i.code, i.reading]),
      [
        [8, "reading_not_comparable", 0],
        [9, "missed_anomaly", 0],
      ],
    );
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        "item 9: reading 0 = 66536 is not a 16-bit value and too far from [1000, 3000] to compare: no label can be proven",
        `item 10: labeled normal but reading 0 = ${P - 1n} is outside [1000, 3000]`,
      ],
    );
    assert.deepEqual(
      checkSensorLabels([0], [[1]], { lo: 1, hi: 70000 }).map((i) => i.message),
      ["item 1: lo = 1 and hi = 70000 must be 16-bit values: no label can be proven"],
    );
    assert.throws(() => sensorLeaf([65536]), /reading 0 must be a 16-bit fixed-point value 0..65535, got 65536/);
  });
});

describe("registry and proof encoding", () => {
  it("orders public signals as circuits/circuits.json says", () => {
    const c = circuitInfo("classification_n64_d20");
    const named = { taskHash: 1n, batchIndex: 2n, count: 3n, recipient: 4n, labelsCommitment: 5n };
    assert.deepEqual(orderPublicSignals(c, named), [1n, 2n, 3n, 4n, 5n]);
    assert.deepEqual(namePublicSignals(c, [1n, 2n, 3n, 4n, 5n]), named);
    assert.throws(() => circuitInfo("nope"), /unknown circuit "nope"; known: classification_n64_d20/);
  });
  it("proof words round-trip with B's coordinates swapped for the EVM", () => {
    const p = {
      pi_a: ["1", "2", "1"],
      pi_b: [
        ["3", "4"],
        ["5", "6"],
        ["1", "0"],
      ],
      pi_c: ["7", "8", "1"],
    };
    const w = proofToWords(p);
    assert.deepEqual(w, [1n, 2n, 4n, 3n, 6n, 5n, 7n, 8n]);
    assert.deepEqual(wordsToProof(w).pi_b.slice(0, 2), p.pi_b.slice(0, 2));
  });
});

describe("rule parameter slots (the escrow checks only that each is a field element)", () => {
  it("accepts each rule's own encoding and decodes it back", () => {
    for (const [rule, params] of [
      [classificationRule, { numClasses: 4, allowedMask: 0b1011n }],
      [bboxRule, { numClasses: 3, allowedMask: 0b111n, minWidth: 8, minHeight: 6 }],
      [sensorRule, { lo: 1000, hi: 3000 }],
    ] as [AnyRule, unknown][]) {
      const slots = rule.encodeParams(params);
      assert.deepEqual(ruleParamIssues(rule, slots), []);
      assert.deepEqual(ruleParamsOf(rule, slots), params);
    }
  });
  it("names each slot outside the rule: a wide class count, a mask beyond the classes, a value in an unused slot, lo above hi, a non-16-bit size", () => {
    const cases: [AnyRule, bigint[], RegExp][] = [
      [classificationRule, [33n, 1n, 0n, 0n], /number of classes must be 1\.\.32, got 33/],
      [classificationRule, [4n, 0b10000n, 0n, 0n], /allows classes beyond the 4/],
      [classificationRule, [4n, 0n, 0n, 0n], /must set at least one/],
      [
        classificationRule,
        [4n, 1n, 0n, 7n],
        /slot 3 holds 7, which classification does not use that way \(expected 0\)/,
      ],
      [classificationRule, [2n ** 80n, 1n, 0n, 0n], /number of classes must be 1\.\.32/],
      [sensorRule, [3000n, 1000n, 0n, 0n], /lo \(3000\) must not be above hi \(1000\)/],
      [sensorRule, [1n, 2n, 5n, 0n], /slot 2 holds 5/],
      [bboxRule, [3n, 7n, 70000n, 1n], /minimum width must be 0\.\.65535, got 70000/],
    ];
    for (const [rule, slots, msg] of cases) {
      assert.match(ruleParamIssues(rule, slots).join("; "), msg, `${rule.name} ${slots}`);
      assert.throws(
        () => ruleParamsOf(rule, slots),
        (e: unknown) => errorCode(e) === "invalid_params" && msg.test((e as Error).message),
      );
    }
    assert.match(ruleParamIssues(sensorRule, [1n, 2n, 0n]).join(), /4 rule parameter slots, not 3/);
  });
});
