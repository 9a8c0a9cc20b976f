import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { decryptFromWorker } from "@zklabel/core/encryption";
import { contentHash, SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity, requesterKeyFromSignature, workerSecret } from "@zklabel/core/identity";
import { labelsCommitment, unpackLabels } from "@zklabel/core/labels";
import { circuitInfo } from "@zklabel/core/registry";
import { fullBatchData } from "@zklabel/core/rules";
import {
  type Box,
  type BoxItem,
  bboxRule,
  boxFromValue,
  boxWorkerInput,
  checkBoxLabels,
} from "@zklabel/core/rules/bbox";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, witness } from "../helpers/r1cs.ts";
import { recommit } from "../helpers/recommit.ts";
import { assertEveryWitnessSignalConstrained, expectUnsatisfiable } from "../helpers/soundness.ts";

after(releaseSnarkjs);

const NAME = "bbox_worker_n64_d20_g20";
const circuit = circuitInfo(NAME);
const N = circuit.params.N;
const params = { numClasses: 3, allowedMask: 0b111n, minWidth: 8, minHeight: 6 };
const members = [new Identity("boxer 0"), new Identity("boxer 1")];
const requester = requesterKeyFromSignature(`0x${"ef".repeat(65)}`);

const items: BoxItem[] = Array.from({ length: 100 }, (_, i) => ({
  contentHash: contentHash(new TextEncoder().encode(`image ${i}`)),
  width: 640 + (i % 5) * 32,
  height: 480 - (i % 3) * 16,
}));
const honest = (i: number): Box => ({ cls: i % 3, x: 10 + i, y: 20, w: 100 + (i % 7), h: 50 });

function valid(batchIndex: number, labels?: Box[]) {
  const ls = labels ?? items.slice(batchIndex * N, (batchIndex + 1) * N).map((_, k) => honest(batchIndex * N + k));
  return boxWorkerInput({
    circuit,
    data: fullBatchData(bboxRule, circuit.params.DEPTH, N, items, batchIndex),
    task: { pkR: requester.pkR, goldRoot: 0n, taskId: 9n, chainId: 31337n, contract: 0xabcn },
    params,
    batchIndex,
    labels: ls,
    salt: 4242n,
    recipient: 0x77n,
    identity: workerSecret(members[0]),
    group: workerGroup(members.map((m) => m.commitment)),
  });
}

type Input = ReturnType<typeof valid>["input"];
/** The valid input with box coordinate k of item i replaced, commitment and ciphertext recomputed: only the rule can fail. */
function withBox(input: Input, i: number, k: number, v: bigint): Input {
  const boxes = (input.boxes as string[][]).map((b) => [...b]);
  boxes[i][k] = v.toString();
  return recommit(NAME, { ...input, boxes });
}

describe("bounding-box worker proof", () => {
  for (const b of [0, 1]) {
    it(`batch ${b}: satisfied, and the requester decrypts exactly the committed boxes`, async () => {
      const { input, publicSignals, encrypted } = valid(b);
      const w = await witness(input, artifacts(NAME).wasm);
      assert.equal(firstViolated(await readR1cs(artifacts(NAME).r1cs), w), -1);
      assert.deepEqual(w.slice(1, 1 + publicSignals.length), publicSignals);
      const m = Math.ceil(N / 3);
      const plain = decryptFromWorker(encrypted, requester.skR, BigInt(b), m + 1);
      const values = unpackLabels(plain.slice(0, m), 72, N);
      assert.equal(labelsCommitment(values, 72, plain[m]), BigInt(input.labelsCommitment as string));
      assert.deepEqual(boxFromValue(values[3]), honest(b * N + 3));
    });
  }
  it("the TypeScript checker names each broken rule in words before proving", () => {
    const errors = checkBoxLabels(
      [
        { cls: 0, x: 700, y: 0, w: 112, h: 50 },
        { cls: 1, x: 0, y: 470, w: 10, h: 50 },
        { cls: 2, x: 0, y: 0, w: 4, h: 2 },
      ],
      items.slice(0, 3),
      params,
    );
    assert.deepEqual(
      errors.map((e) => [e.item, e.code]),
      [
        [0, "past_right_edge"],
        [1, "past_bottom_edge"],
        [2, "too_narrow"],
        [2, "too_short"],
      ],
    );
    assert.deepEqual(
      errors.map((e) => e.message),
      [
        "item 1: box right edge 812 > image width 640",
        "item 2: box bottom edge 520 > image height 464",
        "item 3: box width 4 < minimum 8",
        "item 3: box height 2 < minimum 6",
      ],
    );
    assert.throws(
      () => valid(0, [{ cls: 0, x: 700, y: 0, w: 112, h: 50 }, ...Array(63).fill(honest(1))]),
      /right edge 812/,
    );
  });
  it("each broken constraint fails in the circuit", async () => {
    const { input } = valid(0);
    assert.deepEqual(recommit(NAME, input), input);
    await expectUnsatisfiable(NAME, withBox(input, 0, 0, 600n), "BoxRule"); // right edge past the width
    await expectUnsatisfiable(NAME, withBox(input, 0, 1, 440n), "BoxRule"); // bottom edge past the height
    await expectUnsatisfiable(NAME, withBox(input, 0, 2, 7n), "BoxRule"); // narrower than the minimum
    await expectUnsatisfiable(NAME, withBox(input, 0, 3, 5n), "BoxRule"); // lower than the minimum
    await expectUnsatisfiable(NAME, withBox(input, 0, 0, SNARK_SCALAR_FIELD - 5n), "BoxRule"); // x = -5 wraps around
    const classes = [...(input.classes as string[])];
    classes[1] = "3";
    await expectUnsatisfiable(NAME, recommit(NAME, { ...input, classes }), "ClassificationRule");
    const meta = [...(input.meta as string[])];
    meta[0] = ((1000n << 16n) | 1000n).toString(); // a bigger image than the one committed
    await expectUnsatisfiable(NAME, { ...input, meta }, "BoxWorkerBatch|BoxCore");
    const partial = valid(1).input;
    await expectUnsatisfiable(NAME, withBox(partial, 40, 2, 9n), "BoxRule"); // a box on an item past count
  });
  it("changing any witness signal breaks the R1CS", async () => {
    const { input } = valid(1);
    await assertEveryWitnessSignalConstrained(NAME, input);
  });
});
