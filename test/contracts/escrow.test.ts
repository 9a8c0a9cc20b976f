import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { classificationRuleParams } from "@zklabel/core/classification";
import { DEMO_PARAMS } from "@zklabel/core/demo";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import type { BatchProof } from "@zklabel/core/prove";
import { deployedCircuit } from "@zklabel/core/registry";
import { network } from "hardhat";
import { type Address, getAddress, parseEther } from "viem";
import { deployZkLabel } from "../../scripts/lib/deploy.ts";
import { DEMO_REQUESTER_KEY, demoDataset, proveDemoBatch, releaseSnarkjs } from "../helpers/classification.ts";
import { checkGasSnapshot } from "../helpers/gas.ts";

const circuit = deployedCircuit("classification");
const REWARD = parseEther("0.001");
const ITEMS = 100;

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const [requester, worker, stranger] = await viem.getWalletClients();
const chainId = BigInt(await publicClient.getChainId());

const gasUsed: Record<string, bigint> = {};

describe("ZkLabelEscrow", () => {
  let escrow: Awaited<ReturnType<typeof viem.getContractAt<"ZkLabelEscrow">>>;
  let taskId: bigint;
  let otherTaskId: bigint;
  let batch0: BatchProof;
  let batch1: BatchProof;
  let other0: BatchProof;

  async function createTask(
    overrides: Partial<{
      value: bigint;
      deadline: bigint;
      ruleParams: readonly bigint[];
      pkR: readonly [bigint, bigint];
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
      rewardPerItem: REWARD,
      deadline,
    };
    return escrow.write.createTask([args], {
      value: overrides.value ?? REWARD * BigInt(ITEMS),
      account: requester.account,
    });
  }

  async function newTask(): Promise<bigint> {
    const hash = await createTask();
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    gasUsed.createTask ??= receipt.gasUsed;
    return escrow.read.taskCount();
  }

  const task = (id: bigint) => ({ taskId: id, chainId, contract: BigInt(escrow.address) });
  const recipient = (a: Address) => BigInt(a);

  before(async () => {
    const d = await deployZkLabel(viem);
    escrow = await viem.getContractAt("ZkLabelEscrow", d.escrow);
    taskId = await newTask();
    otherTaskId = await newTask();
    batch0 = await proveDemoBatch(circuit.name, task(taskId), 0, recipient(worker.account.address));
    batch1 = await proveDemoBatch(circuit.name, task(taskId), 1, recipient(worker.account.address));
    other0 = await proveDemoBatch(circuit.name, task(otherTaskId), 0, recipient(worker.account.address));
  });

  it("accepts a full batch, credits the proof's recipient and emits BatchAccepted", async () => {
    const hash = await escrow.write.submitBatch([taskId, 0n, batch0.proof, batch0.publicSignals as never], {
      account: stranger.account,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    gasUsed.submitBatch = receipt.gasUsed;
    assert.equal(await escrow.read.credits([worker.account.address]), REWARD * 64n);
    assert.equal(await escrow.read.isBatchAccepted([taskId, 0n]), true);
    const events = await escrow.getEvents.BatchAccepted({}, { blockHash: receipt.blockHash });
    assert.equal(events.length, 1);
    assert.equal(events[0].args.recipient, getAddress(worker.account.address));
    assert.equal(events[0].args.count, 64n);
    assert.equal(events[0].args.labelsCommitment, batch0.publicSignals[4]);
  });

  it("accepts the partial last batch with its smaller count", async () => {
    await escrow.write.submitBatch([taskId, 1n, batch1.proof, batch1.publicSignals as never]);
    assert.equal(await escrow.read.credits([worker.account.address]), REWARD * 100n);
    assert.equal((await escrow.read.getTask([taskId])).balance, 0n);
  });

  it("rejects a replayed proof with BatchAlreadyAccepted", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([taskId, 0n, batch0.proof, batch0.publicSignals as never]),
      escrow,
      "BatchAlreadyAccepted",
      [taskId, 0n],
    );
  });

  it("rejects a proof made for another task with WrongTask", async () => {
    const other = await escrow.read.getTask([otherTaskId]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([otherTaskId, 0n, batch0.proof, batch0.publicSignals as never]),
      escrow,
      "WrongTask",
      [other.taskHash, batch0.publicSignals[0]],
    );
    // Claiming the other task's hash with the same proof does not verify.
    const forged = [other.taskHash, ...batch0.publicSignals.slice(1)];
    await viem.assertions.revertWithCustomError(
      escrow.write.submitBatch([otherTaskId, 0n, batch0.proof, forged as never]),
      escrow,
      "InvalidProof",
    );
  });

  it("rejects a changed recipient with InvalidProof (front-running cannot redirect the reward)", async () => {
    const stolen = [...other0.publicSignals];
    stolen[3] = recipient(stranger.account.address);
    await viem.assertions.revertWithCustomError(
      escrow.write.submitBatch([otherTaskId, 0n, other0.proof, stolen as never], { account: stranger.account }),
      escrow,
      "InvalidProof",
    );
  });

  it("rejects a wrong proof with InvalidProof, and the genuine one still goes through", async () => {
    const bad = [...other0.proof];
    [bad[0], bad[6]] = [bad[6], bad[0]];
    await viem.assertions.revertWithCustomError(
      escrow.write.submitBatch([otherTaskId, 0n, bad as never, other0.publicSignals as never]),
      escrow,
      "InvalidProof",
    );
    const otherBatch = [...other0.publicSignals];
    otherBatch[4] += 1n; // a labelsCommitment the proof was not made for
    await viem.assertions.revertWithCustomError(
      escrow.write.submitBatch([otherTaskId, 0n, other0.proof, otherBatch as never]),
      escrow,
      "InvalidProof",
    );
    await escrow.write.submitBatch([otherTaskId, 0n, other0.proof, other0.publicSignals as never]);
  });

  it("checks batch index, count, recipient range and field membership before verifying", async () => {
    const ps = batch0.publicSignals;
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([
        otherTaskId,
        1n,
        batch0.proof,
        [(await escrow.read.getTask([otherTaskId])).taskHash, ...ps.slice(1)] as never,
      ]),
      escrow,
      "WrongBatchIndex",
      [1n, 0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([otherTaskId, 5n, batch0.proof, ps as never]),
      escrow,
      "BatchOutOfRange",
      [5n, 2n],
    );
    const wrapped = [...ps];
    wrapped[4] = ps[4] + SNARK_SCALAR_FIELD;
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([otherTaskId, 1n, batch0.proof, wrapped as never]),
      escrow,
      "NotInField",
      [wrapped[4]],
    );
    const th = (await escrow.read.getTask([otherTaskId])).taskHash;
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([otherTaskId, 1n, batch0.proof, [th, 1n, 64n, ps[3], ps[4]] as never]),
      escrow,
      "WrongCount",
      [36n, 64n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([otherTaskId, 1n, batch0.proof, [th, 1n, 36n, 1n << 160n, ps[4]] as never]),
      escrow,
      "InvalidRecipient",
      [1n << 160n],
    );
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

  it("validates task creation: funding, rule parameters, deadline", async () => {
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
    const proof = await proveDemoBatch(circuit.name, task(id), 0, recipient(worker.account.address));
    await viem.assertions.revertWithCustomError(escrow.write.reclaim([id]), escrow, "TaskStillOpen");
    await networkHelpers.time.increase(3601);
    const t = await escrow.read.getTask([id]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatch([id, 0n, proof.proof, proof.publicSignals as never]),
      escrow,
      "TaskExpired",
      [id, t.deadline],
    );
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
      mainnetLike.deployContract("ClassificationN64D20Verifier"),
      /InsecureDevelopmentVerifier|reverted/,
    );
  });
});

after(async () => {
  await releaseSnarkjs();
  await checkGasSnapshot(gasUsed);
});
