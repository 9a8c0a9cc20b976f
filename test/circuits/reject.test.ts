/**
 * The gold-rejection circuits (circuits/lib/gold.circom GoldBatch, ClassificationReject,
 * BoxReject, PolygonReject) and their TypeScript twins (RuleSpec.gold, core/gold.ts): valid rejections, every
 * kind of rejection that must not exist, the exact IoU boundary, agreement of the twin with the
 * circuit, the witness-mutation check and one real Groth16 proof per deployed circuit.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, describe, it } from "node:test";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { type GoldOpening, goldLeaf, goldTree } from "@zklabel/core/gold";
import { labelsCommitment } from "@zklabel/core/labels";
import { type CircuitInfo, circuitInfo, deployedCircuit } from "@zklabel/core/registry";
import { type AnyRule, rejectCircuit, ruleByName } from "@zklabel/core/rules";
import { type Box, bboxRule, boxGoldMatches, boxLabelValue, iouAtLeast } from "@zklabel/core/rules/bbox";
import { classificationRule } from "@zklabel/core/rules/classification";
import type { KitLabel } from "@zklabel/core/rules/kit";
import {
  POLYGON_GOLD_GRID,
  POLYGON_GOLD_PER_BATCH,
  polygonGoldMatches,
  polygonIoUAtLeast,
  polygonLabel,
  polygonRule,
} from "@zklabel/core/rules/polygon";
import { sensorRule } from "@zklabel/core/rules/sensor";
import * as snarkjs from "snarkjs";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, readSym, witness } from "../helpers/r1cs.ts";
import { recommit } from "../helpers/recommit.ts";
import { assertEveryWitnessSignalConstrained, expectUnsatisfiable } from "../helpers/soundness.ts";

after(releaseSnarkjs);

type Input = Record<string, string | string[]>;
const set = (arr: string | string[], i: number, v: bigint | string) => {
  const copy = [...(arr as string[])];
  copy[i] = String(v);
  return copy;
};

/** A deterministic pseudo-random source (tests must be repeatable). */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** A gold task of `items` items: openings for every item (gold where `isGold(i)`), its tree, and the answers. */
function goldTask<A>(
  circuit: CircuitInfo,
  items: number,
  isGold: (i: number) => boolean,
  answer: (i: number) => A,
  value: (a: A) => bigint,
) {
  const openings: GoldOpening[] = Array.from({ length: items }, (_, i) => ({
    isGold: isGold(i) ? 1 : 0,
    value: isGold(i) ? value(answer(i)) : 0n,
    salt: 1000n + BigInt(i) * 7919n,
  }));
  return { openings, tree: goldTree(circuit.params.DEPTH, circuit.params.N, openings), answer };
}

/**
 * The circuit input written out field by field from the circuit's declaration, independently of
 * goldRejectInput (which the tests compare with it), and without any of its refusals: the way to
 * hand the circuit inputs for which no rejection exists.
 */
function rawInput(
  circuit: CircuitInfo,
  task: { openings: readonly GoldOpening[]; tree: ReturnType<typeof goldTree> },
  batchIndex: number,
  values: readonly bigint[],
  salt: bigint,
  bound: number,
  threshold: number,
): Input {
  const { N } = circuit.params;
  const count = Math.min(N, task.openings.length - batchIndex * N);
  const labels = Array.from({ length: N }, (_, i) => (i < count ? values[i] : 0n));
  const o = (i: number) => (i < count ? task.openings[batchIndex * N + i] : { isGold: 0, value: 0n, salt: 0n });
  const s = String;
  return {
    goldRoot: s(task.tree.root),
    batchIndex: s(batchIndex),
    count: s(count),
    labelsCommitment: s(labelsCommitment(labels, circuit.labelBits as number, salt)),
    bound: s(bound),
    goldThreshold: s(threshold),
    labels: labels.map(s),
    salt: s(salt),
    isGold: Array.from({ length: N }, (_, i) => s(o(i).isGold)),
    goldLabel: Array.from({ length: N }, (_, i) => s(o(i).value)),
    goldSalt: Array.from({ length: N }, (_, i) => s(o(i).salt)),
    pathSiblings: task.tree.batchPath(batchIndex, N).map(s),
  };
}

/** The value of a named signal in a witness (the first of `names` that O2 kept). */
async function signal(circuit: string, w: readonly bigint[], names: readonly string[]): Promise<bigint> {
  const sym = await readSym(artifacts(circuit).sym);
  for (const n of names) {
    const wire = sym.wireOf.get(n);
    if (wire !== undefined && wire >= 0) return w[wire];
  }
  throw new Error(`${circuit}: none of ${names.join(", ")} is a kept signal`);
}

/** A valid input: satisfies the R1CS, and its public signals are the ones TypeScript computed. */
async function expectSatisfied(name: string, input: Input, publicSignals?: readonly bigint[]) {
  const w = await witness(input, artifacts(name).wasm);
  assert.equal(firstViolated(await readR1cs(artifacts(name).r1cs), w), -1);
  if (publicSignals) assert.deepEqual(w.slice(1, 1 + publicSignals.length), publicSignals);
  return w;
}

describe("registry: the rejection circuits beside the worker circuits", () => {
  it("deployedCircuit(rule) is still the worker circuit; rejectCircuit(rule) the deployed rejection; sensor has none", () => {
    assert.equal(deployedCircuit("classification").name, "classification_worker_n64_d20_g20");
    assert.equal(deployedCircuit("bbox").name, "bbox_worker_n64_d20_g20");
    assert.equal(rejectCircuit(classificationRule).name, "classification_reject_n64_d20");
    assert.equal(rejectCircuit(bboxRule).name, "bbox_reject_n64_d20");
    assert.equal(sensorRule.gold, undefined);
    assert.throws(() => rejectCircuit(sensorRule), /no gold items, so no rejection/);
    for (const c of [rejectCircuit(classificationRule), rejectCircuit(bboxRule), rejectCircuit(polygonRule)]) {
      assert.deepEqual(c.publicInputs, [
        "goldRoot",
        "batchIndex",
        "count",
        "labelsCommitment",
        "bound",
        "goldThreshold",
      ]);
      assert.equal(c.labelBits, ruleByName(c.rule).labelBits);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

describe("ClassificationReject", () => {
  const NAME = "classification_reject_n4_d4";
  const circuit = circuitInfo(NAME);
  const gold = classificationRule.gold!;
  // 10 items, batches of 4: items 0, 1, 2, 5, 8 are gold; batch 1 has item 5 only; batch 2 is partial (items 8, 9).
  const task = goldTask(
    circuit,
    10,
    (i) => [0, 1, 2, 5, 8].includes(i),
    (i) => i % 4,
    gold.goldValue,
  );
  const truth = (i: number) => task.answer(i);
  const salt = 4242n;
  /** The rejection request for batch b with these labels (one per item), committed under `salt`. */
  const request = (b: number, labels: number[], bound = 80, threshold = 0) => {
    const values = labels.map(BigInt);
    const padded = Array.from({ length: 4 }, (_, i) => values[i] ?? 0n);
    return {
      circuit,
      goldTree: task.tree,
      openings: task.openings.slice(b * 4, b * 4 + labels.length),
      batchIndex: b,
      labels,
      salt,
      labelsCommitment: labelsCommitment(padded, 5, salt),
      bound,
      threshold,
    };
  };
  // Batch 0: gold items 0, 1, 2 (answers 0, 1, 2); the worker gets only item 0 right: 1 of 3 = 33%.
  const bad0 = [0, 3, 3, 1];
  const valid = () => gold.rejectInput(request(0, bad0));

  it("a batch under the bound is rejected; the twin's input is the circuit's, field by field", async () => {
    const r = valid();
    assert.equal(r.gold, 3);
    assert.equal(r.correct, 1);
    assert.deepEqual(r.input, rawInput(circuit, task, 0, bad0.map(BigInt), salt, 80, 0));
    await expectSatisfied(NAME, r.input, r.publicSignals);
  });
  it("the partial last batch (count 2, zero padding) and a batch of one gold item", async () => {
    const partial = gold.rejectInput(request(2, [1, 0])); // item 8 is gold with answer 0
    assert.equal(partial.input.count, "2");
    await expectSatisfied(NAME, partial.input, partial.publicSignals);
    const one = gold.rejectInput(request(1, [0, 0, 0, 0])); // item 5 (answer 1) labelled 0
    assert.deepEqual([one.gold, one.correct], [1, 0]);
    await expectSatisfied(NAME, one.input, one.publicSignals);
  });
  it("a batch at or above the bound has no rejection: TypeScript refuses it and the circuit has no witness", async () => {
    // 2 of 3 right = 66.7%: below 80 (rejectable), at or above 66 (not).
    const twoOfThree = [0, 1, 3, 3];
    await expectSatisfied(NAME, gold.rejectInput(request(0, twoOfThree, 67)).input);
    assert.throws(
      () => gold.rejectInput(request(0, twoOfThree, 66)),
      (e: Error & { code?: string }) =>
        e.code === "unprovable" && /match 2 of its 3 gold items .* at or above/.test(e.message),
    );
    await expectUnsatisfiable(NAME, rawInput(circuit, task, 0, twoOfThree.map(BigInt), salt, 66, 0), "GoldBatch");
    // Exactly at the bound: 1 of 2 gold items right is 50%, bound 50 -> none.
    const halfTask = goldTask(
      circuit,
      4,
      (i) => i < 2,
      (i) => i,
      gold.goldValue,
    );
    await expectSatisfied(NAME, rawInput(circuit, halfTask, 0, [0n, 0n, 0n, 0n], salt, 51, 0));
    await expectUnsatisfiable(NAME, rawInput(circuit, halfTask, 0, [0n, 0n, 0n, 0n], salt, 50, 0), "GoldBatch");
    // All right: no bound admits a rejection.
    const all = [0, 1, 2, 3].map(truth);
    assert.throws(() => gold.rejectInput(request(0, all, 100)), /at or above the bound of 100%/);
    await expectUnsatisfiable(NAME, rawInput(circuit, task, 0, all.map(BigInt), salt, 100, 0), "GoldBatch");
  });
  it("a batch without gold items cannot be rejected", async () => {
    const noGold = goldTask(circuit, 8, (i) => i < 4, truth, gold.goldValue); // batch 1 has none
    const r = { ...request(1, [3, 3, 3, 3]), goldTree: noGold.tree, openings: noGold.openings.slice(4, 8) };
    assert.throws(
      () => gold.rejectInput(r),
      (e: Error & { code?: string }) => e.code === "unprovable" && /no gold item/.test(e.message),
    );
    await expectUnsatisfiable(NAME, rawInput(circuit, noGold, 1, [3n, 3n, 3n, 3n], salt, 100, 0), "GoldBatch");
  });
  it("cherry-picking fails: a gold item made non-gold, a non-gold item made gold, a changed answer, a dropped item", async () => {
    const input = valid().input;
    // Item 0 is the one the worker got right: calling it non-gold leaves 0 of 2.
    await expectUnsatisfiable(NAME, { ...input, isGold: set(input.isGold, 0, 0n) }, "SubtreeInclusion");
    // Item 3 is not gold: calling it gold with another answer adds a mismatch.
    await expectUnsatisfiable(
      NAME,
      { ...input, isGold: set(input.isGold, 3, 1n), goldLabel: set(input.goldLabel, 3, 2n) },
      "SubtreeInclusion",
    );
    await expectUnsatisfiable(NAME, { ...input, goldLabel: set(input.goldLabel, 0, 3n) }, "SubtreeInclusion");
    // Dropping items 2 and 3 by a smaller count (the escrow pins count too) leaves their leaves out.
    const dropped = {
      ...input,
      count: "2",
      labels: set(set(input.labels, 2, 0n), 3, 0n),
      isGold: set(set(input.isGold, 2, 0n), 3, 0n),
      goldLabel: set(set(input.goldLabel, 2, 0n), 3, 0n),
      goldSalt: set(set(input.goldSalt, 2, 0n), 3, 0n),
    };
    await expectUnsatisfiable(NAME, recommit(NAME, dropped), "SubtreeInclusion");
    // An opening past count must be all zeros.
    const partial = gold.rejectInput(request(2, [1, 0])).input;
    await expectUnsatisfiable(NAME, { ...partial, goldSalt: set(partial.goldSalt, 3, 5n) }, "GoldBatch");
    await expectUnsatisfiable(NAME, { ...partial, isGold: set(partial.isGold, 2, 1n) }, "GoldBatch");
  });
  it("a forged opening, another goldRoot, or another batch index fails the inclusion", async () => {
    const input = valid().input;
    await expectUnsatisfiable(NAME, { ...input, goldSalt: set(input.goldSalt, 1, 77n) }, "SubtreeInclusion");
    await expectUnsatisfiable(NAME, { ...input, isGold: set(input.isGold, 1, 2n) }, "GoldBatch");
    const other = goldTask(
      circuit,
      10,
      () => true,
      () => 3,
      gold.goldValue,
    );
    await expectUnsatisfiable(NAME, { ...input, goldRoot: String(other.tree.root) }, "SubtreeInclusion");
    await expectUnsatisfiable(NAME, { ...input, batchIndex: "1" }, "SubtreeInclusion");
    assert.throws(
      () => gold.rejectInput({ ...request(0, bad0), openings: task.openings.slice(4, 8) }),
      /item 1: the gold opening is not the gold tree's leaf/,
    );
  });
  it("labels or salt that do not open labelsCommitment fail, and TypeScript says so", async () => {
    const input = valid().input;
    await expectUnsatisfiable(NAME, { ...input, salt: "4243" }, "GoldBatch");
    await expectUnsatisfiable(NAME, { ...input, labels: set(input.labels, 1, 2n) }, "GoldBatch");
    assert.throws(
      () => gold.rejectInput({ ...request(0, bad0), salt: 1n }),
      (e: Error & { code?: string }) =>
        e.code === "invalid_input" && /do not open the worker's labelsCommitment/.test(e.message),
    );
  });
  it("a label past 5 bits fails its range check, even recommitted", async () => {
    const input = valid().input;
    await expectUnsatisfiable(
      NAME,
      recommit(NAME, { ...input, labels: set(input.labels, 1, 33n) }),
      "ClassificationReject",
    );
    await expectUnsatisfiable(
      NAME,
      recommit(NAME, { ...input, labels: set(input.labels, 1, SNARK_SCALAR_FIELD - 1n) }),
      "ClassificationReject",
    );
  });
  it("goldThreshold other than 0 fails; bound 0 or past 7 bits fails; TypeScript refuses both", async () => {
    const input = valid().input;
    await expectUnsatisfiable(NAME, { ...input, goldThreshold: "1" }, "ClassificationReject");
    await expectUnsatisfiable(NAME, { ...input, bound: "0" }, "GoldBatch");
    await expectUnsatisfiable(NAME, { ...input, bound: "128" }, "Num2Bits");
    await expectUnsatisfiable(NAME, { ...input, bound: String(SNARK_SCALAR_FIELD - 1n) }, "Num2Bits");
    assert.throws(() => gold.rejectInput(request(0, bad0, 80, 1)), /the gold threshold must be 0/);
    assert.throws(() => gold.rejectInput(request(0, bad0, 0)), /bound must be 1..100/);
    assert.throws(() => gold.rejectInput(request(0, bad0, 101)), /bound must be 1..100/);
  });
  it("the TS twin and the circuit agree on random batches (rejection exists iff the circuit has a witness)", async () => {
    const rand = rng(7);
    for (let k = 0; k < 12; k++) {
      const labels = Array.from({ length: 4 }, () => rand(4));
      const bound = 1 + rand(100);
      const raw = rawInput(circuit, task, 0, labels.map(BigInt), salt, bound, 0);
      let twin: Input | undefined;
      try {
        twin = gold.rejectInput(request(0, labels, bound)).input;
      } catch (e) {
        assert.equal((e as { code?: string }).code, "unprovable");
      }
      if (twin) {
        assert.deepEqual(twin, raw);
        await expectSatisfied(NAME, raw);
      } else await expectUnsatisfiable(NAME, raw, "GoldBatch");
    }
  });
  it("changing any witness signal breaks the R1CS (partial batch)", async () => {
    await assertEveryWitnessSignalConstrained(NAME, gold.rejectInput(request(2, [1, 0])).input);
  });
});

// ---------------------------------------------------------------------------------------------
// Bounding boxes
// ---------------------------------------------------------------------------------------------

describe("BoxReject", () => {
  const NAME = "bbox_reject_n4_d4";
  const circuit = circuitInfo(NAME);
  const gold = bboxRule.gold!;
  const boxOf = (i: number): Box => ({ cls: i % 3, x: 10 * i, y: 20, w: 100, h: 80 });
  const task = goldTask(circuit, 10, (i) => i !== 3 && i !== 9, boxOf, gold.goldValue);
  const salt = 99n;
  const request = (b: number, labels: Box[], bound: number, threshold: number, t = task) => {
    const values = Array.from({ length: 4 }, (_, i) => (labels[i] ? boxLabelValue(labels[i]) : 0n));
    return {
      circuit,
      goldTree: t.tree,
      openings: t.openings.slice(b * 4, b * 4 + labels.length),
      batchIndex: b,
      labels,
      salt,
      labelsCommitment: labelsCommitment(values, 72, salt),
      bound,
      threshold,
    };
  };
  const far = (b: Box): Box => ({ ...b, x: b.x + 500 }); // no overlap at all
  // Batch 0: items 0, 1, 2 gold; item 0 exact, item 1 shifted away, item 2 of another class.
  const bad0 = [boxOf(0), far(boxOf(1)), { ...boxOf(2), cls: 0 }, boxOf(3)];
  const valid = () => gold.rejectInput(request(0, bad0, 50, 50));

  it("a batch under the bound is rejected; the twin's input is the circuit's, field by field", async () => {
    const r = valid();
    assert.deepEqual([r.gold, r.correct], [3, 1]);
    assert.deepEqual(r.input, rawInput(circuit, task, 0, bad0.map(boxLabelValue), salt, 50, 50));
    await expectSatisfied(NAME, r.input, r.publicSignals);
    const partial = gold.rejectInput(request(2, [far(boxOf(8)), boxOf(9)], 100, 50));
    await expectSatisfied(NAME, partial.input, partial.publicSignals);
  });

  /** A batch whose items 0 and 1 are gold boxes g0, g1 labelled a0, a1; items 2, 3 gold mismatches (so a witness always exists at bound 100). */
  async function circuitMatches(pairs: [Box, Box][], t: number): Promise<boolean[]> {
    const answers = [
      pairs[0][1],
      pairs[1]?.[1] ?? pairs[0][1],
      { cls: 0, x: 0, y: 0, w: 1, h: 1 },
      { cls: 0, x: 0, y: 0, w: 1, h: 1 },
    ];
    const labels = [
      pairs[0][0],
      pairs[1]?.[0] ?? pairs[0][0],
      { cls: 1, x: 0, y: 0, w: 1, h: 1 },
      { cls: 1, x: 0, y: 0, w: 1, h: 1 },
    ];
    const t4 = goldTask(
      circuit,
      4,
      () => true,
      (i) => answers[i],
      gold.goldValue,
    );
    const r = gold.rejectInput(request(0, labels, 100, t, t4));
    const w = await expectSatisfied(NAME, r.input, r.publicSignals);
    const out: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      const m = await signal(NAME, w, [`main.match[${i}]`, `main.matches[${i}].out`, `main.batch.match[${i}]`]);
      out.push(m === 1n);
    }
    assert.equal(r.correct, out.filter(Boolean).length, "the twin counts the circuit's matches");
    return out;
  }

  it("the IoU boundary is exact: IoU exactly t matches, one unit less overlap or t + 1 does not", async () => {
    // A 10x10 box over a 10x5 gold box: inter 50, union 100, IoU exactly 50%.
    const a: Box = { cls: 1, x: 0, y: 0, w: 10, h: 10 };
    const g: Box = { cls: 1, x: 0, y: 0, w: 10, h: 5 };
    const lower: Box = { ...a, y: 1 }; // overlap 10x4 = 40, union 110: 36.4%
    assert.equal(iouAtLeast(a, g, 50), true);
    assert.equal(iouAtLeast(a, g, 51), false);
    assert.equal(iouAtLeast(lower, g, 50), false);
    assert.deepEqual(
      await circuitMatches(
        [
          [a, g],
          [lower, g],
        ],
        50,
      ),
      [true, false],
    );
    assert.deepEqual(
      await circuitMatches(
        [
          [a, g],
          [a, g],
        ],
        51,
      ),
      [false, false],
    );
    // 3x3 on 3x3 shifted by one: inter 6, union 12: exactly 50% again; by two: 3 / 15 = 20%.
    const s: Box = { cls: 0, x: 5, y: 5, w: 3, h: 3 };
    assert.deepEqual(
      await circuitMatches(
        [
          [s, { ...s, x: 6 }],
          [s, { ...s, x: 7 }],
        ],
        50,
      ),
      [true, false],
    );
    assert.deepEqual(
      await circuitMatches(
        [
          [s, { ...s, x: 7 }],
          [s, { ...s, x: 7 }],
        ],
        20,
      ),
      [true, true],
    );
    // Two empty boxes (union 0) match; another class never does; t = 0 matches any box of the class.
    const empty: Box = { cls: 2, x: 3, y: 3, w: 0, h: 0 };
    assert.deepEqual(
      await circuitMatches(
        [
          [empty, empty],
          [{ ...s, cls: 1 }, s],
        ],
        100,
      ),
      [true, false],
    );
    assert.deepEqual(
      await circuitMatches(
        [
          [s, { ...s, x: 900 }],
          [s, s],
        ],
        0,
      ),
      [true, true],
    );
    // The largest boxes: 16-bit coordinates at their limits.
    const big: Box = { cls: 255, x: 0, y: 0, w: 0xffff, h: 0xffff };
    const big2: Box = { cls: 255, x: 0xffff, y: 0xffff, w: 0xffff, h: 0xffff };
    assert.deepEqual(
      await circuitMatches(
        [
          [big, big],
          [big, big2],
        ],
        100,
      ),
      [true, false],
    );
  });
  it("the TS twin agrees with the circuit on random boxes (36 pairs)", async () => {
    const rand = rng(2026);
    const box = (): Box => ({ cls: rand(2), x: rand(60), y: rand(60), w: rand(50), h: rand(50) });
    const outcomes = [0, 0];
    for (let k = 0; k < 18; k++) {
      const a0 = box();
      const a1 = box();
      const pairs: [Box, Box][] = [
        [a0, { ...box(), cls: a0.cls }],
        [a1, rand(4) === 0 ? box() : { ...a1, x: a1.x + rand(8), w: Math.max(0, a1.w - rand(8)), cls: a1.cls }],
      ];
      const t = rand(101);
      const want = pairs.map(([l, g]) => boxGoldMatches(l, g, t));
      assert.deepEqual(await circuitMatches(pairs, t), want, `t = ${t}: ${JSON.stringify(pairs)}`);
      for (const m of want) outcomes[Number(m)]++;
    }
    assert.ok(outcomes[0] >= 5 && outcomes[1] >= 5, `both outcomes are exercised (no match / match: ${outcomes})`);
  });
  it("a good batch, a batch without gold, cherry-picking and forged openings have no rejection", async () => {
    const good = [boxOf(0), { ...boxOf(1), w: 95 }, boxOf(2), far(boxOf(3))];
    assert.throws(() => gold.rejectInput(request(0, good, 100, 90)), /match 3 of its 3 gold items/);
    await expectUnsatisfiable(NAME, rawInput(circuit, task, 0, good.map(boxLabelValue), salt, 100, 90), "GoldBatch");
    const noGold = goldTask(circuit, 8, (i) => i < 4, boxOf, gold.goldValue);
    assert.throws(() => gold.rejectInput(request(1, bad0, 100, 50, noGold)), /no gold item/);
    await expectUnsatisfiable(NAME, rawInput(circuit, noGold, 1, bad0.map(boxLabelValue), salt, 100, 50), "GoldBatch");
    const input = valid().input;
    await expectUnsatisfiable(NAME, { ...input, isGold: set(input.isGold, 0, 0n) }, "SubtreeInclusion");
    await expectUnsatisfiable(NAME, { ...input, isGold: set(input.isGold, 3, 1n) }, "SubtreeInclusion");
    await expectUnsatisfiable(
      NAME,
      { ...input, goldLabel: set(input.goldLabel, 0, boxLabelValue(far(boxOf(0)))) },
      "SubtreeInclusion",
    );
    await expectUnsatisfiable(NAME, { ...input, goldSalt: set(input.goldSalt, 2, 1n) }, "SubtreeInclusion");
    const other = goldTask(
      circuit,
      10,
      () => true,
      () => boxOf(7),
      gold.goldValue,
    );
    await expectUnsatisfiable(NAME, { ...input, goldRoot: String(other.tree.root) }, "SubtreeInclusion");
  });
  it("wrong labels or salt fail the commitment; out-of-range thresholds, bounds, labels and gold values fail", async () => {
    const input = valid().input;
    await expectUnsatisfiable(NAME, { ...input, salt: "100" }, "GoldBatch");
    await expectUnsatisfiable(NAME, { ...input, labels: set(input.labels, 1, boxLabelValue(boxOf(1))) }, "GoldBatch");
    assert.throws(() => gold.rejectInput({ ...request(0, bad0, 50, 50), salt: 3n }), /do not open/);
    await expectUnsatisfiable(NAME, { ...input, goldThreshold: "128" }, "Num2Bits");
    await expectUnsatisfiable(NAME, { ...input, bound: "128" }, "Num2Bits");
    assert.throws(() => gold.rejectInput(request(0, bad0, 50, 101)), /minimum IoU must be 0..100/);
    await expectUnsatisfiable(NAME, recommit(NAME, { ...input, labels: set(input.labels, 3, 1n << 72n) }), "Num2Bits");
    // A gold value past 72 bits has no decomposition: a rejection over it does not exist.
    const wide = { ...task, openings: task.openings.map((o, i) => (i === 1 ? { ...o, value: 1n << 72n } : o)) };
    wide.tree = goldTree(4, 4, wide.openings);
    await expectUnsatisfiable(NAME, rawInput(circuit, wide, 0, bad0.map(boxLabelValue), salt, 50, 50), "Num2Bits");
    assert.throws(() => gold.rejectInput(request(0, bad0, 50, 50, wide)), /not a 72-bit box label/);
  });
  it("changing any witness signal breaks the R1CS (partial batch)", async () => {
    await assertEveryWitnessSignalConstrained(
      NAME,
      gold.rejectInput(request(2, [far(boxOf(8)), boxOf(9)], 100, 50)).input,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Polygons
// ---------------------------------------------------------------------------------------------

describe("PolygonReject", () => {
  const NAME = "polygon_reject_n4_d4";
  const circuit = circuitInfo(NAME);
  const gold = polygonRule.gold!;
  const value = (l: KitLabel) => polygonRule.labelValue(l);
  const rect = (cls: number, x: number, y: number, w: number, h: number) =>
    polygonLabel(cls, [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ]);
  const answerOf = (i: number) => rect(i % 2, 10 * i, 20, 60, 40);
  const far = (l: KitLabel): KitLabel => {
    const out = { ...l };
    for (let k = 0; k < l.n; k++) out[`x${k}`] += 500;
    return out;
  };
  // 10 items, batches of 4: items 0, 2 (batch 0), 5 (batch 1), 8, 9 (batch 2) are gold.
  const goldItems = [0, 2, 5, 8, 9];
  const task = goldTask(circuit, 10, (i) => goldItems.includes(i), answerOf, gold.goldValue);
  const salt = 777n;
  const request = (b: number, labels: KitLabel[], bound: number, threshold: number, t = task) => {
    const values = Array.from({ length: 4 }, (_, i) => (labels[i] ? value(labels[i]) : 0n));
    return {
      circuit,
      goldTree: t.tree,
      openings: t.openings.slice(b * 4, b * 4 + labels.length),
      batchIndex: b,
      labels,
      salt,
      labelsCommitment: labelsCommitment(values, 200, salt),
      bound,
      threshold,
    };
  };
  /** rawInput and the slots, written out: slot s holds the batch's s-th gold item. */
  const raw = (b: number, labels: KitLabel[], bound: number, threshold: number, t = task): Input => {
    const gold = t.openings.slice(b * 4, b * 4 + labels.length).flatMap((o, i) => (o.isGold === 1 ? [i] : []));
    const pick = Array.from({ length: 2 }, (_, s) => Array.from({ length: 4 }, (_, i) => (gold[s] === i ? "1" : "0")));
    return { ...rawInput(circuit, t, b, labels.map(value), salt, bound, threshold), pick: pick.flat() };
  };
  /** pick[s][i] in the flat input. */
  const at = (s: number, i: number) => s * 4 + i;
  // Batch 0: gold items 0 and 2; item 0 exact, item 2 moved away: 1 of 2.
  const bad0 = [answerOf(0), answerOf(1), far(answerOf(2)), answerOf(3)];
  const valid = () => gold.rejectInput(request(0, bad0, 80, 50));

  it("its slots and grid are the TypeScript twin's", () => {
    assert.equal(rejectCircuit(polygonRule).name, "polygon_reject_n32_d20");
    assert.equal(rejectCircuit(polygonRule).params.SLOTS, POLYGON_GOLD_PER_BATCH);
    assert.equal(rejectCircuit(polygonRule).params.GRID, POLYGON_GOLD_GRID);
    assert.equal(circuit.params.GRID, POLYGON_GOLD_GRID);
    assert.equal(gold.maxPerBatch, POLYGON_GOLD_PER_BATCH);
  });
  it("a batch under the bound is rejected; the twin's input is the circuit's, field by field", async () => {
    const r = valid();
    assert.deepEqual([r.gold, r.correct], [2, 1]);
    assert.deepEqual(r.input, raw(0, bad0, 80, 50));
    await expectSatisfied(NAME, r.input, r.publicSignals);
    // The partial last batch: items 8 and 9, both gold, both wrong.
    const partial = gold.rejectInput(request(2, [far(answerOf(8)), far(answerOf(9))], 100, 50));
    assert.equal(partial.input.count, "2");
    await expectSatisfied(NAME, partial.input, partial.publicSignals);
    // One gold item in the batch: slot 1 stays empty.
    const one = gold.rejectInput(request(1, [answerOf(4), far(answerOf(5)), answerOf(6), answerOf(7)], 100, 50));
    assert.deepEqual([one.gold, one.correct], [1, 0]);
    await expectSatisfied(NAME, one.input, one.publicSignals);
  });

  /** Whether the circuit matches `label` to `answer` at t (item 0; item 1 is a gold mismatch of another class, so a witness exists). */
  async function circuitMatch(label: KitLabel, answer: KitLabel, t: number): Promise<boolean> {
    const filler = rect(0, 0, 0, 10, 10);
    const answers = [answer, filler, filler, filler];
    const t4 = goldTask(
      circuit,
      4,
      (i) => i < 2,
      (i) => answers[i],
      gold.goldValue,
    );
    const labels = [label, { ...filler, cls: 1 }, filler, filler];
    const r = gold.rejectInput(request(0, labels, 100, t, t4));
    const w = await expectSatisfied(NAME, r.input, r.publicSignals);
    const m = await signal(NAME, w, ["main.matches[0].out", "main.match[0]", "main.batch.match[0]"]);
    assert.equal(r.correct, Number(m), "the twin counts the circuit's match");
    return m === 1n;
  }

  it("the raster IoU boundary is exact: IoU exactly t matches, t + 1 does not", async () => {
    // A 16x16 square against its upper half: the 8x8 raster's sample rows at y = 1, 3, ..., 15 put
    // 4 of 8 rows inside the half: inter 32, union 64, exactly 50%.
    const square = rect(1, 0, 0, 16, 16);
    const half = rect(1, 0, 0, 16, 8);
    assert.equal(polygonIoUAtLeast(half, square, 50), true);
    assert.equal(polygonIoUAtLeast(half, square, 51), false);
    assert.equal(await circuitMatch(half, square, 50), true);
    assert.equal(await circuitMatch(half, square, 51), false);
    // The same polygon matches at 100; another class never does; a neighbour matches only at 0.
    assert.equal(await circuitMatch(square, square, 100), true);
    assert.equal(await circuitMatch({ ...square, cls: 0 }, square, 0), false);
    const beside = rect(1, 16, 0, 16, 16);
    assert.equal(await circuitMatch(beside, square, 1), false);
    assert.equal(await circuitMatch(beside, square, 0), true);
    // Far apart, the raster of the joint box (516 wide) sees neither square: nothing is measured,
    // no match even at 0 (a zero union must not reward a label drawn anywhere).
    assert.equal(polygonIoUAtLeast(far(square), square, 0), false);
    assert.equal(await circuitMatch(far(square), square, 0), false);
    // Vertex order and start do not matter (clockwise, other first vertex).
    const turned = polygonLabel(1, [
      [16, 16],
      [16, 0],
      [0, 0],
      [0, 16],
    ]);
    assert.equal(await circuitMatch(turned, square, 100), true);
  });
  it("a self-intersecting polygon is measured by what it covers (even-odd), not by its signed area", async () => {
    // A bowtie over the square covers two of its four triangles: about half, not a match at 60.
    const square = rect(1, 0, 0, 64, 64);
    const bowtie = polygonLabel(1, [
      [0, 0],
      [64, 64],
      [64, 0],
      [0, 64],
    ]);
    assert.equal(polygonGoldMatches(bowtie, square, 60), false);
    assert.equal(await circuitMatch(bowtie, square, 60), false);
    assert.equal(await circuitMatch(bowtie, square, 40), true);
  });
  it("the TS twin agrees with the circuit on random polygons (24 pairs)", async () => {
    const rand = rng(404);
    const polygon = (cls: number): KitLabel => {
      const n = 3 + rand(4);
      const cx = 40 + rand(40);
      const cy = 40 + rand(40);
      // Vertices around a centre at rising angles (simple), or in any order (often self-intersecting).
      const ordered = rand(3) !== 0;
      const angles = Array.from({ length: n }, (_, k) =>
        ordered ? (2 * Math.PI * (k + rand(100) / 200)) / n : rand(628) / 100,
      );
      return polygonLabel(
        cls,
        angles.map((a) => {
          const r = 10 + rand(30);
          return [Math.max(0, Math.round(cx + r * Math.cos(a))), Math.max(0, Math.round(cy + r * Math.sin(a)))];
        }),
      );
    };
    const outcomes = [0, 0];
    for (let k = 0; k < 24; k++) {
      const g = polygon(rand(2));
      const kind = rand(4);
      let label: KitLabel;
      if (kind === 0) label = polygon(g.cls);
      else if (kind === 1) label = { ...polygon(g.cls), cls: 1 - g.cls };
      else {
        // The gold polygon, each vertex moved by a few pixels.
        label = { ...g };
        for (let i = 0; i < g.n; i++) {
          label[`x${i}`] = g[`x${i}`] + rand(9);
          label[`y${i}`] = Math.max(0, g[`y${i}`] - rand(9));
        }
      }
      const t = rand(101);
      const want = polygonGoldMatches(label, g, t);
      assert.equal(await circuitMatch(label, g, t), want, `t = ${t}: ${JSON.stringify([label, g])}`);
      outcomes[Number(want)]++;
    }
    assert.ok(outcomes[0] >= 5 && outcomes[1] >= 5, `both outcomes are exercised (no match / match: ${outcomes})`);
  });
  it("the slots hold exactly the gold items, in order: leaving one out, adding one, reordering or repeating fails", async () => {
    const input = valid().input;
    const pick = input.pick as string[];
    // Leave gold item 2 out of slot 1.
    await expectUnsatisfiable(NAME, { ...input, pick: set(pick, at(1, 2), 0n) }, "PolygonReject");
    // Batch 1 has one gold item (5): put non-gold item 3 in the empty slot.
    const one = gold.rejectInput(request(1, [answerOf(4), far(answerOf(5)), answerOf(6), answerOf(7)], 100, 50)).input;
    await expectUnsatisfiable(NAME, { ...one, pick: set(one.pick, at(1, 3), 1n) }, "PolygonReject");
    // Swap the slots' items; put item 0 in both slots; an empty slot before a used one.
    const swapped = set(set(set(set(pick, at(0, 0), 0n), at(0, 2), 1n), at(1, 2), 0n), at(1, 0), 1n);
    await expectUnsatisfiable(NAME, { ...input, pick: swapped }, "PolygonReject");
    await expectUnsatisfiable(NAME, { ...input, pick: set(set(pick, at(1, 2), 0n), at(1, 0), 1n) }, "PolygonReject");
    const late = set(set(one.pick as string[], at(0, 1), 0n), at(1, 1), 1n);
    await expectUnsatisfiable(NAME, { ...one, pick: late }, "PolygonReject");
    // A pick that is not a bit.
    await expectUnsatisfiable(NAME, { ...input, pick: set(pick, at(0, 0), 2n) }, "PolygonReject");
  });
  it("a batch with more gold items than slots, a good batch and a batch without gold have no rejection", async () => {
    const crowded = goldTask(circuit, 4, (i) => i < 3, answerOf, gold.goldValue);
    const wrong = [far(answerOf(0)), far(answerOf(1)), far(answerOf(2)), answerOf(3)];
    assert.throws(
      () => gold.rejectInput(request(0, wrong, 100, 50, crowded)),
      (e: Error & { code?: string }) =>
        e.code === "unprovable" && /3 gold items; .* at most 2 per batch/.test(e.message),
    );
    await expectUnsatisfiable(NAME, raw(0, wrong, 100, 50, crowded), "PolygonReject");
    const good = [answerOf(0), answerOf(1), { ...answerOf(2), x0: 22 }, answerOf(3)];
    assert.throws(() => gold.rejectInput(request(0, good, 100, 50)), /match 2 of its 2 gold items/);
    await expectUnsatisfiable(NAME, raw(0, good, 100, 50), "GoldBatch");
    const noGold = goldTask(circuit, 8, (i) => i < 4, answerOf, gold.goldValue);
    assert.throws(() => gold.rejectInput(request(1, bad0, 100, 50, noGold)), /no gold item/);
    await expectUnsatisfiable(NAME, raw(1, bad0, 100, 50, noGold), "GoldBatch");
  });
  it("forged openings, wrong labels or salt, out-of-range thresholds and malformed gold polygons fail", async () => {
    const input = valid().input;
    // Item 0 (the match) called non-gold, item 2 moved to slot 0: the gold leaf no longer opens.
    const only2 = set(set(set(input.pick, at(0, 0), 0n), at(0, 2), 1n), at(1, 2), 0n);
    await expectUnsatisfiable(NAME, { ...input, isGold: set(input.isGold, 0, 0n), pick: only2 }, "SubtreeInclusion");
    await expectUnsatisfiable(
      NAME,
      // The gold answer of item 2 changed to the worker's (far) label, which would then match.
      { ...input, goldLabel: set(input.goldLabel, 2, value(far(answerOf(2)))) },
      "SubtreeInclusion",
    );
    await expectUnsatisfiable(NAME, { ...input, salt: "778" }, "GoldBatch");
    await expectUnsatisfiable(NAME, { ...input, labels: set(input.labels, 2, value(answerOf(2))) }, "GoldBatch");
    await expectUnsatisfiable(NAME, { ...input, goldThreshold: "128" }, "Num2Bits");
    await expectUnsatisfiable(NAME, { ...input, bound: "128" }, "Num2Bits");
    assert.throws(() => gold.rejectInput(request(0, bad0, 80, 101)), /minimum IoU must be 0..100/);
    assert.throws(() => gold.rejectInput({ ...request(0, bad0, 80, 50), salt: 3n }), /do not open/);
    // A worker label past 200 bits, recommitted: PolygonFields' range check.
    await expectUnsatisfiable(NAME, recommit(NAME, { ...input, labels: set(input.labels, 0, 1n << 200n) }), "Num2Bits");
    // A gold polygon of 7 vertices, or with a vertex past n: no rejection over it exists.
    for (const bent of [value(answerOf(0)) + (7n << 5n) - (4n << 5n), value(answerOf(0)) + (1n << (8n + 32n * 5n))]) {
      const bad = { ...task, openings: task.openings.map((o, i) => (i === 0 ? { ...o, value: bent } : o)) };
      bad.tree = goldTree(4, 4, bad.openings);
      await expectUnsatisfiable(NAME, raw(0, bad0, 80, 50, bad), "PolygonFields");
      assert.throws(() => gold.rejectInput(request(0, bad0, 80, 50, bad)), /the gold polygon: /);
    }
    assert.throws(
      () =>
        gold.goldValue(
          polygonLabel(0, [
            [1, 1],
            [2, 2],
          ]),
        ),
      /3 to 6 vertices/,
    );
    // A sliver along the diagonal covers too few sample points of its own raster to be gold.
    const sliver: [number, number][] = [
      [0, 0],
      [100, 90],
      [90, 100],
    ];
    assert.throws(() => gold.goldValue(polygonLabel(0, sliver)), /covers \d+ of the 64 sample points .* fewer than 16/);
    assert.match(String(gold.answerFromFile(0, { polygon: sliver })), /fewer than 16/);
  });
  it("changing any witness signal breaks the R1CS (partial batch, one slot empty)", async () => {
    await assertEveryWitnessSignalConstrained(
      NAME,
      gold.rejectInput(request(1, [answerOf(4), far(answerOf(5)), answerOf(6), answerOf(7)], 100, 50)).input,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The deployed circuits: one real Groth16 proof each
// ---------------------------------------------------------------------------------------------

describe("deployed rejections: a Groth16 proof verifies, and not for other public signals", () => {
  const cases: {
    rule: AnyRule;
    answer: (i: number) => unknown;
    label: (i: number) => unknown;
    threshold: number;
    isGold?: (i: number) => boolean;
  }[] = [
    {
      rule: classificationRule,
      answer: (i: number) => i % 4,
      label: (i: number) => (i % 5 === 0 ? i % 4 : (i + 1) % 4),
      threshold: 0,
    },
    {
      rule: bboxRule,
      answer: (i: number): Box => ({ cls: i % 3, x: i, y: 2 * i, w: 40, h: 30 }),
      label: (i: number): Box => ({ cls: i % 3, x: i + (i % 2) * 30, y: 2 * i, w: 40, h: 30 }),
      threshold: 50,
    },
    {
      // At most SLOTS gold items a batch: items 33 and 44 of batch 1.
      rule: polygonRule,
      answer: (i: number) =>
        polygonLabel(i % 2, [
          [i, 10],
          [i + 50, 10],
          [i + 25, 60],
        ]),
      label: (i: number) =>
        polygonLabel(i % 2, [
          [i + (i % 2) * 40, 10],
          [i + 50, 10],
          [i + 25, 60],
        ]),
      threshold: 50,
      isGold: (i: number) => i % 11 === 0,
    },
  ];
  for (const c of cases) {
    it(`${c.rule.name}: rejectCircuit proves and verifies; no witness signal of it is free`, async () => {
      const circuit = rejectCircuit(c.rule);
      const { N } = circuit.params;
      const items = N + N / 2;
      const g = c.rule.gold!;
      const task = goldTask(circuit, items, c.isGold ?? ((i) => i % 3 === 0), c.answer, g.goldValue);
      const labels = Array.from({ length: N / 2 }, (_, k) => c.label(N + k));
      const values = Array.from({ length: N }, (_, i) => (labels[i] === undefined ? 0n : c.rule.labelValue(labels[i])));
      const r = g.rejectInput({
        circuit,
        goldTree: task.tree,
        openings: task.openings.slice(N),
        batchIndex: 1,
        labels,
        salt: 31337n,
        labelsCommitment: labelsCommitment(values, c.rule.labelBits, 31337n),
        bound: 90,
        threshold: c.threshold,
      });
      assert.ok(r.gold > 0 && r.correct * 100 < 90 * r.gold);
      const files = artifacts(circuit.name);
      const { proof, publicSignals } = (await snarkjs.groth16.fullProve(r.input, files.wasm, files.zkey)) as {
        proof: unknown;
        publicSignals: string[];
      };
      assert.deepEqual(publicSignals.map(BigInt), r.publicSignals);
      const vkey = JSON.parse(await readFile(files.vkey, "utf8"));
      assert.equal(await snarkjs.groth16.verify(vkey, publicSignals, proof), true);
      const higher = set(publicSignals, 4, 100n); // another bound
      assert.equal(await snarkjs.groth16.verify(vkey, higher, proof), false);
      assert.equal(
        goldLeaf(task.openings[0].isGold, task.openings[0].value, task.openings[0].salt),
        task.tree.batchLeaves(0, N)[0],
      );
      // The deployed variant too: every witness signal is constrained (a partial batch, with padding).
      await assertEveryWitnessSignalConstrained(circuit.name, r.input);
    });
  }
});
