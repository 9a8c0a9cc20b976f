import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { decryptFromWorker } from "@zklabel/core/encryption";
import { workerGroup } from "@zklabel/core/group";
import { Identity, requesterKeyFromSignature, workerSecret } from "@zklabel/core/identity";
import { labelsCommitment, unpackLabels } from "@zklabel/core/labels";
import { circuitInfo } from "@zklabel/core/registry";
import { checkSensorLabels, sensorLeaf, sensorRule, sensorWorkerInput } from "@zklabel/core/sensor";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, witness } from "../helpers/r1cs.ts";
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

function valid(batchIndex: number, labels?: number[]) {
  const ls = labels ?? windows.slice(batchIndex * N, (batchIndex + 1) * N).map((w) => sensorRule(w, params));
  return sensorWorkerInput({
    circuit,
    windows,
    task: { pkR: requester.pkR, goldRoot: 0n, taskId: 4n, chainId: 31337n, contract: 0xdddn },
    params,
    batchIndex,
    labels: ls,
    salt: 31337n,
    recipient: 0x99n,
    identity: workerSecret(members[2]),
    group: workerGroup(members.map((m) => m.commitment)),
  });
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
      const expected = windows.slice(b * N, (b + 1) * N).map((w) => BigInt(sensorRule(w, params)));
      assert.deepEqual(labels.slice(0, expected.length), expected);
    });
  }
  it("the TypeScript checker says which reading makes a label wrong", () => {
    assert.deepEqual(checkSensorLabels([0, 1, 2], windows.slice(0, 3), params), [
      "item 0: labeled normal but reading 0 = 999 is outside [1000, 3000]",
      "item 1: labeled anomaly but every reading is inside [1000, 3000]",
      "item 2: label 2 is neither 0 (normal) nor 1 (anomaly)",
    ]);
    assert.throws(() => valid(0, Array(N).fill(0)), /item 0: labeled normal but reading 0 = 999/);
  });
  it("a label that disagrees with the private readings, either way, fails in the circuit", async () => {
    const { input } = valid(0);
    for (const i of [0, 1, 3]) {
      // item 0 and 3 are anomalies, item 1 is normal: flip each.
      const labels = [...(input.labels as string[])];
      labels[i] = labels[i] === "1" ? "0" : "1";
      await expectUnsatisfiable(NAME, { ...input, labels }, "SensorRule");
    }
    const labels = [...(input.labels as string[])];
    labels[1] = "2";
    await expectUnsatisfiable(NAME, { ...input, labels }, "SensorRule");
  });
  it("other readings than the committed ones, readings on an absent item, or a reading of 2^16 fail", async () => {
    const { input } = valid(0);
    const readings = (input.readings as string[][]).map((r) => [...r]);
    readings[1][4] = "1500"; // still in range, but not the committed value
    await expectUnsatisfiable(NAME, { ...input, readings }, "BatchInclusion");
    const partial = valid(1).input;
    const pr = (partial.readings as string[][]).map((r) => [...r]);
    pr[20][0] = "1"; // item 52 does not exist
    await expectUnsatisfiable(NAME, { ...partial, readings: pr }, "SensorRule");
    const big = (input.readings as string[][]).map((r) => [...r]);
    big[2][0] = String(1 << 16);
    await expectUnsatisfiable(NAME, { ...input, readings: big }, "BatchInclusion");
    // Such a reading cannot be committed in the first place.
    assert.throws(() => sensorLeaf([1 << 16, ...Array(T - 1).fill(0)]), /reading 0 must be a 16-bit fixed-point value/);
  });
  it("changing any witness signal breaks the R1CS", async () => {
    const { input } = valid(1);
    await assertEveryWitnessSignalConstrained(NAME, input);
  });
});
