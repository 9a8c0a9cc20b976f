import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, describe, it } from "node:test";
import { ACCESS_CIRCUIT, accessInput, accessPublicOf, accessTag } from "@zklabel/core/access";
import { SUBGROUP_ORDER } from "@zklabel/core/encryption";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { GROUP_MAX_DEPTH, workerGroup } from "@zklabel/core/group";
import { batchNullifier, Identity, workerSecret } from "@zklabel/core/identity";
import { proveCircuit } from "@zklabel/core/prove";
import * as snarkjs from "snarkjs";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, witness } from "../helpers/r1cs.ts";
import { assertEveryWitnessSignalConstrained, expectUnsatisfiable } from "../helpers/soundness.ts";

after(releaseSnarkjs);

const NAME = ACCESS_CIRCUIT;
const members = Array.from({ length: 6 }, (_, i) => new Identity(`vault member ${i}`));
const worker = members[4];
const group = workerGroup(members.map((m) => m.commitment));
const taskHash = 0xabcdef123n;
const batchIndex = 3n;
const challenge = 0x5eed5eed5eedn;

const valid = () => accessInput({ identity: workerSecret(worker), group, taskHash, batchIndex, challenge });

describe("vault access proof: valid", () => {
  it("satisfies the circuit with the public signals TypeScript computes", async () => {
    const { input } = valid();
    const w = await witness(input, artifacts(NAME).wasm);
    assert.equal(firstViolated(await readR1cs(artifacts(NAME).r1cs), w), -1);
  });
  it("proves and verifies against the verification key; a changed public signal does not verify", async () => {
    const { input, publicSignals } = valid();
    const p = await proveCircuit(input, publicSignals, artifacts(NAME));
    const vkey = JSON.parse(await readFile(artifacts(NAME).vkey, "utf8"));
    const pub = p.publicSignals.map(String);
    assert.equal(await snarkjs.groth16.verify(vkey, pub, p.raw), true);
    for (let i = 0; i < pub.length; i++) {
      const forged = [...pub];
      forged[i] = (BigInt(forged[i]) + 1n).toString();
      assert.equal(await snarkjs.groth16.verify(vkey, forged, p.raw), false, `public signal ${i} changed`);
    }
    assert.equal(accessPublicOf(p.publicSignals).challenge, challenge);
  });
  it("the access tag is per member and batch, and is not the batch's on-chain nullifier", () => {
    const { secret } = workerSecret(worker);
    const other = workerSecret(members[1]).secret;
    assert.notEqual(accessTag(secret, taskHash, batchIndex), accessTag(other, taskHash, batchIndex));
    assert.notEqual(accessTag(secret, taskHash, batchIndex), accessTag(secret, taskHash, batchIndex + 1n));
    assert.notEqual(accessTag(secret, taskHash, batchIndex), accessTag(secret, taskHash + 1n, batchIndex));
    assert.notEqual(accessTag(secret, taskHash, batchIndex), batchNullifier(secret, taskHash, batchIndex));
  });
  it("works for a one-member group (depth 0)", async () => {
    const solo = workerGroup([worker.commitment]);
    const { input } = accessInput({ identity: workerSecret(worker), group: solo, taskHash, batchIndex, challenge });
    await witness(input, artifacts(NAME).wasm);
  });
});

describe("vault access proof: each kind of invalid input fails", () => {
  it("a non-member (its secret does not reach the group root)", async () => {
    const { input } = valid();
    const outsider = workerSecret(new Identity("outsider")).secret;
    await expectUnsatisfiable(
      NAME,
      { ...input, secret: outsider.toString(), accessTag: accessTag(outsider, taskHash, batchIndex).toString() },
      "VaultAccess",
    );
  });
  it("another group root, a wrong sibling, index or an index that is not bits", async () => {
    const { input } = valid();
    await expectUnsatisfiable(NAME, { ...input, groupRoot: "12345" }, "VaultAccess");
    const siblings = [...(input.siblings as string[])];
    siblings[1] = "7";
    await expectUnsatisfiable(NAME, { ...input, siblings }, "VaultAccess");
    await expectUnsatisfiable(NAME, { ...input, index: "1" }, "VaultAccess");
    await expectUnsatisfiable(NAME, { ...input, index: (SNARK_SCALAR_FIELD - 1n).toString() }, "Num2Bits");
  });
  it("a depth above the maximum selects no root", async () => {
    const { input } = valid();
    await expectUnsatisfiable(NAME, { ...input, depth: String(GROUP_MAX_DEPTH + 1) }, "LeanIMTRoot");
  });
  it("secret + l (same commitment, another access tag) is refused", async () => {
    const { input } = valid();
    const alias = BigInt(input.secret as string) + SUBGROUP_ORDER;
    await expectUnsatisfiable(
      NAME,
      { ...input, secret: alias.toString(), accessTag: accessTag(alias, taskHash, batchIndex).toString() },
      "IdentityCommitment",
    );
  });
  it("an access tag of another batch, another task, or the batch nullifier", async () => {
    const { input } = valid();
    const { secret } = workerSecret(worker);
    for (const tag of [
      accessTag(secret, taskHash, batchIndex + 1n),
      accessTag(secret, taskHash + 1n, batchIndex),
      batchNullifier(secret, taskHash, batchIndex),
    ]) {
      await expectUnsatisfiable(NAME, { ...input, accessTag: tag.toString() }, "VaultAccess");
    }
    await expectUnsatisfiable(NAME, { ...input, batchIndex: String(batchIndex + 1n) }, "VaultAccess");
  });
  it("TypeScript refuses a non-member and an out-of-field challenge before proving", () => {
    assert.throws(
      () => accessInput({ identity: workerSecret(new Identity("x")), group, taskHash, batchIndex, challenge }),
      /not a member/,
    );
    assert.throws(
      () => accessInput({ identity: workerSecret(worker), group, taskHash, batchIndex, challenge: SNARK_SCALAR_FIELD }),
      /challenge/,
    );
  });
});

describe("vault access proof: soundness", () => {
  it("every witness signal is constrained unless provably free", async () => {
    await assertEveryWitnessSignalConstrained(NAME, valid().input);
  });
});
