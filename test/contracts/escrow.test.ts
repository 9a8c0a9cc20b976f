import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { classificationRuleParams, openWorkerBatch } from "@zklabel/core/classification";
import { DEMO_PARAMS } from "@zklabel/core/demo";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { deployedCircuit, namePublicSignals } from "@zklabel/core/registry";
import { network } from "hardhat";
import { type Address, getAddress, parseEther } from "viem";
import { deployZkLabel, ROOT_GRACE_PERIOD } from "../../scripts/lib/deploy.ts";
import { DEMO_REQUESTER_KEY, demoDataset, proveDemoBatch, releaseSnarkjs } from "../helpers/classification.ts";
import { checkGasSnapshot } from "../helpers/gas.ts";

const circuit = deployedCircuit("classification");
const N = circuit.params.N;
const REWARD = parseEther("0.001");
const ITEMS = 100;
// Indexes in the public input vector (circuits/circuits.json order).
const IN = { taskHash: 0, groupRoot: 1, nullifier: 2, batchIndex: 3, count: 4, recipient: 5, epk: 6 } as const;
const IN_COMMITMENT = 8;
const IN_CIPHERTEXT = 9;

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const [requester, worker, stranger, curator] = await viem.getWalletClients();
const chainId = BigInt(await publicClient.getChainId());

const gasUsed: Record<string, bigint> = {};
// Two members of the open group; the worker proves as `alice`, anonymously.
const alice = new Identity("escrow test alice");
const bob = new Identity("escrow test bob");
const openGroup = workerGroup();

type Proven = Awaited<ReturnType<typeof proveDemoBatch>>;

describe("ZkLabelEscrow with complete worker proofs", () => {
  let escrow: Awaited<ReturnType<typeof viem.getContractAt<"ZkLabelEscrow">>>;
  let groups: Awaited<ReturnType<typeof viem.getContractAt<"WorkerGroups">>>;
  let taskId: bigint;
  let otherTaskId: bigint;
  let batch0: Proven;
  let batch1: Proven;
  let other0: Proven;

  async function createTask(
    overrides: Partial<{
      value: bigint;
      deadline: bigint;
      ruleParams: readonly bigint[];
      pkR: readonly [bigint, bigint];
      workerGroupId: bigint;
    }> = {},
  ) {
    const { tree } = demoDataset(circuit, ITEMS);
    const deadline = overrides.deadline ?? BigInt(await networkHelpers.time.latest()) + 3600n;
    const args = {
      datasetRoot: tree.root,
      itemCount: ITEMS,
      ruleParams: (overrides.ruleParams ?? classificationRuleParams(DEMO_PARAMS)) as unknown as readonly [
        bigint,
        bigint,
        bigint,
        bigint,
      ],
      pkR: overrides.pkR ?? DEMO_REQUESTER_KEY.pkR,
      goldRoot: 0n,
      workerGroupId: overrides.workerGroupId ?? 0n,
      rewardPerItem: REWARD,
      deadline,
    };
    return escrow.write.createTask([args], {
      value: overrides.value ?? REWARD * BigInt(ITEMS),
      account: requester.account,
    });
  }

  async function newTask(workerGroupId = 0n, deadline?: bigint): Promise<bigint> {
    const hash = await createTask({ workerGroupId, deadline });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    gasUsed.createTask ??= receipt.gasUsed;
    return escrow.read.taskCount();
  }

  async function join(id: Identity) {
    const hash = await groups.write.joinOpenGroup([id.commitment], { account: worker.account });
    gasUsed.joinGroup ??= (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    openGroup.insert(id.commitment);
  }

  const task = (id: bigint) => ({ taskId: id, chainId, contract: BigInt(escrow.address) });
  const recipient = (a: Address) => BigInt(a);
  const asAlice = () => ({ identity: alice, group: openGroup });
  const submit = (
    id: bigint,
    b: bigint,
    p: { proof: readonly bigint[]; publicSignals: readonly bigint[] },
    from = stranger,
  ) => escrow.write.submitBatch([id, b, p.proof as never, p.publicSignals], { account: from.account });

  before(async () => {
    const d = await deployZkLabel(viem);
    escrow = await viem.getContractAt("ZkLabelEscrow", d.escrow);
    groups = await viem.getContractAt("WorkerGroups", d.groups);
    assert.equal(await escrow.read.publicInputCount(), BigInt(d.publicInputCount));
    await join(alice);
    await join(bob);
    assert.equal(await groups.read.groupRoot([0n]), openGroup.root, "TypeScript group = on-chain group");
    taskId = await newTask();
    const stored = await escrow.read.getTask([taskId]);
    assert.deepEqual(stored.pkR, DEMO_REQUESTER_KEY.pkR, "the task stores the requester's key");
    assert.equal(stored.workerGroupId, 0n);
    otherTaskId = await newTask();
    batch0 = await proveDemoBatch(circuit.name, task(taskId), 0, recipient(worker.account.address), asAlice());
    batch1 = await proveDemoBatch(circuit.name, task(taskId), 1, recipient(worker.account.address), asAlice());
    other0 = await proveDemoBatch(circuit.name, task(otherTaskId), 0, recipient(worker.account.address), asAlice());
  });

  it("accepts a full batch from any sender, credits the proof's recipient, spends the nullifier and emits what the requester needs to decrypt", async () => {
    const hash = await submit(taskId, 0n, batch0);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    gasUsed.submitBatch = receipt.gasUsed;
    assert.equal(await escrow.read.credits([worker.account.address]), REWARD * 64n);
    assert.equal(await escrow.read.isBatchAccepted([taskId, 0n]), true);
    const ps = namePublicSignals(
      { ...circuit, publicInputs: circuit.publicInputs.slice(0, 6) },
      batch0.publicSignals.slice(0, 6),
    );
    assert.equal(await escrow.read.isNullifierUsed([ps.nullifier]), true);
    const events = await escrow.getEvents.BatchAccepted({}, { blockHash: receipt.blockHash });
    assert.equal(events.length, 1);
    const e = events[0].args;
    assert.equal(e.recipient, getAddress(worker.account.address));
    assert.equal(e.count, 64n);
    assert.equal(e.reward, REWARD * 64n);
    assert.equal(e.groupRoot, openGroup.root);
    assert.equal(e.nullifier, ps.nullifier);
    // The requester decrypts the labels from the event alone, and they open the proven commitment.
    const opened = openWorkerBatch(
      { epk: [e.epk?.[0] as bigint, e.epk?.[1] as bigint], ciphertext: [...(e.ciphertext as readonly bigint[])] },
      DEMO_REQUESTER_KEY.skR,
      0n,
      N,
      e.labelsCommitment as bigint,
    );
    assert.deepEqual(opened.labels, batch0.labels.map(BigInt));
  });

  it("accepts the partial last batch with its smaller count", async () => {
    await submit(taskId, 1n, batch1);
    assert.equal(await escrow.read.credits([worker.account.address]), REWARD * 100n);
    assert.equal((await escrow.read.getTask([taskId])).balance, 0n);
  });

  it("rejects a replayed proof with BatchAlreadyAccepted", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(submit(taskId, 0n, batch0), escrow, "BatchAlreadyAccepted", [
      taskId,
      0n,
    ]);
  });

  it("rejects a proof made for another task with WrongTask; with the other task's hash its nullifier is spent and it does not verify", async () => {
    const other = await escrow.read.getTask([otherTaskId]);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(otherTaskId, 0n, batch0), escrow, "WrongTask", [
      other.taskHash,
      batch0.publicSignals[IN.taskHash],
    ]);
    // Copied with the other task's hash, its nullifier is already spent.
    const forged = [other.taskHash, ...batch0.publicSignals.slice(1)];
    await viem.assertions.revertWithCustomErrorWithArgs(
      submit(otherTaskId, 0n, { proof: batch0.proof, publicSignals: forged }),
      escrow,
      "NullifierAlreadyUsed",
      [batch0.publicSignals[IN.nullifier]],
    );
    // With a fresh nullifier too, the proof does not verify.
    forged[IN.nullifier] += 1n;
    await viem.assertions.revertWithCustomError(
      submit(otherTaskId, 0n, { proof: batch0.proof, publicSignals: forged }),
      escrow,
      "InvalidProof",
    );
  });

  it("rejects a front-run with a changed recipient with InvalidProof", async () => {
    const stolen = [...other0.publicSignals];
    stolen[IN.recipient] = recipient(stranger.account.address);
    await viem.assertions.revertWithCustomError(
      submit(otherTaskId, 0n, { proof: other0.proof, publicSignals: stolen }),
      escrow,
      "InvalidProof",
    );
  });

  it("rejects a changed commitment, ephemeral key, ciphertext or nullifier, or a wrong proof, with InvalidProof; the genuine one then goes through", async () => {
    const bad = [...other0.proof];
    [bad[0], bad[6]] = [bad[6], bad[0]];
    await viem.assertions.revertWithCustomError(
      submit(otherTaskId, 0n, { proof: bad, publicSignals: other0.publicSignals }),
      escrow,
      "InvalidProof",
    );
    for (const i of [IN_COMMITMENT, IN.epk, IN_CIPHERTEXT, other0.publicSignals.length - 1, IN.nullifier]) {
      const changed = [...other0.publicSignals];
      changed[i] = (changed[i] + 1n) % SNARK_SCALAR_FIELD;
      await viem.assertions.revertWithCustomError(
        submit(otherTaskId, 0n, { proof: other0.proof, publicSignals: changed }),
        escrow,
        "InvalidProof",
      );
    }
    await submit(otherTaskId, 0n, other0);
  });

  it("checks input count, batch index, count, recipient range and field membership before verifying", async () => {
    const th = (await escrow.read.getTask([otherTaskId])).taskHash;
    const ps = [th, ...batch0.publicSignals.slice(1)];
    const withInputs = (publicSignals: bigint[], b = 1n) =>
      submit(otherTaskId, b, { proof: batch0.proof, publicSignals });
    const count = batch0.publicSignals.length;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(ps.slice(0, 5)), escrow, "WrongPublicInputCount", [
      BigInt(count),
      5n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(ps), escrow, "WrongBatchIndex", [1n, 0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(ps, 5n), escrow, "BatchOutOfRange", [5n, 2n]);
    const wrapped = [...ps];
    wrapped[count - 1] += SNARK_SCALAR_FIELD;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(wrapped), escrow, "NotInField", [
      wrapped[count - 1],
    ]);
    const b1 = [...ps];
    b1[IN.batchIndex] = 1n;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(b1), escrow, "WrongCount", [36n, 64n]);
    b1[IN.count] = 36n;
    b1[IN.recipient] = 1n << 160n;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(b1), escrow, "InvalidRecipient", [1n << 160n]);
  });

  it("refuses a group root the task's group never had (an outsider's own group), and a member of another group", async () => {
    const id = await newTask();
    const outsider = new Identity("escrow test outsider");
    const ownGroup = workerGroup([alice.commitment, outsider.commitment]);
    const p = await proveDemoBatch(circuit.name, task(id), 0, recipient(stranger.account.address), {
      identity: outsider,
      group: ownGroup,
    });
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, p), escrow, "UnknownGroupRoot", [
      0n,
      ownGroup.root,
    ]);
    // A task for a curated group refuses proofs made in the open group.
    await groups.write.createGroup({ account: curator.account });
    const curatedId = (await groups.read.groupCount()) - 1n;
    await groups.write.addMember([curatedId, outsider.commitment], { account: curator.account });
    const curatedTask = await newTask(curatedId);
    const fromOpen = await proveDemoBatch(
      circuit.name,
      task(curatedTask),
      0,
      recipient(worker.account.address),
      asAlice(),
    );
    await viem.assertions.revertWithCustomErrorWithArgs(submit(curatedTask, 0n, fromOpen), escrow, "UnknownGroupRoot", [
      curatedId,
      openGroup.root,
    ]);
    // The curated group's member is accepted.
    const fromCurated = await proveDemoBatch(circuit.name, task(curatedTask), 0, recipient(stranger.account.address), {
      identity: outsider,
      group: workerGroup([outsider.commitment]),
    });
    await submit(curatedTask, 0n, fromCurated);
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ workerGroupId: 99n }),
      escrow,
      "UnknownWorkerGroup",
      [99n],
    );
  });

  it("accepts a proof against a root replaced within the grace period, and refuses it after", async () => {
    const id = await newTask(0n, BigInt(await networkHelpers.time.latest()) + 10n * ROOT_GRACE_PERIOD);
    const p0 = await proveDemoBatch(circuit.name, task(id), 0, recipient(worker.account.address), asAlice());
    const p1 = await proveDemoBatch(circuit.name, task(id), 1, recipient(worker.account.address), asAlice());
    const provenRoot = openGroup.root;
    await join(new Identity("escrow test carol")); // the group changes while the proofs are in flight
    assert.notEqual(await groups.read.groupRoot([0n]), provenRoot);
    await networkHelpers.time.increase(ROOT_GRACE_PERIOD - 60n);
    await submit(id, 0n, p0);
    await networkHelpers.time.increase(120n);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 1n, p1), escrow, "UnknownGroupRoot", [
      0n,
      provenRoot,
    ]);
  });

  it("pays a withdrawal once, to the address the earner names", async () => {
    const before = await publicClient.getBalance({ address: stranger.account.address });
    const credit = await escrow.read.credits([worker.account.address]);
    const hash = await escrow.write.withdraw([stranger.account.address], { account: worker.account });
    gasUsed.withdraw = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    assert.equal(await publicClient.getBalance({ address: stranger.account.address }), before + credit);
    assert.equal(await escrow.read.credits([worker.account.address]), 0n);
    await viem.assertions.revertWithCustomError(
      escrow.write.withdraw([worker.account.address], { account: worker.account }),
      escrow,
      "NothingToWithdraw",
    );
  });

  it("validates task creation: funding, rule parameters, deadline, encryption key", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ value: 1n }), escrow, "WrongFunding", [
      REWARD * 100n,
      1n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ ruleParams: [33n, 1n, 0n, 0n] }),
      escrow,
      "InvalidClassCount",
      [33n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ ruleParams: [4n, 0b10000n, 0n, 0n] }),
      escrow,
      "InvalidClassMask",
      [0b10000n, 4n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ ruleParams: [4n, 1n, 0n, 7n] }),
      escrow,
      "UnusedRuleParamNotZero",
      [3n],
    );
    await viem.assertions.revertWithCustomError(createTask({ deadline: 1n }), escrow, "DeadlineInPast");
    // An encryption key off the curve, or with x = 0 (anyone could decrypt), is refused.
    const [x, y] = DEMO_REQUESTER_KEY.pkR;
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ pkR: [0n, 1n] }), escrow, "InvalidEncryptionKey", [
      0n,
      1n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ pkR: [x, y + 1n] }),
      escrow,
      "InvalidEncryptionKey",
      [x, y + 1n],
    );
  });

  it("refuses batches after the deadline and lets only the requester reclaim what is left, once", async () => {
    const id = await newTask();
    const proof = await proveDemoBatch(circuit.name, task(id), 0, recipient(worker.account.address), asAlice());
    await viem.assertions.revertWithCustomError(escrow.write.reclaim([id]), escrow, "TaskStillOpen");
    await networkHelpers.time.increase(3601);
    const t = await escrow.read.getTask([id]);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, proof), escrow, "TaskExpired", [id, t.deadline]);
    await viem.assertions.revertWithCustomError(
      escrow.write.reclaim([id], { account: stranger.account }),
      escrow,
      "NotRequester",
    );
    await viem.assertions.balancesHaveChanged(escrow.write.reclaim([id], { account: requester.account }), [
      { address: escrow.address, amount: -REWARD * 100n },
    ]);
    await viem.assertions.revertWithCustomError(escrow.write.reclaim([id]), escrow, "NothingToWithdraw");
  });
});

describe("deploy", () => {
  it("refuses to put the INSECURE development verifier on any chain but the local one", async () => {
    const fake = {
      ...viem,
      getPublicClient: async () => ({ getChainId: async () => 1, getBlockNumber: async () => 0n }),
    };
    await assert.rejects(deployZkLabel(fake as never), /refusing to deploy to chain 1: .*INSECURE/);
    const { viem: mainnetLike } = await network.create({ override: { chainId: 1 } });
    await assert.rejects(
      mainnetLike.deployContract("ClassificationWorkerN64D20G20Verifier"),
      /InsecureDevelopmentVerifier|reverted/,
    );
  });
});

after(async () => {
  await releaseSnarkjs();
  await checkGasSnapshot(gasUsed);
});
