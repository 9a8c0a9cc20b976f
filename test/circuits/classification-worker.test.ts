import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { DEMO_PARAMS } from "@zklabel/core/demo";
import { openWorkerBatch } from "@zklabel/core/envelope";
import { workerGroup } from "@zklabel/core/group";
import { batchNullifier, Identity, requesterKeyFromSignature, workerSecret } from "@zklabel/core/identity";
import { circuitInfo } from "@zklabel/core/registry";
import { CLASS_LABEL_BITS, classificationWorkerInput } from "@zklabel/core/rules/classification";
import { artifacts, demoDataset, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, witness } from "../helpers/r1cs.ts";
import { recommit } from "../helpers/recommit.ts";
import { assertEveryWitnessSignalConstrained, expectUnsatisfiable } from "../helpers/soundness.ts";

after(releaseSnarkjs);

const NAME = "classification_worker_n64_d20_g20";
const circuit = circuitInfo(NAME);
const N = circuit.params.N;
const members = Array.from({ length: 3 }, (_, i) => new Identity(`member ${i}`));
const requester = requesterKeyFromSignature(`0x${"cd".repeat(65)}`);

function valid(batchIndex: number, who = members[1]) {
  const { items, tree } = demoDataset(circuit, 100);
  const labels = items.slice(batchIndex * N, (batchIndex + 1) * N).map((x) => x.sentiment);
  return {
    labels,
    ...classificationWorkerInput({
      circuit,
      tree,
      task: { pkR: requester.pkR, goldRoot: 0n, taskId: 3n, chainId: 31337n, contract: 0xbeefn },
      params: DEMO_PARAMS,
      batchIndex,
      labels,
      salt: 777n + BigInt(batchIndex),
      recipient: 0xfeedn,
      identity: workerSecret(who),
      group: workerGroup(members.map((m) => m.commitment)),
    }),
  };
}

describe("complete classification worker proof", () => {
  for (const b of [0, 1]) {
    it(`batch ${b} (${b === 0 ? "full" : "partial"}): satisfied, public signals as TypeScript computes them, decryptable to exactly the committed labels and salt`, async () => {
      const { input, publicSignals, encrypted, labels } = valid(b);
      const w = await witness(input, artifacts(NAME).wasm);
      assert.equal(firstViolated(await readR1cs(artifacts(NAME).r1cs), w), -1);
      assert.deepEqual(w.slice(1, 1 + publicSignals.length), publicSignals);
      const commitment = BigInt(input.labelsCommitment as string);
      const opened = openWorkerBatch(encrypted, requester.skR, BigInt(b), N, commitment, CLASS_LABEL_BITS);
      assert.deepEqual(opened.labels.slice(0, labels.length), labels.map(BigInt));
      assert.equal(opened.salt, 777n + BigInt(b));
    });
  }
  it("refuses a non-member, a wrong nullifier, a tampered ciphertext, and the thin checks still hold", async () => {
    const { input } = valid(0);
    assert.throws(() => valid(0, new Identity("outsider")), /not a member of the group: join the group first/);
    const outsider = workerSecret(new Identity("outsider")).secret;
    const nullifier = batchNullifier(outsider, BigInt(input.taskHash as string), 0n);
    await expectUnsatisfiable(
      NAME,
      { ...input, identitySecret: outsider.toString(), nullifier: nullifier.toString() },
      "ClassificationWorkerBatch",
    );
    await expectUnsatisfiable(NAME, { ...input, nullifier: valid(1).input.nullifier }, "ClassificationWorkerBatch");
    const ct = [...(input.ciphertext as string[])];
    ct[0] = "5";
    await expectUnsatisfiable(NAME, { ...input, ciphertext: ct }, "ClassificationWorkerBatch");
    assert.deepEqual(recommit(NAME, input), input);
    const labels = [...(input.labels as string[])];
    labels[0] = "3"; // off-topic: not allowed; commitment and ciphertext recomputed, so only the rule can fail
    await expectUnsatisfiable(NAME, recommit(NAME, { ...input, labels }), "ClassificationRule");
  });
  it("changing any witness signal breaks the R1CS", async () => {
    const { input } = valid(1);
    await assertEveryWitnessSignalConstrained(NAME, input);
  });
});
