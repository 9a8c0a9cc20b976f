import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { decryptFromWorker } from "@zklabel/core/encryption";
import { ruleWorkerInput } from "@zklabel/core/envelope";
import { SNARK_SCALAR_FIELD as P } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity, requesterKeyFromSignature, workerSecret } from "@zklabel/core/identity";
import { labelsCommitment, unpackLabels } from "@zklabel/core/labels";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { poseidon } from "@zklabel/core/poseidon";
import { circuitInfo } from "@zklabel/core/registry";
import {
  checkSensorLabels,
  provenSensorLabel,
  SENSOR_LABEL_BITS,
  SENSOR_RULE_ID,
  type SensorReading,
  sensorLabel,
  sensorLeaf,
  sensorRuleParams,
  sensorWorkerInput,
} from "@zklabel/core/rules/sensor";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, witness } from "../helpers/r1cs.ts";
import { recommit } from "../helpers/recommit.ts";
import { assertEveryWitnessSignalConstrained, expectUnsatisfiable } from "../helpers/soundness.ts";

after(releaseSnarkjs);

const NAME = "sensor_worker_n32_d20_t16_g20";
const circuit = circuitInfo(NAME);
const { N, T } = circuit.params;
const params = { lo: 1000, hi: 3000 };
const members = [new Identity("sensor 0"), new Identity("sensor 1"), new Identity("sensor 2")];
const requester = requesterKeyFromSignature(`0x${"12".repeat(65)}`);

/** 50 windows; every third has one reading out of range (alternately below lo and above hi). */
const windows = Array.from({ length: 50 }, (_, i) =>
  Array.from({ length: T }, (_, j) =>
    i % 3 === 0 && j === i % T ? (i % 2 ? 3001 : 999) : 1000 + ((i * 37 + j * 101) % 2001),
  ),
);

const task = { pkR: requester.pkR, goldRoot: 0n, taskId: 4n, chainId: 31337n, contract: 0xdddn };
const worker = {
  identity: workerSecret(members[2]),
  group: workerGroup(members.map((m) => m.commitment)),
  ephemeralSecret: 77n,
};

function valid(batchIndex: number, labels?: number[], ws: readonly (readonly SensorReading[])[] = windows) {
  const ls = labels ?? ws.slice(batchIndex * N, (batchIndex + 1) * N).map((w) => provenSensorLabel(w, params) ?? 0);
  // Leaves as the circuit hashes the readings (any field element, so odd windows are kept as they are).
  const leaf = (w: readonly SensorReading[]) => poseidon(w.map(BigInt));
  return sensorWorkerInput({
    circuit,
    data: {
      source: new DatasetTree(circuit.params.DEPTH, ws.map(leaf), datasetChunk(N)),
      itemCount: ws.length,
      items: ws
        .slice(batchIndex * N, (batchIndex + 1) * N)
        .map((w) => ({ contentHash: 0n, readings: w as number[], leaf: leaf(w) })),
    },
    task,
    params,
    batchIndex,
    labels: ls,
    salt: 31337n,
    recipient: 0x99n,
    ...worker,
  });
}

/**
 * The witness input of batch 0 of `ws` with any labels, built like
 * sensorWorkerInput but without its label check, to hand the circuit what
 * TypeScript refuses.
 */
function forced(ws: readonly (readonly SensorReading[])[], labels: number[]) {
  const tree = new DatasetTree(
    circuit.params.DEPTH,
    ws.map((w) => poseidon(w.map(BigInt))),
    datasetChunk(N),
  );
  const padded = Array.from({ length: N }, (_, i) => BigInt(labels[i] ?? 0));
  const shared = ruleWorkerInput(
    { circuit, ...worker, task, salt: 31337n, recipient: 0x99n, batchIndex: 0 },
    {
      datasetRoot: tree.root,
      ruleId: SENSOR_RULE_ID,
      ruleParams: sensorRuleParams(params),
      labels: padded,
      labelBits: SENSOR_LABEL_BITS,
      count: N,
    },
  );
  return {
    ...shared.input,
    readings: ws.slice(0, N).map((w) => w.map(String)),
    labels: padded.map(String),
    pathSiblings: tree.batchPath(0, N).map(String),
  };
}
describe("sensor-range worker proof", () => {
  for (const b of [0, 1]) {
    it(`batch ${b}: satisfied, and the requester decrypts exactly the committed labels`, async () => {
      const { input, publicSignals, encrypted } = valid(b);
      const w = await witness(input, artifacts(NAME).wasm);
      assert.equal(firstViolated(await readR1cs(artifacts(NAME).r1cs), w), -1);
      assert.deepEqual(w.slice(1, 1 + publicSignals.length), publicSignals);
      const plain = decryptFromWorker(encrypted, requester.skR, BigInt(b), 2);
      const labels = unpackLabels([plain[0]], 1, N);
      assert.equal(labelsCommitment(labels, 1, plain[1]), BigInt(input.labelsCommitment as string));
      const expected = windows.slice(b * N, (b + 1) * N).map((w) => BigInt(sensorLabel(w, params)));
      assert.deepEqual(labels.slice(0, expected.length), expected);
    });
  }
  it("the TypeScript checker says which reading makes a label wrong", () => {
    assert.deepEqual(
      checkSensorLabels([0, 1, 2], windows.slice(0, 3), params).map((i) => i.message),
      [
        "item 1: labeled normal but reading 0 = 999 is outside [1000, 3000]",
        "item 2: labeled anomaly but every reading is inside [1000, 3000]",
        "item 3: label 2 is neither 0 (normal) nor 1 (anomaly)",
      ],
    );
    assert.throws(() => valid(0, Array(N).fill(0)), /item 1: labeled normal but reading 0 = 999/);
  });
  it("a label that disagrees with the private readings, either way, fails in the circuit", async () => {
    const { input } = valid(0);
    assert.deepEqual(recommit(NAME, input), input);
    // Commitment and ciphertext recomputed for the wrong labels: only the rule can fail.
    const relabel = (i: number, v: string) => {
      const labels = [...(input.labels as string[])];
      labels[i] = v;
      return recommit(NAME, { ...input, labels });
    };
    for (const i of [0, 1, 3]) {
      // item 0 and 3 are anomalies, item 1 is normal: flip each.
      await expectUnsatisfiable(NAME, relabel(i, (input.labels as string[])[i] === "1" ? "0" : "1"), "SensorRule");
    }
    await expectUnsatisfiable(NAME, relabel(1, "2"), "SensorRule");
  });
  it("other readings than the committed ones fail, even a reading of 2^16 that TypeScript would not commit", async () => {
    const { input } = valid(0);
    const readings = (input.readings as string[][]).map((r) => [...r]);
    readings[1][4] = "1500"; // still in range, but not the committed value
    await expectUnsatisfiable(NAME, { ...input, readings }, "SensorCore");
    const big = (input.readings as string[][]).map((r) => [...r]);
    big[2][0] = String(1 << 16);
    await expectUnsatisfiable(NAME, { ...input, readings: big }, "SensorCore");
    assert.throws(() => sensorLeaf([1 << 16, ...Array(T - 1).fill(0)]), /reading 0 must be a 16-bit fixed-point value/);
  });
  it("readings of an item past count are free witness values: they change no public signal and no label", async () => {
    const { input, publicSignals } = valid(1);
    const r = await readR1cs(artifacts(NAME).r1cs);
    const pr = (input.readings as string[][]).map((x) => [...x]);
    pr[20][0] = "1"; // item 52 does not exist
    pr[31] = pr[0]; // nor does item 63
    const w = await witness({ ...input, readings: pr }, artifacts(NAME).wasm);
    assert.equal(firstViolated(r, w), -1);
    assert.deepEqual(w.slice(1, 1 + publicSignals.length), publicSignals);
    // Their labels are still forced to 0.
    const labels = [...(input.labels as string[])];
    labels[20] = "1";
    await expectUnsatisfiable(NAME, recommit(NAME, { ...input, readings: pr, labels }), "SensorRule");
  });
  it("a committed reading that is not a 16-bit value gets exactly the label provenSensorLabel says, or none", async () => {
    // Dataset readings other tools could commit (sensorLeaf refuses them), on items 1, 2 (normal so far) and 4.
    const lo = params.lo;
    const hi = params.hi;
    const odd: SensorReading[][] = windows.map((w) => [...w]);
    odd[1][3] = 2 ** 16 + lo - 1; // the largest reading the circuit compares: above hi, so an anomaly
    odd[2][0] = P - 1n; // -1: below lo, an anomaly
    odd[4][7] = P + BigInt(hi) - 2n ** 16n + 1n; // hi - 2^16 + 1, the smallest
    const expected = odd.slice(0, N).map((w) => sensorLabel(w.map(Number), params));
    expected[1] = expected[2] = expected[4] = 1;
    assert.deepEqual(
      odd.slice(0, N).map((w) => provenSensorLabel(w, params)),
      expected,
    );
    const { input } = valid(0, undefined, odd);
    assert.deepEqual(input, forced(odd, expected)); // forced() builds what sensorWorkerInput builds
    const w = await witness(input, artifacts(NAME).wasm);
    assert.equal(firstViolated(await readR1cs(artifacts(NAME).r1cs), w), -1);
    for (const i of [1, 2, 4]) {
      const labels = [...expected];
      labels[i] = 0;
      assert.throws(() => valid(0, labels, odd), new RegExp(`item ${i + 1}: labeled normal but reading`));
      await expectUnsatisfiable(NAME, forced(odd, labels), "SensorRule");
    }
    // One step further on either side, no label at all can be proven.
    const far: SensorReading[][] = windows.map((w) => [...w]);
    far[1][3] = 2 ** 16 + lo;
    far[2][0] = P + BigInt(hi) - 2n ** 16n;
    for (const i of [1, 2]) {
      assert.equal(provenSensorLabel(far[i], params), null);
      for (const label of [0, 1]) {
        const labels = far.slice(0, N).map((x) => provenSensorLabel(x, params) ?? label);
        assert.throws(
          () => valid(0, labels, far),
          new RegExp(`item ${i + 1}: reading \\d+ = \\d+ is not a 16-bit value .*no label can be proven`),
        );
        await expectUnsatisfiable(NAME, forced(far, labels), "Num2Bits");
      }
    }
  });
  it("changing any witness signal breaks the R1CS", async () => {
    const { input } = valid(1);
    await assertEveryWitnessSignalConstrained(NAME, input);
  });
});
