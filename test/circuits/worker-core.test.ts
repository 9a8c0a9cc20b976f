import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { decryptFromWorker, encryptToRequester, SUBGROUP_ORDER } from "@zklabel/core/encryption";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { GROUP_MAX_DEPTH, membershipWitness, workerGroup } from "@zklabel/core/group";
import { batchNullifier, Identity, requesterKeyFromSignature, workerSecret } from "@zklabel/core/identity";
import { circuitInfo } from "@zklabel/core/registry";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";
import { firstViolated, readR1cs, witness } from "../helpers/r1cs.ts";
import { assertEveryWitnessSignalConstrained, expectUnsatisfiable } from "../helpers/soundness.ts";

after(releaseSnarkjs);

const NAME = "worker_core_d20_l4";
const LEN = circuitInfo(NAME).params.LEN;
const members = Array.from({ length: 5 }, (_, i) => new Identity(`worker ${i}`));
const worker = members[3];
const requester = requesterKeyFromSignature(`0x${"ab".repeat(65)}`);
const taskHash = 0x1234567n;
const batchIndex = 6n;
const plaintext = [11n, 22n, 33n, 44n];

/** A valid witness input and the values the circuit must reproduce, computed by the TypeScript libraries. */
function valid() {
  const { secret, commitment } = workerSecret(worker);
  const m = membershipWitness(workerGroup(members.map((x) => x.commitment)), commitment);
  const enc = encryptToRequester(plaintext, requester.pkR, batchIndex);
  const s = (x: bigint) => x.toString();
  return {
    enc,
    m,
    input: {
      taskHash: s(taskHash),
      batchIndex: s(batchIndex),
      groupRoot: s(m.groupRoot),
      nullifier: s(batchNullifier(secret, taskHash, batchIndex)),
      epk: enc.epk.map(s),
      ciphertext: enc.ciphertext.map(s),
      identitySecret: s(secret),
      groupDepth: s(m.depth),
      groupIndex: s(m.index),
      groupSiblings: m.siblings.map(s),
      pkR: requester.pkR.map(s),
      ephemeralSecret: s(enc.ephemeralSecret),
      plaintext: plaintext.map(s),
    } as Record<string, string | string[]>,
  };
}

const with_ = (input: Record<string, string | string[]>, k: string, i: number, v: bigint) => {
  const arr = [...(input[k] as string[])];
  arr[i] = v.toString();
  return { ...input, [k]: arr };
};

describe("worker core (membership, nullifier, encryption): valid", () => {
  it("matches Semaphore identities, LeanIMT groups and the zk-kit Poseidon cipher bit for bit", async () => {
    const { input } = valid();
    const w = await witness(input, artifacts(NAME).wasm);
    assert.equal(firstViolated(await readR1cs(artifacts(NAME).r1cs), w), -1);
  });
  it("the requester decrypts exactly the plaintext with its key; anyone else fails", () => {
    const { enc } = valid();
    assert.deepEqual(decryptFromWorker(enc, requester.skR, batchIndex, LEN), plaintext);
    assert.throws(() => decryptFromWorker(enc, requester.skR + 1n, batchIndex, LEN));
    assert.throws(() => decryptFromWorker(enc, requester.skR, batchIndex + 1n, LEN));
  });
  it("works for the only member of a one-member group (depth 0) and the last of a ragged one", async () => {
    for (const group of [[worker], [...members, new Identity("late")]]) {
      const { secret, commitment } = workerSecret(group[group.length - 1]);
      const m = membershipWitness(workerGroup(group.map((x) => x.commitment)), commitment);
      const { input } = valid();
      await witness(
        {
          ...input,
          identitySecret: secret.toString(),
          groupRoot: m.groupRoot.toString(),
          groupDepth: m.depth.toString(),
          groupIndex: m.index.toString(),
          groupSiblings: m.siblings.map(String),
          nullifier: batchNullifier(secret, taskHash, batchIndex).toString(),
        },
        artifacts(NAME).wasm,
      );
    }
  });
});

describe("worker core: each kind of invalid input fails", () => {
  it("a secret that is not a member (wrong root)", async () => {
    const { input } = valid();
    const outsider = workerSecret(new Identity("outsider"));
    await expectUnsatisfiable(
      NAME,
      {
        ...input,
        identitySecret: outsider.secret.toString(),
        nullifier: batchNullifier(outsider.secret, taskHash, batchIndex).toString(),
      },
      "WorkerEnvelope",
    );
  });
  it("a wrong sibling, a wrong index, or an index bit that is not boolean", async () => {
    const { input } = valid();
    await expectUnsatisfiable(NAME, with_(input, "groupSiblings", 0, 5n), "WorkerEnvelope");
    await expectUnsatisfiable(NAME, { ...input, groupIndex: "2" }, "WorkerEnvelope");
    await expectUnsatisfiable(NAME, { ...input, groupIndex: (SNARK_SCALAR_FIELD - 1n).toString() }, "Num2Bits");
  });
  it("a depth above the maximum selects no root", async () => {
    const { input } = valid();
    await expectUnsatisfiable(NAME, { ...input, groupDepth: String(GROUP_MAX_DEPTH + 1) }, "LeanIMTRoot");
  });
  it("secret + l (same public key, other nullifier) is refused", async () => {
    const { input } = valid();
    const alias = BigInt(input.identitySecret as string) + SUBGROUP_ORDER;
    await expectUnsatisfiable(
      NAME,
      { ...input, identitySecret: alias.toString(), nullifier: batchNullifier(alias, taskHash, batchIndex).toString() },
      "IdentityCommitment",
    );
  });
  it("a nullifier for another batch or task", async () => {
    const { input } = valid();
    const secret = BigInt(input.identitySecret as string);
    await expectUnsatisfiable(
      NAME,
      { ...input, nullifier: batchNullifier(secret, taskHash, batchIndex + 1n).toString() },
      "WorkerEnvelope",
    );
    await expectUnsatisfiable(
      NAME,
      { ...input, nullifier: batchNullifier(secret, taskHash + 1n, batchIndex).toString() },
      "WorkerEnvelope",
    );
  });
  it("a ciphertext element, tag or ephemeral key that is not the encryption of the plaintext", async () => {
    const { input } = valid();
    await expectUnsatisfiable(NAME, with_(input, "ciphertext", 1, 7n), "WorkerEnvelope");
    await expectUnsatisfiable(
      NAME,
      with_(input, "ciphertext", (input.ciphertext as string[]).length - 1, 7n),
      "WorkerEnvelope",
    );
    await expectUnsatisfiable(NAME, with_(input, "epk", 0, 7n), "WorkerEnvelope");
    await expectUnsatisfiable(NAME, with_(input, "plaintext", 2, 7n), "WorkerEnvelope");
  });
  it("an ephemeral secret of 0 or l (epk = (0, 1): a key anyone could use) is refused", async () => {
    const { input } = valid();
    for (const esk of [0n, SUBGROUP_ORDER]) {
      await expectUnsatisfiable(
        NAME,
        { ...input, ephemeralSecret: esk.toString(), epk: ["0", "1"] },
        "EncryptToRequester",
      );
    }
  });
  it("the SDK refuses requester keys off the curve, with x = 0, or outside the subgroup", () => {
    assert.throws(() => encryptToRequester(plaintext, [0n, 1n], 1n), /not a BabyJubJub point/);
    assert.throws(
      () => encryptToRequester(plaintext, [requester.pkR[0], requester.pkR[1] + 1n], 1n),
      /not a BabyJubJub point/,
    );
    // Adding the order-2 point (0, -1) to a valid key leaves the subgroup (and keeps x != 0).
    // On a twisted Edwards curve (x, y) + (0, -1) = (-x, -y).
    const mixed: [bigint, bigint] = [SNARK_SCALAR_FIELD - requester.pkR[0], SNARK_SCALAR_FIELD - requester.pkR[1]];
    assert.throws(() => encryptToRequester(plaintext, mixed, 1n), /outside the prime-order subgroup/);
  });
  it("an ephemeral secret beyond 251 bits", async () => {
    const { input } = valid();
    await expectUnsatisfiable(NAME, { ...input, ephemeralSecret: (1n << 252n).toString() }, "Num2Bits");
  });
});

describe("worker core: witness mutation", () => {
  it(`${NAME}: changing any witness signal breaks the R1CS`, async () => {
    const { input } = valid();
    await assertEveryWitnessSignalConstrained(NAME, input);
  });
});
