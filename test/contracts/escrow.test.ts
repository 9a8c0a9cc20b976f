/**
 * ZkLabelEscrow with real proofs from the deployed classification worker circuit:
 * every path of the task lifecycle and every custom error, the attacks of issue 4,
 * and the solvency invariant (per token, the escrow holds exactly the task
 * balances, the reservations and the unwithdrawn credits) after each scenario.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addPoint, Base8, inCurve, mulPointEscalar, subOrder } from "@zk-kit/baby-jubjub";
import { recipientWord } from "@zklabel/core/batch";
import { DEMO_PARAMS, demoItems } from "@zklabel/core/demo";
import { expectedRuleEntry, type RuleEntry } from "@zklabel/core/deployment";
import { openWorkerBatch } from "@zklabel/core/envelope";
import { errorCode } from "@zklabel/core/errors";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { deployedCircuit } from "@zklabel/core/registry";
import { CLASS_LABEL_BITS, classificationRuleParams } from "@zklabel/core/rules/classification";
import { network } from "hardhat";
import {
  type Address,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  hashTypedData,
  keccak256,
  parseEther,
  toFunctionSelector,
  toHex,
  zeroAddress,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { deployZkLabel, ROOT_GRACE_PERIOD, RULE_CHANGE_DELAY, withTestToken } from "../../scripts/lib/deploy.ts";
import {
  DEMO_REQUESTER_KEY,
  demoDataset,
  demoGold,
  demoGoldTree,
  proveDemoBatch,
  proveDemoRejection,
  releaseSnarkjs,
} from "../helpers/classification.ts";
import { checkGasSnapshot } from "../helpers/gas.ts";

const circuit = deployedCircuit("classification");
const N = circuit.params.N;
const REWARD = parseEther("0.001");
const ITEMS = 100;
const ETH = zeroAddress;
// Indexes in the public input vector (circuits/circuits.json order).
const IN = {
  taskHash: 0,
  groupRoot: 1,
  nullifier: 2,
  batchIndex: 3,
  count: 4,
  recipient: 5,
  epk: 6,
  labelsCommitment: 8,
} as const;
const IN_COMMITMENT = 8;
const IN_CIPHERTEXT = 9;
const GOLD_ROOT = 4242n; // a task with gold items: batches wait out the challenge window
const WINDOW = 600;

const connection = await network.create();
const { viem, networkHelpers } = connection;
const publicClient = await viem.getPublicClient();
const [requester, worker, stranger, curator] = await viem.getWalletClients();
const chainId = BigInt(await publicClient.getChainId());

const gasUsed: Record<string, bigint> = {};
const alice = new Identity("escrow test alice");
const bob = new Identity("escrow test bob");
const openGroup = workerGroup();

type Proven = Awaited<ReturnType<typeof proveDemoBatch>>;
type Submittable = { proof: readonly bigint[]; publicSignals: readonly bigint[] };

const d = withTestToken(await deployZkLabel(connection));
const escrow = await viem.getContractAt("ZkLabelEscrow", d.escrow);
const groups = await viem.getContractAt("WorkerGroups", d.groups);
const token = await viem.getContractAt("TestToken", d.testToken);
const taskIds: bigint[] = [];
let reentrant: Address = zeroAddress;
/** Further accounts that hold credits (payees of signed withdrawals, their relayer): in the solvency sum. */
const extraAccounts: Address[] = [];

interface TaskOverrides {
  token: Address;
  funding: bigint;
  value: bigint;
  deadline: bigint;
  ruleId: number;
  ruleParams: readonly bigint[];
  pkR: readonly [bigint, bigint];
  pkRDiv8: readonly [bigint, bigint];
  /** The rule entry the requester expects (default: the registry's current one). */
  expectedRule: RuleEntry;
  workerGroupId: bigint;
  goldRoot: bigint;
  minAccuracy: number;
  goldThreshold: number;
  challengeWindow: number;
  itemCount: number;
  reward: bigint;
}

/** createTask's TaskParams for the demo dataset, with overrides. */
async function taskArgs(o: Partial<TaskOverrides> = {}) {
  const itemCount = o.itemCount ?? ITEMS;
  // The demo dataset of that many items (a placeholder root for the sizes only validation tests use).
  const { tree } = demoDataset(circuit, itemCount > 0 && itemCount <= 4096 ? itemCount : ITEMS);
  const funding = o.funding ?? REWARD * BigInt(itemCount);
  const gold = o.goldRoot ?? 0n;
  const args = {
    token: o.token ?? ETH,
    ruleId: o.ruleId ?? 1,
    ruleParams: (o.ruleParams ?? classificationRuleParams(DEMO_PARAMS)) as unknown as readonly [
      bigint,
      bigint,
      bigint,
      bigint,
    ],
    datasetRoot: tree.root,
    itemCount,
    pkR: o.pkR ?? DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: o.pkRDiv8 ?? DEMO_REQUESTER_KEY.pkRDiv8,
    goldRoot: gold,
    minAccuracy: o.minAccuracy ?? (gold ? 80 : 0),
    goldThreshold: o.goldThreshold ?? 0,
    challengeWindow: o.challengeWindow ?? (gold ? WINDOW : 0),
    workerGroupId: o.workerGroupId ?? 0n,
    rewardPerItem: o.reward ?? REWARD,
    deadline: o.deadline ?? BigInt(await networkHelpers.time.latest()) + 3600n,
    funding,
    metadataURI: "ipfs://demo-task",
    metadataHash: `0x${"ab".repeat(32)}` as const,
  };
  return args;
}

async function createTask(o: Partial<TaskOverrides> = {}) {
  const args = await taskArgs(o);
  const isEth = (o.token ?? ETH) === ETH;
  const expected = o.expectedRule ?? (await escrow.read.ruleVerifier([args.ruleId]));
  return escrow.write.createTask([args, expected], {
    value: o.value ?? (isEth ? args.funding : 0n),
    account: requester.account,
  });
}

async function newTask(o: Partial<TaskOverrides> = {}): Promise<bigint> {
  const hash = await createTask(o);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  gasUsed.createTask ??= receipt.gasUsed;
  const id = await escrow.read.taskCount();
  taskIds.push(id);
  return id;
}

async function join(id: Identity) {
  await mined(groups.write.joinOpenGroup([id.commitment], { account: worker.account }));
  openGroup.insert(id.commitment);
}

const task = (id: bigint, goldRoot = 0n) => ({ taskId: id, chainId, contract: BigInt(escrow.address), goldRoot });
const toWorker = () => recipientWord(worker.account.address);
const asAlice = () => ({ identity: alice, group: openGroup });
const submit = (id: bigint, b: bigint, p: Submittable, from = stranger) =>
  escrow.write.submitBatch([id, b, p.proof as never, p.publicSignals], { account: from.account });
const mined = async (hash: Promise<`0x${string}`>) => publicClient.waitForTransactionReceipt({ hash: await hash });

/** The EIP-712 types of a signed withdrawal, written out here (not the SDK's) to check the contract against. */
const WITHDRAW_TYPES = {
  Withdraw: [
    { name: "token", type: "address" },
    { name: "account", type: "address" },
    { name: "to", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "fee", type: "uint256" },
    { name: "relayer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
type WithdrawMsg = {
  token: Address;
  account: Address;
  to: Address;
  amount: bigint;
  fee: bigint;
  relayer: Address;
  nonce: bigint;
  deadline: bigint;
};
const withdrawDomain = (verifyingContract: Address = escrow.address, chain = Number(chainId)) => ({
  name: "ZkLabelEscrow",
  version: "1",
  chainId: chain,
  verifyingContract,
});
/** A payee as a worker's identity gives one: a key of its own and no ETH. */
const payeeKey = (name: string) => privateKeyToAccount(keccak256(toHex(`escrow test ${name}`)));
const signWithdraw = (m: WithdrawMsg, by: PrivateKeyAccount, domain = withdrawDomain()) =>
  by.signTypedData({ domain, types: WITHDRAW_TYPES, primaryType: "Withdraw", message: m });

/** The owner replaces a rule's entry: announced, then applied once the delay has passed (the clock moves on). */
async function swapRule(ruleId: number, rule: RuleEntry) {
  await mined(escrow.write.setRuleVerifier([ruleId, rule], { account: requester.account }));
  await networkHelpers.time.increase(RULE_CHANGE_DELAY);
  await mined(escrow.write.applyRuleVerifier([ruleId], { account: stranger.account }));
}

/** Per token: the escrow holds exactly the task balances + reservations + unwithdrawn credits. */
async function assertSolvent() {
  const accounts = [requester, worker, stranger, curator].map((w) => w.account.address as Address);
  if (reentrant !== zeroAddress) accounts.push(reentrant);
  accounts.push(...extraAccounts);
  for (const t of [ETH, d.testToken]) {
    let owed = 0n;
    for (const id of taskIds) {
      const task = await escrow.read.getTask([id]);
      if (getAddress(task.token) === getAddress(t)) owed += task.balance + task.reserved;
    }
    for (const a of accounts) owed += await escrow.read.credits([t, a]);
    const held =
      t === ETH
        ? await publicClient.getBalance({ address: escrow.address })
        : await token.read.balanceOf([escrow.address]);
    assert.equal(held, owed, `escrow ${t === ETH ? "ETH" : "token"} balance = balances + reservations + credits`);
  }
}

describe("ZkLabelEscrow: a task without gold items (ETH), batches verified on submission", () => {
  let taskId: bigint;
  let otherTaskId: bigint;
  let batch0: Proven;
  let batch1: Proven;
  let other0: Proven;

  before(async () => {
    await join(alice);
    await join(bob);
    assert.equal(await groups.read.groupRoot([0n]), openGroup.root, "TypeScript group = on-chain group");
    taskId = await newTask();
    otherTaskId = await newTask();
    const stored = await escrow.read.getTask([taskId]);
    assert.deepEqual(stored.pkR, DEMO_REQUESTER_KEY.pkR, "the task stores the requester's key");
    assert.equal(stored.rule.verifier, getAddress(d.verifier), "the task keeps its rule's verifier");
    batch0 = await proveDemoBatch(circuit.name, task(taskId), 0, toWorker(), asAlice());
    batch1 = await proveDemoBatch(circuit.name, task(taskId), 1, toWorker(), asAlice());
    other0 = await proveDemoBatch(circuit.name, task(otherTaskId), 0, toWorker(), asAlice());
  });

  it("accepts a full batch from any sender, credits the proof's recipient at once and emits what the requester needs to decrypt", async () => {
    const receipt = await mined(submit(taskId, 0n, batch0));
    gasUsed.submitBatch = receipt.gasUsed;
    assert.equal(await escrow.read.credits([ETH, worker.account.address]), REWARD * 64n);
    assert.equal(await escrow.read.isBatchAccepted([taskId, 0n]), true);
    assert.equal((await escrow.read.batchState([taskId, 0n]))[0], 2, "Verified");
    const [e] = await escrow.getEvents.BatchSubmitted({}, { blockHash: receipt.blockHash });
    assert.equal(e.args.recipient, getAddress(worker.account.address));
    assert.equal(e.args.relayer, getAddress(stranger.account.address));
    assert.equal(e.args.count, 64n);
    assert.equal(e.args.reward, REWARD * 64n);
    assert.equal(e.args.groupRoot, openGroup.root);
    assert.equal(e.args.nullifier, batch0.publicSignals[IN.nullifier]);
    const [v] = await escrow.getEvents.BatchVerified({}, { blockHash: receipt.blockHash });
    assert.equal(v.args.recipientAmount, REWARD * 64n);
    assert.equal(v.args.relayerAmount, 0n);
    // The requester decrypts the labels from the event alone, and they open the proven commitment.
    const opened = openWorkerBatch(
      { epk: [...(e.args.epk as readonly [bigint, bigint])], ciphertext: [...(e.args.ciphertext ?? [])] },
      DEMO_REQUESTER_KEY.skR,
      0n,
      N,
      e.args.labelsCommitment as bigint,
      CLASS_LABEL_BITS,
    );
    assert.deepEqual(opened.labels, batch0.labels.map(BigInt));
  });

  it("accepts the partial last batch with its smaller count; the task is then spent", async () => {
    await mined(submit(taskId, 1n, batch1));
    assert.equal(await escrow.read.credits([ETH, worker.account.address]), REWARD * 100n);
    assert.equal((await escrow.read.getTask([taskId])).balance, 0n);
    await assertSolvent();
  });

  it("rejects a replayed proof with BatchAlreadyAccepted", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(submit(taskId, 0n, batch0), escrow, "BatchAlreadyAccepted", [
      taskId,
      0n,
    ]);
  });

  it("rejects a proof made for another task with WrongTask; with the other task's hash it does not verify", async () => {
    const other = await escrow.read.getTask([otherTaskId]);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(otherTaskId, 0n, batch0), escrow, "WrongTask", [
      other.taskHash,
      batch0.publicSignals[IN.taskHash],
    ]);
    const forged = [other.taskHash, ...batch0.publicSignals.slice(1)];
    await viem.assertions.revertWithCustomError(
      submit(otherTaskId, 0n, { proof: batch0.proof, publicSignals: forged }),
      escrow,
      "InvalidProof",
    );
  });

  it("rejects a proof made for the same task id on another chain (taskHash binds the chain id)", async () => {
    const elsewhere = await proveDemoBatch(
      circuit.name,
      { ...task(otherTaskId), chainId: 1n },
      0,
      toWorker(),
      asAlice(),
    );
    const other = await escrow.read.getTask([otherTaskId]);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(otherTaskId, 0n, elsewhere), escrow, "WrongTask", [
      other.taskHash,
      elsewhere.publicSignals[IN.taskHash],
    ]);
  });

  it("rejects a front-run that changes the recipient or the relayer fee with InvalidProof", async () => {
    for (const word of [recipientWord(stranger.account.address), recipientWord(worker.account.address, 10_000)]) {
      const stolen = [...other0.publicSignals];
      stolen[IN.recipient] = word;
      await viem.assertions.revertWithCustomError(
        submit(otherTaskId, 0n, { proof: other0.proof, publicSignals: stolen }),
        escrow,
        "InvalidProof",
      );
    }
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
    await mined(submit(otherTaskId, 0n, other0));
  });

  it("checks input count, batch range, field range, batch index, count and recipient before verifying", async () => {
    const th = (await escrow.read.getTask([otherTaskId])).taskHash;
    const ps = [th, ...batch0.publicSignals.slice(1)];
    const withInputs = (publicSignals: bigint[], b = 1n) =>
      submit(otherTaskId, b, { proof: batch0.proof, publicSignals });
    const count = batch0.publicSignals.length;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(ps.slice(0, 5)), escrow, "WrongPublicInputCount", [
      BigInt(count),
      5n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(ps, 5n), escrow, "BatchOutOfRange", [5n, 2n]);
    const wrapped = [...ps];
    wrapped[count - 1] += SNARK_SCALAR_FIELD;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(wrapped), escrow, "NotInField", [
      wrapped[count - 1],
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(ps), escrow, "WrongBatchIndex", [1n, 0n]);
    const b1 = [...ps];
    b1[IN.batchIndex] = 1n;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(b1), escrow, "WrongCount", [36n, 64n]);
    b1[IN.count] = 36n;
    b1[IN.recipient] = 1n << 176n;
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(b1), escrow, "InvalidRecipient", [1n << 176n]);
    b1[IN.recipient] = recipientWord(worker.account.address) | (10_001n << 160n);
    await viem.assertions.revertWithCustomErrorWithArgs(withInputs(b1), escrow, "InvalidRelayerFee", [10_001n]);
  });

  it("pays a relayer the fee bound in the proof; recipient and relayer amounts add up to the reward to the wei", async () => {
    const id = await newTask();
    const p = await proveDemoBatch(circuit.name, task(id), 1, recipientWord(worker.account.address, 333), asAlice());
    const [w0, r0] = await Promise.all([
      escrow.read.credits([ETH, worker.account.address]),
      escrow.read.credits([ETH, curator.account.address]),
    ]);
    const receipt = await mined(submit(id, 1n, p, curator));
    const reward = REWARD * 36n;
    const fee = (reward * 333n) / 10_000n;
    assert.equal((await escrow.read.credits([ETH, worker.account.address])) - w0, reward - fee);
    assert.equal((await escrow.read.credits([ETH, curator.account.address])) - r0, fee);
    const [v] = await escrow.getEvents.BatchVerified({}, { blockHash: receipt.blockHash });
    assert.equal((v.args.recipientAmount ?? 0n) + (v.args.relayerAmount ?? 0n), reward);
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: submitBatches (one batch-verified check for several proofs)", () => {
  const BIG = 256; // four full batches

  it("a relayer submits four batches of a task in one call; all verify and pay", async () => {
    const id = await newTask({ itemCount: BIG });
    const proofs: Proven[] = [];
    for (let b = 0; b < 4; b++) {
      proofs.push(await proveDemoBatch(circuit.name, task(id), b, toWorker(), asAlice(), { n: BIG }));
    }
    const before = await escrow.read.credits([ETH, worker.account.address]);
    const receipt = await mined(
      escrow.write.submitBatches(
        [id, [0n, 1n, 2n, 3n], proofs.map((p) => p.proof) as never, proofs.flatMap((p) => p.publicSignals)],
        { account: stranger.account },
      ),
    );
    gasUsed.submitBatches4 = receipt.gasUsed;
    assert.equal((await escrow.read.credits([ETH, worker.account.address])) - before, REWARD * BigInt(BIG));
    for (let b = 0n; b < 4n; b++) assert.equal(await escrow.read.isBatchAccepted([id, b]), true);
    assert.equal((await escrow.getEvents.BatchSubmitted({ taskId: id }, { blockHash: receipt.blockHash })).length, 4);
    await assertSolvent();
  });

  it("on a task with gold items eight batches pend together and one finalize pays them", async () => {
    const items = 8 * N;
    const id = await newTask({ itemCount: items, goldRoot: GOLD_ROOT });
    const proofs: Proven[] = [];
    for (let b = 0; b < 8; b++) {
      proofs.push(await proveDemoBatch(circuit.name, task(id, GOLD_ROOT), b, toWorker(), asAlice(), { n: items }));
    }
    const indexes = proofs.map((_, b) => BigInt(b));
    const submitted = await mined(
      escrow.write.submitBatches(
        [id, indexes, proofs.map((p) => p.proof) as never, proofs.flatMap((p) => p.publicSignals)],
        { account: stranger.account },
      ),
    );
    gasUsed.submitBatches8Pending = submitted.gasUsed;
    assert.equal((await escrow.read.getTask([id])).reserved, REWARD * BigInt(items));
    await networkHelpers.time.increase(WINDOW);
    const before = await escrow.read.credits([ETH, worker.account.address]);
    const finalized = await mined(escrow.write.finalize([id, indexes], { account: stranger.account }));
    gasUsed.finalize8Batches = finalized.gasUsed;
    assert.equal((await escrow.read.credits([ETH, worker.account.address])) - before, REWARD * BigInt(items));
    await assertSolvent();
  });

  it("one false proof among them reverts the whole call; list and availability errors", async () => {
    const id = await newTask({ itemCount: BIG });
    const ps: Proven[] = [];
    for (let b = 0; b < 2; b++)
      ps.push(await proveDemoBatch(circuit.name, task(id), b, toWorker(), asAlice(), { n: BIG }));
    const inputs = ps.flatMap((p) => p.publicSignals);
    const swapped = [ps[1].proof, ps[0].proof]; // each proof valid, but for the other batch
    await viem.assertions.revertWithCustomError(
      escrow.write.submitBatches([id, [0n, 1n], swapped as never, inputs]),
      escrow,
      "InvalidProof",
    );
    assert.equal(await escrow.read.isBatchAccepted([id, 0n]), false, "nothing was accepted");
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatches([id, [0n, 1n], [ps[0].proof] as never, inputs]),
      escrow,
      "BatchListMismatch",
      [2n, 1n],
    );
    // A rule registered without a batch verifier: tasks created then cannot use submitBatches.
    const rule = await escrow.read.ruleVerifier([1]);
    await swapRule(1, { ...rule, batchVerifier: zeroAddress });
    const plain = await newTask({ itemCount: BIG });
    await swapRule(1, rule);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.submitBatches([plain, [0n], [ps[0].proof] as never, ps[0].publicSignals]),
      escrow,
      "BatchVerificationUnavailable",
      [1],
    );
    const fresh = await newTask({ itemCount: BIG });
    const qs: Proven[] = [];
    for (let b = 0; b < 2; b++)
      qs.push(await proveDemoBatch(circuit.name, task(fresh), b, toWorker(), asAlice(), { n: BIG }));
    // The same batch twice in one call: the second is skipped (it was accepted by the first), not paid twice.
    const twice = await mined(
      escrow.write.submitBatches([
        fresh,
        [0n, 0n, 1n],
        [qs[0].proof, qs[0].proof, qs[1].proof] as never,
        [...qs[0].publicSignals, ...qs[0].publicSignals, ...qs[1].publicSignals],
      ]),
    );
    const skips = await escrow.getEvents.BatchSkipped({ taskId: fresh }, { blockHash: twice.blockHash });
    assert.deepEqual(
      skips.map((e) => e.args.batchIndex),
      [0n],
    );
    assert.equal((await escrow.read.getTask([fresh])).balance, REWARD * BigInt(BIG - 2 * N));
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: worker groups", () => {
  it("refuses a group root the task's group never had (an outsider's own group), and a member of another group", async () => {
    const id = await newTask();
    const outsider = new Identity("escrow test outsider");
    const ownGroup = workerGroup([alice.commitment, outsider.commitment]);
    const p = await proveDemoBatch(circuit.name, task(id), 0, recipientWord(stranger.account.address), {
      identity: outsider,
      group: ownGroup,
    });
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, p), escrow, "UnknownGroupRoot", [
      0n,
      ownGroup.root,
    ]);
    // A task for a curated group refuses proofs made in the open group, and takes its members'.
    await groups.write.createGroup({ account: curator.account });
    const curatedId = (await groups.read.groupCount()) - 1n;
    await groups.write.addMember([curatedId, outsider.commitment], { account: curator.account });
    const curatedTask = await newTask({ workerGroupId: curatedId });
    const fromOpen = await proveDemoBatch(circuit.name, task(curatedTask), 0, toWorker(), asAlice());
    await viem.assertions.revertWithCustomErrorWithArgs(submit(curatedTask, 0n, fromOpen), escrow, "UnknownGroupRoot", [
      curatedId,
      openGroup.root,
    ]);
    const fromCurated = await proveDemoBatch(
      circuit.name,
      task(curatedTask),
      0,
      recipientWord(stranger.account.address),
      { identity: outsider, group: workerGroup([outsider.commitment]) },
    );
    await mined(submit(curatedTask, 0n, fromCurated));
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ workerGroupId: 99n }),
      escrow,
      "UnknownWorkerGroup",
      [99n],
    );
  });

  it("accepts a proof against a root replaced within the grace period, and refuses a stale one after it", async () => {
    const id = await newTask({ deadline: BigInt(await networkHelpers.time.latest()) + 10n * ROOT_GRACE_PERIOD });
    const p0 = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    const p1 = await proveDemoBatch(circuit.name, task(id), 1, toWorker(), asAlice());
    const provenRoot = openGroup.root;
    await join(new Identity("escrow test carol")); // the group changes while the proofs are in flight
    assert.notEqual(await groups.read.groupRoot([0n]), provenRoot);
    await networkHelpers.time.increase(ROOT_GRACE_PERIOD - 60n);
    await mined(submit(id, 0n, p0));
    await networkHelpers.time.increase(120n);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 1n, p1), escrow, "UnknownGroupRoot", [
      0n,
      provenRoot,
    ]);
  });
});

describe("ZkLabelEscrow: a token task with gold items, challenge window and finalize", () => {
  let id: bigint;
  let p0: Proven;
  let p1: Proven;

  before(async () => {
    await token.write.mint([requester.account.address, parseEther("1000")]);
    await token.write.approve([escrow.address, parseEther("1000")], { account: requester.account });
  });

  it("creates and funds part of a task in one transaction, refuses a batch it cannot pay, and takes a top-up", async () => {
    id = await newTask({ token: d.testToken, funding: REWARD * 50n, goldRoot: GOLD_ROOT });
    assert.equal(await token.read.balanceOf([escrow.address]), REWARD * 50n);
    p0 = await proveDemoBatch(circuit.name, task(id, GOLD_ROOT), 0, toWorker(), asAlice());
    p1 = await proveDemoBatch(
      circuit.name,
      task(id, GOLD_ROOT),
      1,
      recipientWord(worker.account.address, 100),
      asAlice(),
    );
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, p0), escrow, "InsufficientTaskBalance", [
      id,
      REWARD * 64n,
      REWARD * 50n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.topUp([id, REWARD * 51n], { account: requester.account }),
      escrow,
      "InvalidFunding",
      [REWARD * 51n, REWARD * 50n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.topUp([id, REWARD * 50n], { account: requester.account, value: 1n }),
      escrow,
      "EthSentWithToken",
      [1n],
    );
    await escrow.write.topUp([id, REWARD * 50n], { account: requester.account });
    assert.equal((await escrow.read.getTask([id])).balance, REWARD * 100n);
    await assertSolvent();
  });

  it("keeps a submitted batch pending (reserved) through the challenge window, then anyone finalizes it", async () => {
    gasUsed.submitBatchPending = (await mined(submit(id, 0n, p0))).gasUsed;
    await mined(submit(id, 1n, p1, curator));
    const t = await escrow.read.getTask([id]);
    assert.equal(t.reserved, REWARD * 100n);
    assert.equal(t.balance, 0n);
    const [state, pending] = await escrow.read.batchState([id, 0n]);
    assert.equal(state, 1, "Pending");
    assert.equal(pending.recipient, getAddress(worker.account.address));
    assert.equal(pending.count, 64);
    assert.equal(await escrow.read.credits([d.testToken, worker.account.address]), 0n);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, p0), escrow, "BatchIsPending", [id, 0n]);
    const endsAt = BigInt(pending.submittedAt) + BigInt(WINDOW);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.finalize([id, [0n]], { account: stranger.account }),
      escrow,
      "ChallengeWindowOpen",
      [id, 0n, endsAt],
    );
    await assertSolvent();
    await networkHelpers.time.increase(WINDOW);
    const receipt = await mined(escrow.write.finalize([id, [0n, 1n]], { account: stranger.account }));
    gasUsed.finalize2Batches = receipt.gasUsed;
    const reward1 = REWARD * 36n;
    const fee1 = reward1 / 100n;
    assert.equal(await escrow.read.credits([d.testToken, worker.account.address]), REWARD * 100n - fee1);
    assert.equal(await escrow.read.credits([d.testToken, curator.account.address]), fee1);
    assert.equal((await escrow.read.getTask([id])).reserved, 0n);
    assert.equal(await escrow.read.isBatchAccepted([id, 1n]), true);
    await viem.assertions.revertWithCustomErrorWithArgs(escrow.write.finalize([id, [0n]]), escrow, "BatchNotPending", [
      id,
      0n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, p0), escrow, "BatchAlreadyAccepted", [id, 0n]);
    await assertSolvent();
  });

  it("withdraws token credits to any address", async () => {
    const credit = await escrow.read.credits([d.testToken, worker.account.address]);
    const receipt = await mined(
      escrow.write.withdraw([d.testToken, stranger.account.address], { account: worker.account }),
    );
    gasUsed.withdrawToken = receipt.gasUsed;
    assert.equal(await token.read.balanceOf([stranger.account.address]), credit);
    assert.equal(await escrow.read.credits([d.testToken, worker.account.address]), 0n);
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: gold rejection (issue 14)", () => {
  // Every 8th item is gold with its intended class: batch 0 holds 8 gold items, batch 1 (36 items) 5.
  const openings = demoGold();
  const goldRoot = demoGoldTree(openings).root;
  const badLabels = (b: number) =>
    demoItems(100)
      .slice(b * N, (b + 1) * N)
      .map((x) => (x.sentiment + 1) % 3); // always an allowed class, never the right one
  let id: bigint;
  let bad: Proven;
  const carol = new Identity("escrow test honest relabeler");
  /** The batch's nullifier and labelsCommitment, as its BatchSubmitted event and the seal carry them. */
  const sealOf = (p: Proven) => ({
    nullifier: p.publicSignals[IN.nullifier],
    labelsCommitment: p.publicSignals[IN.labelsCommitment],
  });
  const reject = (b: bigint, p: Proven, proof: readonly bigint[], bound = 80, from = requester) =>
    escrow.write.rejectBatch([id, b, sealOf(p).nullifier, sealOf(p).labelsCommitment, bound, proof as never], {
      account: from.account,
    });
  const rejection = (p: Proven, bound = 80, batchIndex = 0) =>
    proveDemoRejection({
      openings,
      batchIndex,
      labels: p.labels,
      salt: 12345n + BigInt(batchIndex),
      labelsCommitment: sealOf(p).labelsCommitment,
      bound,
    });

  before(async () => {
    await join(carol);
    id = await newTask({ goldRoot, minAccuracy: 80 });
    bad = await proveDemoBatch(circuit.name, task(id, goldRoot), 0, toWorker(), asAlice(), {
      labels: badLabels(0),
    });
    await mined(submit(id, 0n, bad));
  });

  it("an honest worker's good batch cannot be rejected: no witness exists, and a batch without gold items has none either", async () => {
    const goodLabels = demoItems(100)
      .slice(N, 100)
      .map((x) => x.sentiment);
    const good = await proveDemoBatch(circuit.name, task(id, goldRoot), 1, toWorker(), asAlice(), {
      labels: goodLabels,
    });
    await assert.rejects(rejection(good, 80, 1), (e: unknown) => errorCode(e) === "unprovable");
    const noGold = openings.map((o) => ({ ...o, isGold: 0 as const, value: 0n }));
    await assert.rejects(
      proveDemoRejection({
        openings: noGold,
        batchIndex: 0,
        labels: bad.labels,
        salt: 12345n,
        labelsCommitment: sealOf(bad).labelsCommitment,
        bound: 80,
      }),
      /has no gold item, so it cannot be rejected/,
    );
  });

  it("refuses a rejection by anyone but the requester, with a wrong seal, a bound above minAccuracy or 0, or a proof of another bound", async () => {
    const r = await rejection(bad);
    await viem.assertions.revertWithCustomErrorWithArgs(
      reject(0n, bad, r.proof, 80, stranger),
      escrow,
      "NotRequester",
      [id, getAddress(stranger.account.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.rejectBatch(
        [id, 0n, sealOf(bad).nullifier + 1n, sealOf(bad).labelsCommitment, 80, r.proof as never],
        {
          account: requester.account,
        },
      ),
      escrow,
      "WrongBatchSeal",
      [id, 0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      reject(0n, bad, r.proof, 81),
      escrow,
      "InvalidRejectionBound",
      [81, 80],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      reject(0n, bad, r.proof, 0),
      escrow,
      "InvalidRejectionBound",
      [0, 80],
    );
    // The proof is of bound 80: presented as bound 50 it does not verify.
    await viem.assertions.revertWithCustomError(reject(0n, bad, r.proof, 50), escrow, "InvalidProof");
    await viem.assertions.revertWithCustomErrorWithArgs(reject(1n, bad, r.proof), escrow, "BatchNotPending", [id, 1n]);
  });

  it("the requester rejects a bad batch with a proof: the reward returns to the task, the batch reopens, the nullifier is spent", async () => {
    const before = await escrow.read.getTask([id]);
    const r = await rejection(bad);
    assert.deepEqual(
      { gold: r.built.gold, correct: r.built.correct },
      { gold: 8, correct: 0 },
      "every gold item of the batch is counted",
    );
    // The emergency pause never takes the requester's rejection right away (issue 17).
    await mined(escrow.write.setPaused([true]));
    const receipt = await mined(reject(0n, bad, r.proof));
    await mined(escrow.write.setPaused([false]));
    gasUsed.rejectBatch = receipt.gasUsed;
    const [e] = await escrow.getEvents.BatchRejected({}, { blockHash: receipt.blockHash });
    assert.equal(e.args.bound, 80);
    assert.equal(e.args.returned, REWARD * 64n);
    assert.equal(e.args.nullifier, sealOf(bad).nullifier);
    const after = await escrow.read.getTask([id]);
    assert.equal(after.reserved, before.reserved - REWARD * 64n);
    assert.equal(after.balance, before.balance + REWARD * 64n);
    assert.equal(after.acceptedItems, before.acceptedItems - 64);
    assert.equal((await escrow.read.batchState([id, 0n]))[0], 0, "Open again");
    assert.equal(await escrow.read.isNullifierSpent([sealOf(bad).nullifier]), true);
    await viem.assertions.revertWithCustomErrorWithArgs(reject(0n, bad, r.proof), escrow, "BatchNotPending", [id, 0n]);
    await assertSolvent();
  });

  it("the rejected identity cannot submit the batch again; another worker's good batch is paid after the window", async () => {
    const again = await proveDemoBatch(circuit.name, task(id, goldRoot), 0, toWorker(), asAlice(), { salt: 999n });
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, again), escrow, "NullifierSpent", [
      sealOf(bad).nullifier,
    ]);
    const honest = await proveDemoBatch(circuit.name, task(id, goldRoot), 0, toWorker(), {
      identity: carol,
      group: openGroup,
    });
    await mined(submit(id, 0n, honest));
    await assert.rejects(rejection(honest), (e: unknown) => errorCode(e) === "unprovable");
    await networkHelpers.time.increase(WINDOW);
    const r = await rejection(bad);
    await viem.assertions.revertWithCustomError(reject(0n, honest, r.proof), escrow, "ChallengeWindowClosed");
    const paid = await escrow.read.credits([ETH, worker.account.address]);
    await mined(escrow.write.finalize([id, [0n]], { account: stranger.account }));
    assert.equal(await escrow.read.credits([ETH, worker.account.address]), paid + REWARD * 64n);
    await assertSolvent();
  });

  it("a rule without a rejection verifier takes no gold items, and a gold threshold needs gold items and at most 100", async () => {
    const sensor = d.rules?.find((r) => r.rejectVerifier === zeroAddress);
    assert.ok(sensor, "the deployment has a rule without gold (sensor)");
    await viem.assertions.revertWithCustomError(
      createTask({ ruleId: sensor.ruleId, ruleParams: [1000n, 3000n, 0n, 0n], goldRoot: 5n }),
      escrow,
      "InvalidGoldSettings",
    );
    await viem.assertions.revertWithCustomError(createTask({ goldThreshold: 5 }), escrow, "InvalidGoldSettings");
    await viem.assertions.revertWithCustomError(
      createTask({ goldRoot: 5n, goldThreshold: 101 }),
      escrow,
      "InvalidGoldSettings",
    );
  });
});

describe("ZkLabelEscrow: requester exits", () => {
  it("cancel closes the task after the notice period; batches until then are paid; the refund comes after; nothing is left behind", async () => {
    const id = await newTask({
      goldRoot: GOLD_ROOT,
      deadline: BigInt(await networkHelpers.time.latest()) + 86400n * 10n,
    });
    const p0 = await proveDemoBatch(circuit.name, task(id, GOLD_ROOT), 0, toWorker(), asAlice());
    const p1 = await proveDemoBatch(circuit.name, task(id, GOLD_ROOT), 1, toWorker(), asAlice());
    await viem.assertions.revertWithCustomError(
      escrow.write.cancel([id], { account: stranger.account }),
      escrow,
      "NotRequester",
    );
    await viem.assertions.revertWithCustomError(
      escrow.write.refund([id], { account: requester.account }),
      escrow,
      "TaskStillOpen",
    );
    const notice = await escrow.read.CANCEL_NOTICE();
    const cancelled = await mined(escrow.write.cancel([id], { account: requester.account }));
    const cancelledAt = BigInt((await publicClient.getBlock({ blockHash: cancelled.blockHash })).timestamp);
    const [c] = await escrow.getEvents.TaskCancelled({ taskId: id }, { blockHash: cancelled.blockHash });
    assert.equal(c.args.closesAt, cancelledAt + notice);
    const t0 = await escrow.read.getTask([id]);
    assert.equal(t0.cancelled, true);
    assert.equal(BigInt(t0.closesAt), cancelledAt + notice);
    assert.equal(t0.balance, REWARD * 100n, "cancel moves no funds");
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.cancel([id], { account: requester.account }),
      escrow,
      "TaskCancelledAlready",
      [id],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.topUp([id, 1n], { account: requester.account, value: 1n }),
      escrow,
      "TaskCancelledAlready",
      [id],
    );
    await mined(submit(id, 0n, p0)); // within the notice period: accepted
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.refund([id], { account: requester.account }),
      escrow,
      "TaskStillOpen",
      [id, BigInt(t0.closesAt)],
    );
    await networkHelpers.time.increaseTo(BigInt(t0.closesAt) + 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 1n, p1), escrow, "TaskCancelledAlready", [id]);
    await viem.assertions.balancesHaveChanged(escrow.write.refund([id], { account: requester.account }), [
      { address: escrow.address, amount: -REWARD * 36n },
    ]);
    await viem.assertions.revertWithCustomError(
      escrow.write.refund([id], { account: requester.account }),
      escrow,
      "NothingToWithdraw",
    );
    await assertSolvent();
    await networkHelpers.time.increase(WINDOW);
    const before = await escrow.read.credits([ETH, worker.account.address]);
    await mined(escrow.write.finalize([id, [0n]]));
    assert.equal((await escrow.read.credits([ETH, worker.account.address])) - before, REWARD * 64n);
    const t = await escrow.read.getTask([id]);
    assert.equal(t.balance + t.reserved, 0n, "the task holds nothing more");
    await assertSolvent();
  });

  it("a task that ends with zero payouts refunds in full after the deadline, once; late batches are refused", async () => {
    const id = await newTask();
    const proof = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    await networkHelpers.time.increase(3601);
    const t = await escrow.read.getTask([id]);
    await viem.assertions.revertWithCustomErrorWithArgs(submit(id, 0n, proof), escrow, "TaskExpired", [
      id,
      BigInt(t.deadline),
    ]);
    await viem.assertions.revertWithCustomError(
      escrow.write.refund([id], { account: stranger.account }),
      escrow,
      "NotRequester",
    );
    await viem.assertions.balancesHaveChanged(escrow.write.refund([id], { account: requester.account }), [
      { address: escrow.address, amount: -REWARD * 100n },
    ]);
    await viem.assertions.revertWithCustomError(
      escrow.write.refund([id], { account: requester.account }),
      escrow,
      "NothingToWithdraw",
    );
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: a finished task is recorded as complete (issue 19)", () => {
  /** keccak256(abi.encode(nullifier, labelsCommitment)): a submission's seal. */
  const sealOf = (nullifier: bigint, commitment: bigint) =>
    keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [nullifier, commitment]));
  /** One link of the batches digest: keccak256(abi.encode(prev, batchIndex, seal)). */
  const chainStep = (prev: Hex, batchIndex: bigint, seal: Hex) =>
    keccak256(
      encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }, { type: "bytes32" }], [prev, batchIndex, seal]),
    );
  const digestStart = async (id: bigint) => toHex((await escrow.read.getTask([id])).taskHash, { size: 32 });
  /** The batches digest as a dataset consumer recomputes it from the events, in BatchVerified order. */
  async function digestFromEvents(id: bigint): Promise<Hex> {
    const submitted = await escrow.getEvents.BatchSubmitted({ taskId: id }, { fromBlock: 0n });
    const verified = await escrow.getEvents.BatchVerified({ taskId: id }, { fromBlock: 0n });
    let digest = await digestStart(id);
    for (const v of verified) {
      // The batch's standing submission (no batch is rejected in these tests: its last one).
      const s = submitted.filter((e) => e.args.batchIndex === v.args.batchIndex).at(-1);
      assert.ok(s, `batch ${v.args.batchIndex} was submitted`);
      const seal = sealOf(s.args.nullifier as bigint, s.args.labelsCommitment as bigint);
      digest = chainStep(digest, v.args.batchIndex as bigint, seal);
    }
    return digest;
  }
  const completions = (id: bigint) => escrow.getEvents.TaskCompleted({ taskId: id }, { fromBlock: 0n });

  it("the transaction that verifies the last batch completes the task, once, with the root, the rule and the batches' digest", async () => {
    const id = await newTask();
    const p0 = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    const p1 = await proveDemoBatch(circuit.name, task(id), 1, toWorker(), asAlice());
    // The last batch first: order of verification, not of index.
    await mined(submit(id, 1n, p1));
    let t = await escrow.read.getTask([id]);
    assert.equal(t.completed, false);
    assert.equal(t.verifiedItems, 36);
    assert.equal((await completions(id)).length, 0, "no completion while a batch is open");
    const receipt = await mined(submit(id, 0n, p0));
    t = await escrow.read.getTask([id]);
    assert.equal(t.completed, true);
    assert.equal(t.verifiedItems, ITEMS);
    const [c, ...more] = await completions(id);
    assert.equal(more.length, 0, "emitted exactly once");
    assert.equal(c.blockHash, receipt.blockHash, "in the transaction that verified the last batch");
    const { tree } = demoDataset(circuit, ITEMS);
    assert.equal(c.args.datasetRoot, tree.root);
    assert.equal(t.datasetRoot, tree.root);
    assert.equal(c.args.ruleId, 1);
    assert.equal(c.args.verifier, getAddress(d.verifier));
    assert.equal(c.args.itemCount, ITEMS);
    assert.equal(c.args.verifiedItems, ITEMS);
    assert.equal(c.args.batchesDigest, await digestFromEvents(id));
    assert.equal(t.batchesDigest, c.args.batchesDigest);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id], { account: stranger.account }),
      escrow,
      "TaskAlreadyComplete",
      [id],
    );
    await networkHelpers.time.increase(3601);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id], { account: requester.account }),
      escrow,
      "TaskAlreadyComplete",
      [id],
    );
    assert.equal((await completions(id)).length, 1);
  });

  it("with gold items the last finalize completes it; the digest follows the finalize order", async () => {
    const id = await newTask({ goldRoot: GOLD_ROOT });
    const p0 = await proveDemoBatch(circuit.name, task(id, GOLD_ROOT), 0, toWorker(), asAlice());
    const p1 = await proveDemoBatch(circuit.name, task(id, GOLD_ROOT), 1, toWorker(), asAlice());
    await mined(submit(id, 0n, p0));
    await mined(submit(id, 1n, p1));
    assert.equal((await escrow.read.getTask([id])).verifiedItems, 0, "pending batches are not verified");
    await networkHelpers.time.increase(3601);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id], { account: stranger.account }),
      escrow,
      "BatchesPending",
      [id, BigInt(ITEMS)],
    );
    await mined(escrow.write.finalize([id, [1n]], { account: stranger.account }));
    assert.equal((await completions(id)).length, 0);
    const receipt = await mined(escrow.write.finalize([id, [0n]], { account: stranger.account }));
    const [c, ...more] = await completions(id);
    assert.equal(more.length, 0);
    assert.equal(c.blockHash, receipt.blockHash);
    assert.equal(c.args.verifiedItems, ITEMS);
    assert.equal(c.args.batchesDigest, await digestFromEvents(id));
    const seal = (p: Proven) => sealOf(BigInt(p.publicSignals[IN.nullifier]), BigInt(p.publicSignals[IN_COMMITMENT]));
    const expected = chainStep(chainStep(await digestStart(id), 1n, seal(p1)), 0n, seal(p0));
    assert.equal(c.args.batchesDigest, expected, "batch 1 then batch 0, with the proofs' nullifier and commitment");
    await assertSolvent();
  });

  it("a task that closes with some batches verified completes when anyone asks, after it closed, once", async () => {
    const id = await newTask();
    const p0 = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    await mined(submit(id, 0n, p0));
    const t0 = await escrow.read.getTask([id]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id], { account: stranger.account }),
      escrow,
      "TaskStillOpen",
      [id, BigInt(t0.closesAt)],
    );
    await networkHelpers.time.increaseTo(BigInt(t0.closesAt) + 1n);
    const receipt = await mined(escrow.write.complete([id], { account: stranger.account }));
    gasUsed.complete = receipt.gasUsed;
    const [c, ...more] = await completions(id);
    assert.equal(more.length, 0);
    assert.equal(c.args.itemCount, ITEMS);
    assert.equal(c.args.verifiedItems, 64);
    assert.equal(c.args.batchesDigest, await digestFromEvents(id));
    assert.equal((await escrow.read.getTask([id])).completed, true);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id], { account: requester.account }),
      escrow,
      "TaskAlreadyComplete",
      [id],
    );
    // The requester's refund of what is left is unaffected.
    await viem.assertions.balancesHaveChanged(escrow.write.refund([id], { account: requester.account }), [
      { address: escrow.address, amount: -REWARD * 36n },
    ]);
    await assertSolvent();
  });

  it("a task with nothing verified cannot complete; an unknown task is refused", async () => {
    const id = await newTask();
    await networkHelpers.time.increase(3601);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id], { account: stranger.account }),
      escrow,
      "NothingVerified",
      [id],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.complete([id + 1000n], { account: stranger.account }),
      escrow,
      "TaskNotFound",
      [id + 1000n],
    );
  });
});

describe("ZkLabelEscrow: withdrawals", () => {
  it("pays a withdrawal once, to the address the earner names", async () => {
    const before = await publicClient.getBalance({ address: stranger.account.address });
    const credit = await escrow.read.credits([ETH, worker.account.address]);
    const receipt = await mined(escrow.write.withdraw([ETH, stranger.account.address], { account: worker.account }));
    gasUsed.withdraw = receipt.gasUsed;
    assert.equal(await publicClient.getBalance({ address: stranger.account.address }), before + credit);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.withdraw([ETH, worker.account.address], { account: worker.account }),
      escrow,
      "NothingToWithdraw",
      [ETH, getAddress(worker.account.address)],
    );
    await viem.assertions.revertWithCustomError(
      escrow.write.withdraw([ETH, zeroAddress], { account: worker.account }),
      escrow,
      "ZeroAddress",
    );
    await assertSolvent();
  });

  it("a payout to an address that refuses ETH fails with TransferFailed and keeps the credit", async () => {
    const id = await newTask();
    const p = await proveDemoBatch(circuit.name, task(id), 1, toWorker(), asAlice());
    await mined(submit(id, 1n, p));
    const credit = await escrow.read.credits([ETH, worker.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.withdraw([ETH, d.testToken], { account: worker.account }), // a token contract has no receive()
      escrow,
      "TransferFailed",
      [getAddress(d.testToken), credit],
    );
    assert.equal(await escrow.read.credits([ETH, worker.account.address]), credit, "nothing lost");
    await assertSolvent();
  });

  it("a malicious recipient contract cannot withdraw twice by re-entering", async () => {
    const attacker = await viem.deployContract("ReentrantRecipient", [escrow.address]);
    reentrant = attacker.address;
    const id = await newTask();
    const p = await proveDemoBatch(circuit.name, task(id), 1, recipientWord(attacker.address), asAlice());
    await mined(submit(id, 1n, p));
    const credit = await escrow.read.credits([ETH, attacker.address]);
    assert.equal(credit, REWARD * 36n);
    await mined(attacker.write.withdrawToSelf());
    assert.equal(await attacker.read.calls(), 1n, "paid once");
    assert.equal(await attacker.read.reentered(), false, "the re-entrant withdraw was refused");
    assert.equal(await publicClient.getBalance({ address: attacker.address }), credit);
    await assertSolvent();
  });

  it("during a payout, re-entry into every other entry point is refused by the re-entrancy guard (each call would succeed on its own)", async () => {
    if (openGroup.indexOf(alice.commitment) < 0) await join(alice); // when run alone
    const attacker = await viem.deployContract("ReentrantRecipient", [escrow.address]);
    reentrant = attacker.address;
    const later = BigInt(await networkHelpers.time.latest()) + 86400n * 10n;
    const to = recipientWord(attacker.address);
    // The payout that re-enters: the attacker's ETH credit.
    const paid = await newTask({ deadline: later });
    await mined(submit(paid, 1n, await proveDemoBatch(circuit.name, task(paid), 1, to, asAlice())));
    // A token credit the attacker could withdraw too.
    await token.write.mint([requester.account.address, parseEther("1")]);
    await token.write.approve([escrow.address, parseEther("1")], { account: requester.account });
    const tokenTask = await newTask({ token: d.testToken, deadline: later });
    await mined(submit(tokenTask, 1n, await proveDemoBatch(circuit.name, task(tokenTask), 1, to, asAlice())));
    // Open batches with valid proofs, a pending batch past its window, a task to top up.
    const single = await newTask({ deadline: later });
    const singleProof = await proveDemoBatch(circuit.name, task(single), 1, to, asAlice());
    const multi = await newTask({ deadline: later });
    const multiProof = await proveDemoBatch(circuit.name, task(multi), 1, to, asAlice());
    const gold = await newTask({ goldRoot: GOLD_ROOT, deadline: later });
    await mined(submit(gold, 1n, await proveDemoBatch(circuit.name, task(gold, GOLD_ROOT), 1, to, asAlice())));
    const partly = await newTask({ funding: REWARD, deadline: later });
    // A payee's withdrawal signed for any relayer: the attacker could submit it and take the fee.
    const signer = payeeKey("re-entry payee");
    extraAccounts.push(signer.address);
    const signerTask = await newTask({ deadline: later });
    await mined(
      submit(
        signerTask,
        1n,
        await proveDemoBatch(circuit.name, task(signerTask), 1, recipientWord(signer.address), asAlice()),
      ),
    );
    const signed: WithdrawMsg = {
      token: ETH,
      account: signer.address,
      to: stranger.account.address,
      amount: REWARD,
      fee: 1n,
      relayer: zeroAddress,
      nonce: 0n,
      deadline: later,
    };
    const signature = await signWithdraw(signed, signer);
    // Tasks of the attacker's own as requester: one open (to cancel), one expired (to refund).
    const now = BigInt(await networkHelpers.time.latest());
    const own = async (deadline: bigint) =>
      encodeFunctionData({
        abi: escrow.abi,
        functionName: "createTask",
        args: [
          await taskArgs({ itemCount: 1, reward: 1n, funding: 1n, deadline }),
          await escrow.read.ruleVerifier([1]),
        ],
      });
    await mined(attacker.write.act([await own(later)], { value: 1n }));
    const ownOpen = await escrow.read.taskCount();
    taskIds.push(ownOpen);
    await mined(attacker.write.act([await own(now + 100n)], { value: 1n }));
    const ownExpired = await escrow.read.taskCount();
    taskIds.push(ownExpired);
    await networkHelpers.time.increase(WINDOW + 200);
    const call = (functionName: string, args: readonly unknown[]) =>
      encodeFunctionData({ abi: escrow.abi, functionName, args } as never);
    const attempts: [string, `0x${string}`, bigint][] = [
      ["withdraw (token)", call("withdraw", [d.testToken, attacker.address]), 0n],
      ["withdrawWithSignature", call("withdrawWithSignature", [signed, signature]), 0n],
      ["submitBatch", call("submitBatch", [single, 1n, singleProof.proof, singleProof.publicSignals]), 0n],
      ["submitBatches", call("submitBatches", [multi, [1n], [multiProof.proof], multiProof.publicSignals]), 0n],
      ["finalize", call("finalize", [gold, [1n]]), 0n],
      ["topUp", call("topUp", [partly, 1n]), 1n],
      ["createTask", await own(later), 1n],
      ["cancel", call("cancel", [ownOpen]), 0n],
      ["refund", call("refund", [ownExpired]), 0n],
    ];
    await mined(
      attacker.write.setAttempts([attempts.map((a) => a[1]), attempts.map((a) => a[2])], { account: stranger.account }),
    );
    await mined(attacker.write.withdrawToSelf());
    const results = await attacker.read.results();
    const guard = toFunctionSelector("ReentrancyGuardReentrantCall()");
    for (const [i, [name]] of attempts.entries()) {
      assert.equal(results[i], guard, `re-entering ${name} during a payout must hit the re-entrancy guard`);
    }
    assert.equal(await attacker.read.reentered(), false);
    // Outside a payout the same calls go through: the guard, not another check, refused them.
    await mined(escrow.write.finalize([gold, [1n]]));
    await mined(attacker.write.act([call("cancel", [ownOpen])]));
    await mined(attacker.write.act([call("withdrawWithSignature", [signed, signature])]));
    assert.equal(await escrow.read.nonces([signer.address]), 1n);
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: gasless withdrawals by signature (issue 15)", () => {
  const payee = payeeKey("payee");
  const tokenPayee = payeeKey("token payee");
  const someoneElse = payeeKey("someone else");
  let relayer: typeof curator;
  let first: { m: WithdrawMsg; sig: Hex };

  /** Credits `to` with batch 1 of a fresh task (36 items) in ETH or the test token. */
  async function credit(to: Address, tok: Address = ETH) {
    const id = await newTask({ token: tok, deadline: await later() });
    await mined(submit(id, 1n, await proveDemoBatch(circuit.name, task(id), 1, recipientWord(to), asAlice())));
  }
  const later = async () => BigInt(await networkHelpers.time.latest()) + 3600n;
  /** A withdrawal by `payee` of 10 rewards to the stranger, a fee of one reward, relayer bound, current nonce. */
  async function message(o: Partial<WithdrawMsg> = {}): Promise<WithdrawMsg> {
    const account = o.account ?? payee.address;
    return {
      token: ETH,
      account,
      to: stranger.account.address,
      amount: REWARD * 10n,
      fee: REWARD,
      relayer: relayer.account.address,
      nonce: await escrow.read.nonces([account]),
      deadline: await later(),
      ...o,
    };
  }
  const relay = (m: WithdrawMsg, sig: Hex, from = relayer) =>
    escrow.write.withdrawWithSignature([m, sig], { account: from.account });

  before(async () => {
    if (openGroup.indexOf(alice.commitment) < 0) await join(alice); // when run alone
    // A relayer of its own, whose credits start at zero (wallets 0-3 are the other tests').
    relayer = (await viem.getWalletClients())[4];
    extraAccounts.push(payee.address, tokenPayee.address, someoneElse.address, relayer.account.address);
    await token.write.mint([requester.account.address, parseEther("1")]);
    await token.write.approve([escrow.address, parseEther("1")], { account: requester.account });
    await credit(payee.address);
    await credit(tokenPayee.address, d.testToken);
    assert.equal(await publicClient.getBalance({ address: payee.address }), 0n, "the payee holds no ETH");
  });

  it("reports its EIP-712 domain (ERC-5267): name, version, chain id and this escrow", async () => {
    const [fields, name, version, chain, contract, salt, extensions] = await escrow.read.eip712Domain();
    assert.equal(fields, "0x0f");
    assert.deepEqual(
      { name, version, chainId: Number(chain), verifyingContract: contract },
      withdrawDomain(getAddress(escrow.address)),
    );
    assert.equal(salt, `0x${"00".repeat(32)}`);
    assert.deepEqual(extensions, []);
  });

  it("a relayer submits the payee's signed withdrawal: `to` gets amount - fee, the relayer is credited the fee, the nonce moves on", async () => {
    const m = await message();
    assert.equal(m.nonce, 0n);
    const sig = await signWithdraw(m, payee);
    const available = await escrow.read.credits([ETH, payee.address]);
    assert.equal(available, REWARD * 36n);
    const before = await publicClient.getBalance({ address: stranger.account.address });
    const receipt = await mined(relay(m, sig));
    gasUsed.withdrawWithSignature = receipt.gasUsed;
    assert.equal(await publicClient.getBalance({ address: stranger.account.address }), before + REWARD * 9n);
    assert.equal(await escrow.read.credits([ETH, payee.address]), available - REWARD * 10n, "the rest stays credited");
    assert.equal(await escrow.read.credits([ETH, relayer.account.address]), REWARD, "the fee, to withdraw later");
    assert.equal(await escrow.read.nonces([payee.address]), 1n);
    assert.equal(await publicClient.getBalance({ address: payee.address }), 0n, "the payee paid no gas");
    const [w] = await escrow.getEvents.Withdrawal({}, { blockHash: receipt.blockHash });
    assert.deepEqual(
      { ...w.args },
      { token: ETH, account: payee.address, to: getAddress(stranger.account.address), amount: REWARD * 9n },
    );
    const [r] = await escrow.getEvents.WithdrawalRelayed({}, { blockHash: receipt.blockHash });
    assert.deepEqual(
      { ...r.args },
      { token: ETH, account: payee.address, relayer: getAddress(relayer.account.address), nonce: 0n, fee: REWARD },
    );
    first = { m, sig };
    await assertSolvent();
  });

  it("a replayed signature reverts: as signed (InvalidNonce), and with the nonce moved on (InvalidSignature)", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(relay(first.m, first.sig), escrow, "InvalidNonce", [
      payee.address,
      1n,
      0n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      relay({ ...first.m, nonce: 1n }, first.sig),
      escrow,
      "InvalidSignature",
      [payee.address],
    );
  });

  it("a signature of another message reverts with InvalidSignature: amount, fee, destination, relayer, deadline", async () => {
    const m = await message();
    const sig = await signWithdraw(m, payee);
    const changed: Partial<WithdrawMsg>[] = [
      { amount: m.amount + 1n },
      { amount: m.amount - 1n },
      { fee: m.fee + 1n },
      { fee: 0n },
      { to: curator.account.address },
      { relayer: zeroAddress },
      { deadline: m.deadline + 1n },
    ];
    for (const c of changed) {
      await viem.assertions.revertWithCustomErrorWithArgs(relay({ ...m, ...c }, sig), escrow, "InvalidSignature", [
        payee.address,
      ]);
    }
    // The binding cannot be stripped: with relayer 0 anyone could send it, and it is not what was signed.
    await viem.assertions.revertWithCustomErrorWithArgs(
      relay({ ...m, relayer: zeroAddress }, sig, stranger),
      escrow,
      "InvalidSignature",
      [payee.address],
    );
    assert.equal(await escrow.read.nonces([payee.address]), 1n, "no nonce spent");
  });

  it("a signature from another address, or for another escrow or chain, reverts with InvalidSignature", async () => {
    const m = await message();
    const bad: Hex[] = [
      await signWithdraw(m, someoneElse),
      await signWithdraw(m, payee, withdrawDomain(d.groups)),
      await signWithdraw(m, payee, withdrawDomain(escrow.address, 1)),
      `0x${"11".repeat(65)}`,
      `0x${"00".repeat(64)}`,
    ];
    for (const sig of bad) {
      await viem.assertions.revertWithCustomErrorWithArgs(relay(m, sig), escrow, "InvalidSignature", [payee.address]);
    }
    // The same message as the payee signed it goes through: the payee's second signed withdrawal, with
    // the relayer's credit already non-zero (no fresh storage slot).
    gasUsed.withdrawWithSignatureRepeat = (await mined(relay(m, await signWithdraw(m, payee)))).gasUsed;
    assert.equal(await escrow.read.nonces([payee.address]), 2n);
    await assertSolvent();
  });

  it("expired deadline, wrong relayer, fee above the amount, amount above the credit, no destination, zero amount and a future nonce each revert with their error", async () => {
    const signed = async (o: Partial<WithdrawMsg>) => {
      const m = await message(o);
      return [m, await signWithdraw(m, payee)] as const;
    };
    const available = await escrow.read.credits([ETH, payee.address]);
    let [m, sig] = await signed({ deadline: BigInt(await networkHelpers.time.latest()) });
    await networkHelpers.time.increase(1);
    await viem.assertions.revertWithCustomError(relay(m, sig), escrow, "SignatureExpired");
    [m, sig] = await signed({});
    await viem.assertions.revertWithCustomErrorWithArgs(relay(m, sig, stranger), escrow, "WrongRelayer", [
      getAddress(relayer.account.address),
      getAddress(stranger.account.address),
    ]);
    [m, sig] = await signed({ fee: REWARD * 10n + 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(relay(m, sig), escrow, "FeeAboveAmount", [
      REWARD * 10n + 1n,
      REWARD * 10n,
    ]);
    [m, sig] = await signed({ amount: available + 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(relay(m, sig), escrow, "InsufficientCredit", [
      ETH,
      payee.address,
      available + 1n,
      available,
    ]);
    [m, sig] = await signed({ to: zeroAddress });
    await viem.assertions.revertWithCustomError(relay(m, sig), escrow, "ZeroAddress");
    [m, sig] = await signed({ amount: 0n, fee: 0n });
    await viem.assertions.revertWithCustomErrorWithArgs(relay(m, sig), escrow, "NothingToWithdraw", [
      ETH,
      payee.address,
    ]);
    const nonce = await escrow.read.nonces([payee.address]);
    [m, sig] = await signed({ nonce: nonce + 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(relay(m, sig), escrow, "InvalidNonce", [
      payee.address,
      nonce,
      nonce + 1n,
    ]);
    assert.equal(await escrow.read.credits([ETH, payee.address]), available, "nothing moved");
    await assertSolvent();
  });

  it("with relayer 0 any sender may submit, and the sender takes the fee; the whole credit can go, fee included", async () => {
    const available = await escrow.read.credits([ETH, payee.address]);
    const m = await message({ relayer: zeroAddress, amount: available, fee: available / 4n });
    const feeBefore = await escrow.read.credits([ETH, stranger.account.address]);
    await mined(relay(m, await signWithdraw(m, payee), stranger));
    assert.equal(await escrow.read.credits([ETH, stranger.account.address]), feeBefore + available / 4n);
    assert.equal(await escrow.read.credits([ETH, payee.address]), 0n);
    await assertSolvent();
  });

  it("a token withdrawal pays the token, and the relayer's fee is a token credit", async () => {
    const available = await escrow.read.credits([d.testToken, tokenPayee.address]);
    const m = await message({ token: d.testToken, account: tokenPayee.address, amount: available, fee: REWARD });
    const before = await token.read.balanceOf([stranger.account.address]);
    const receipt = await mined(relay(m, await signWithdraw(m, tokenPayee)));
    gasUsed.withdrawWithSignatureToken = receipt.gasUsed;
    assert.equal(await token.read.balanceOf([stranger.account.address]), before + available - REWARD);
    assert.equal(await escrow.read.credits([d.testToken, relayer.account.address]), REWARD);
    assert.equal(await escrow.read.credits([d.testToken, tokenPayee.address]), 0n);
    // The relayer withdraws its fees like any credit.
    await mined(escrow.write.withdraw([d.testToken, relayer.account.address], { account: relayer.account }));
    await assertSolvent();
  });

  it("a contract account (ERC-1271) withdraws with what its isValidSignature accepts", async () => {
    const wallet = await viem.deployContract("SigningWallet", [someoneElse.address]);
    extraAccounts.push(wallet.address);
    await credit(wallet.address);
    const m = await message({ account: wallet.address });
    const digest = hashTypedData({
      domain: withdrawDomain(),
      types: WITHDRAW_TYPES,
      primaryType: "Withdraw",
      message: m,
    });
    await viem.assertions.revertWithCustomErrorWithArgs(
      relay(m, await payee.sign({ hash: digest })),
      escrow,
      "InvalidSignature",
      [getAddress(wallet.address)],
    );
    await mined(relay(m, await someoneElse.sign({ hash: digest })));
    assert.equal(await escrow.read.credits([ETH, wallet.address]), REWARD * 26n);
    assert.equal(await escrow.read.nonces([wallet.address]), 1n);
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: the emergency pause (issue 17)", () => {
  const later = async () => BigInt(await networkHelpers.time.latest()) + 7200n;
  const owner = requester; // the deployer owns the registry
  const paused = async (call: Promise<unknown>) =>
    viem.assertions.revertWithCustomErrorWithArgs(call, escrow, "EscrowPaused", []);

  it("only the owner pauses; it halts new tasks, top-ups and both submit paths, and resumes", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.setPaused([true], { account: stranger.account }),
      escrow,
      "OwnableUnauthorizedAccount",
      [getAddress(stranger.account.address)],
    );
    const id = await newTask({ deadline: await later() });
    const p0 = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    const on = await mined(escrow.write.setPaused([true], { account: owner.account }));
    const [e] = await escrow.getEvents.PauseSet({ blockHash: on.blockHash });
    assert.equal(e.args.paused, true);
    assert.equal(await escrow.read.paused(), true);
    await paused(createTask({ deadline: await later() }));
    await paused(escrow.write.topUp([id, 1n], { account: requester.account, value: 1n }));
    await paused(submit(id, 0n, p0));
    await paused(
      escrow.write.submitBatches([id, [0n], [p0.proof as never], p0.publicSignals], { account: stranger.account }),
    );
    await mined(escrow.write.setPaused([false], { account: owner.account }));
    await mined(submit(id, 0n, p0));
    assert.equal(await escrow.read.isBatchAccepted([id, 0n]), true, "the same proof goes through once resumed");
    await assertSolvent();
  });

  it("while paused, everything that settles or moves money out works: finalize, withdraw, signed withdraw, cancel, refund", async () => {
    const payee = payeeKey("paused payee");
    extraAccounts.push(payee.address);
    // A pending batch (gold task), a verified one credited to the payee, and a task to cancel and refund.
    const gold = await newTask({ goldRoot: GOLD_ROOT, deadline: await later() });
    await mined(submit(gold, 1n, await proveDemoBatch(circuit.name, task(gold, GOLD_ROOT), 1, toWorker(), asAlice())));
    const paid = await newTask({ deadline: await later() });
    await mined(
      submit(paid, 1n, await proveDemoBatch(circuit.name, task(paid), 1, recipientWord(payee.address), asAlice())),
    );
    const exit = await newTask({ deadline: await later() });
    await mined(escrow.write.setPaused([true], { account: owner.account }));

    const credit = await escrow.read.credits([ETH, worker.account.address]);
    await viem.assertions.balancesHaveChanged(
      escrow.write.withdraw([ETH, stranger.account.address], { account: worker.account }),
      [{ address: escrow.address, amount: -credit }],
    );
    assert.equal(await escrow.read.credits([ETH, worker.account.address]), 0n, "withdraw works while paused");

    const m: WithdrawMsg = {
      token: ETH,
      account: payee.address,
      to: stranger.account.address,
      amount: REWARD * 36n,
      fee: 0n,
      relayer: zeroAddress,
      nonce: await escrow.read.nonces([payee.address]),
      deadline: await later(),
    };
    await mined(escrow.write.withdrawWithSignature([m, await signWithdraw(m, payee)], { account: curator.account }));
    assert.equal(await escrow.read.credits([ETH, payee.address]), 0n, "a signed withdrawal works while paused");

    await networkHelpers.time.increase(WINDOW);
    await mined(escrow.write.finalize([gold, [1n]], { account: stranger.account }));
    assert.equal(await escrow.read.isBatchAccepted([gold, 1n]), true, "finalize works while paused");

    const c = await mined(escrow.write.cancel([exit], { account: requester.account }));
    const [cancelled] = await escrow.getEvents.TaskCancelled({ taskId: exit }, { blockHash: c.blockHash });
    await networkHelpers.time.increaseTo(cancelled.args.closesAt! + 1n);
    await viem.assertions.balancesHaveChanged(escrow.write.refund([exit], { account: requester.account }), [
      { address: escrow.address, amount: -REWARD * BigInt(ITEMS) },
    ]);
    await mined(escrow.write.setPaused([false], { account: owner.account }));
    await assertSolvent();
  });
});

describe("ZkLabelEscrow: task creation is validated", () => {
  it("funding, rule, parameters, gold settings, deadline, encryption key, token", async () => {
    const max = REWARD * 100n;
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ value: 1n }), escrow, "WrongEthAmount", [max, 1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ funding: max + 1n }), escrow, "InvalidFunding", [
      max + 1n,
      max,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ funding: 0n }), escrow, "InvalidFunding", [
      0n,
      max,
    ]);
    // The deploy path registers every rule module (ids 1-5); an id without a verifier is refused.
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ ruleId: 99 }), escrow, "RuleNotSupported", [99]);
    // A slot must be a field element, so the vector means in the circuit what the task shows; what
    // else it may hold is the rule's (decision 40): its circuit and both clients refuse the rest.
    for (const slot of [0, 1, 2, 3]) {
      const params = [4n, 1n, 0n, 0n];
      params[slot] = SNARK_SCALAR_FIELD + BigInt(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        createTask({ ruleParams: params }),
        escrow,
        "InvalidRuleParams",
        [1, BigInt(slot), params[slot]],
      );
    }
    await viem.assertions.revertWithCustomError(
      createTask({ goldRoot: 5n, challengeWindow: 0 }),
      escrow,
      "InvalidGoldSettings",
    );
    await viem.assertions.revertWithCustomError(createTask({ challengeWindow: 60 }), escrow, "InvalidGoldSettings");
    await viem.assertions.revertWithCustomError(
      createTask({ goldRoot: 5n, minAccuracy: 101 }),
      escrow,
      "InvalidGoldSettings",
    );
    await viem.assertions.revertWithCustomError(createTask({ deadline: 1n }), escrow, "DeadlineInPast");
    await viem.assertions.revertWithCustomError(createTask({ itemCount: 0 }), escrow, "EmptyDataset");
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ itemCount: 2 ** 20 + 1, funding: 1n }),
      escrow,
      "DatasetTooLarge",
      [BigInt(2 ** 20 + 1), BigInt(2 ** 20)],
    );
    await viem.assertions.revertWithCustomError(createTask({ reward: 0n }), escrow, "ZeroReward");
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
    const fot = await viem.deployContract("FeeOnTransferToken");
    await fot.write.mint([requester.account.address, max]);
    await fot.write.approve([escrow.address, max], { account: requester.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ token: fot.address }),
      escrow,
      "UnsupportedToken",
      [fot.address, max, max - max / 100n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ token: stranger.account.address }),
      escrow,
      "UnsupportedToken",
      [getAddress(stranger.account.address), 0n, 0n],
    );
  });

  it("only the owner schedules a rule's verifier, it takes effect after the delay, and a funded task keeps the one it was created with", async () => {
    const id = taskIds[0];
    const before = (await escrow.read.getTask([id])).rule;
    const rule = {
      verifier: getAddress(d.groups), // any contract: the registry only checks shape
      batchSize: 32,
      datasetDepth: 20,
      publicInputCount: 13,
      batchVerifier: zeroAddress,
      rejectVerifier: zeroAddress,
    };
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.setRuleVerifier([1, rule], { account: stranger.account }),
      escrow,
      "OwnableUnauthorizedAccount",
      [getAddress(stranger.account.address)],
    );
    const scheduled = await mined(escrow.write.setRuleVerifier([1, rule], { account: requester.account }));
    const at = BigInt((await publicClient.getBlock({ blockHash: scheduled.blockHash })).timestamp) + RULE_CHANGE_DELAY;
    const [e] = await escrow.getEvents.RuleVerifierScheduled({}, { blockHash: scheduled.blockHash });
    assert.equal(e.args.effectiveAt, at);
    assert.deepEqual(await escrow.read.ruleVerifier([1]), before, "nothing changes before the delay");
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.applyRuleVerifier([1]),
      escrow,
      "RuleChangeNotDue",
      [1, at],
    );
    await viem.assertions.emit(
      escrow.write.cancelRuleVerifierChange([1], { account: requester.account }),
      escrow,
      "RuleVerifierChangeCancelled",
    );
    await viem.assertions.revertWithCustomError(escrow.write.applyRuleVerifier([1]), escrow, "NoRuleChangeScheduled");
    await swapRule(1, rule);
    assert.deepEqual(await escrow.read.ruleVerifier([1]), rule);
    assert.deepEqual((await escrow.read.getTask([id])).rule, before);
    await swapRule(1, { ...before });
    for (const bad of [
      { ...rule, verifier: getAddress(stranger.account.address) }, // no code
      { ...rule, batchSize: 48 }, // not a power of two
      { ...rule, datasetDepth: 4 }, // tree smaller than a batch
      { ...rule, publicInputCount: 9 }, // no ciphertext
      { ...rule, batchVerifier: getAddress(stranger.account.address) }, // batch verifier without code
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.setRuleVerifier([1, bad], { account: requester.account }),
        escrow,
        "InvalidRuleVerifier",
        [1],
      );
    }
  });

  it("any rule id but 0 can be registered: a new rule needs no change to the escrow, and its tasks bind its id", async () => {
    const entry = await escrow.read.ruleVerifier([1]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.setRuleVerifier([0, entry], { account: requester.account }),
      escrow,
      "RuleNotSupported",
      [0],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(createTask({ ruleId: 7 }), escrow, "RuleNotSupported", [7]);
    // A first entry takes effect at once: no task can have used the id before.
    await viem.assertions.emit(
      escrow.write.setRuleVerifier([7, entry], { account: requester.account }),
      escrow,
      "RuleVerifierSet",
    );
    // The escrow reads no slot by rule: these would be refused by rule 1's module, not by the escrow.
    await newTask({ ruleId: 7, ruleParams: [5n, 9n, 11n, 13n] });
    const id = await newTask({ ruleId: 7 });
    const t = await escrow.read.getTask([id]);
    assert.equal(t.ruleId, 7);
    assert.deepEqual(t.rule, entry);
    // Rule 7's tasks hash their parameters under id 7, so a proof made by rule 1's circuit (which
    // hashes under its own constant id) cannot serve them even with the same verifier.
    const proof = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    await viem.assertions.revertWithCustomError(submit(id, 0n, proof), escrow, "WrongTask");
  });

  it("ownership moves in two steps: the new owner must accept, and the old one keeps it until then", async () => {
    await mined(escrow.write.transferOwnership([curator.account.address], { account: requester.account }));
    assert.equal(await escrow.read.owner(), getAddress(requester.account.address), "not moved yet");
    assert.equal(await escrow.read.pendingOwner(), getAddress(curator.account.address));
    await viem.assertions.revertWithCustomError(
      escrow.write.acceptOwnership({ account: stranger.account }),
      escrow,
      "OwnableUnauthorizedAccount",
    );
    await mined(escrow.write.acceptOwnership({ account: curator.account }));
    assert.equal(await escrow.read.owner(), getAddress(curator.account.address));
    await mined(escrow.write.transferOwnership([requester.account.address], { account: curator.account }));
    await mined(escrow.write.acceptOwnership({ account: requester.account }));
    assert.equal(await escrow.read.owner(), getAddress(requester.account.address));
  });

  it("refuses unknown tasks everywhere", async () => {
    const none = 999n;
    const noProof = Array(8).fill(0n) as never;
    for (const call of [
      escrow.write.submitBatch([none, 0n, noProof, []]),
      escrow.write.finalize([none, [0n]]),
      escrow.write.topUp([none, 1n], { value: 1n }),
      escrow.write.cancel([none]),
      escrow.write.refund([none]),
      escrow.write.complete([none]),
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(call, escrow, "TaskNotFound", [none]);
    }
  });
});

describe("ZkLabelEscrow: the people who hold power, and front-runners (issue 12)", () => {
  const later = async () => BigInt(await networkHelpers.time.latest()) + 86400n * 10n;
  /** Sends the calls without mining, then mines them in one block (ordered by tip, as a block builder would). */
  async function inOneBlock(send: () => Promise<`0x${string}`[]>) {
    await publicClient.request({ method: "evm_setAutomine", params: [false] } as never);
    let hashes: `0x${string}`[];
    try {
      hashes = await send();
      await networkHelpers.mine();
    } finally {
      await publicClient.request({ method: "evm_setAutomine", params: [true] } as never);
    }
    return Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash })));
  }
  const outbid = async (hash: `0x${string}`) => {
    const tx = await publicClient.getTransaction({ hash });
    return {
      maxPriorityFeePerGas: (tx.maxPriorityFeePerGas ?? 1n) * 10n + 1n,
      maxFeePerGas: (tx.maxFeePerGas ?? 1n) * 10n + 1n,
    };
  };

  it("a cancel the requester slips in front of a worker's pending submission does not beat it: the batch is accepted and paid", async () => {
    const id = await newTask({ deadline: await later() });
    const p = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    const before = await escrow.read.credits([ETH, worker.account.address]);
    const [submitted, cancelled] = await inOneBlock(async () => {
      const s = await submit(id, 0n, p, worker);
      // The requester reads the ciphertext from the pending transaction and outbids it with a cancel.
      const c = await escrow.write.cancel([id], { account: requester.account, gas: 200_000n, ...(await outbid(s)) });
      return [s, c];
    });
    assert.equal(cancelled.status, "success");
    assert.ok(cancelled.transactionIndex < submitted.transactionIndex, "the cancel was mined first");
    assert.equal(submitted.status, "success", "the submission in flight is still accepted");
    assert.equal((await escrow.read.credits([ETH, worker.account.address])) - before, REWARD * 64n, "and paid");
    await assertSolvent();
  });

  it("a registry owner who front-runs createTask with an always-yes verifier gains nothing; a registry that did change makes createTask revert", async () => {
    const honest = expectedRuleEntry(d, 1);
    const evil = await viem.deployContract("AlwaysTrueVerifier");
    const forgedEntry = { ...honest, verifier: evil.address, batchVerifier: evil.address };
    // The registry's owner is another account than the requester here.
    await mined(escrow.write.transferOwnership([curator.account.address], { account: requester.account }));
    await mined(escrow.write.acceptOwnership({ account: curator.account }));
    const [created, scheduled] = await inOneBlock(async () => {
      const c = await createTask({ expectedRule: honest, deadline: await later() });
      const o = await escrow.write.setRuleVerifier([1, forgedEntry], {
        account: curator.account,
        gas: 300_000n,
        ...(await outbid(c)),
      });
      return [c, o];
    });
    await mined(escrow.write.transferOwnership([requester.account.address], { account: curator.account }));
    await mined(escrow.write.acceptOwnership({ account: requester.account }));
    assert.equal(scheduled.status, "success");
    assert.ok(scheduled.transactionIndex < created.transactionIndex, "the owner's call was mined first");
    assert.equal(created.status, "success");
    const id = await escrow.read.taskCount();
    taskIds.push(id);
    assert.equal(
      (await escrow.read.getTask([id])).rule.verifier,
      getAddress(honest.verifier),
      "the task has the honest verifier",
    );
    // A forged proof (any words) for the task is refused: its verifier is still the real one.
    const real = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    await viem.assertions.revertWithCustomError(
      submit(id, 0n, { proof: Array(8).fill(1n), publicSignals: real.publicSignals }),
      escrow,
      "InvalidProof",
    );
    // Once the swap is due and applied, a requester who was shown the deployment's verifier cannot post.
    await networkHelpers.time.increase(RULE_CHANGE_DELAY);
    await mined(escrow.write.applyRuleVerifier([1], { account: stranger.account }));
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ expectedRule: honest }),
      escrow,
      "RuleVerifierMismatch",
      [1, evil.address, getAddress(honest.verifier)],
    );
    await swapRule(1, honest);
  });

  it("a proof copied out of a pending submitBatches and sent alone first is skipped; the other batches go through", async () => {
    const items = 3 * N;
    const id = await newTask({ itemCount: items, deadline: await later() });
    const fee = 200;
    const proofs: Proven[] = [];
    for (let b = 0; b < 3; b++) {
      proofs.push(
        await proveDemoBatch(circuit.name, task(id), b, recipientWord(worker.account.address, fee), asAlice(), {
          n: items,
        }),
      );
    }
    const relayerBefore = await escrow.read.credits([ETH, curator.account.address]);
    const [batched, copied] = await inOneBlock(async () => {
      const r = await escrow.write.submitBatches(
        [id, [0n, 1n, 2n], proofs.map((p) => p.proof) as never, proofs.flatMap((p) => p.publicSignals)],
        { account: curator.account, gas: 3_000_000n },
      );
      const c = await escrow.write.submitBatch([id, 1n, proofs[1].proof as never, proofs[1].publicSignals], {
        account: stranger.account,
        gas: 1_000_000n,
        ...(await outbid(r)),
      });
      return [r, c];
    });
    assert.ok(copied.transactionIndex < batched.transactionIndex, "the copy was mined first");
    assert.equal(copied.status, "success");
    assert.equal(batched.status, "success", "the relayer's call did not revert");
    const skipped = await escrow.getEvents.BatchSkipped({ taskId: id }, { blockHash: batched.blockHash });
    assert.deepEqual(
      skipped.map((e) => e.args.batchIndex),
      [1n],
    );
    for (let b = 0n; b < 3n; b++) assert.equal(await escrow.read.isBatchAccepted([id, b]), true);
    const reward = REWARD * BigInt(N);
    assert.equal(
      (await escrow.read.credits([ETH, curator.account.address])) - relayerBefore,
      2n * ((reward * BigInt(fee)) / 10_000n),
      "the relayer earns the fees of the batches it landed",
    );
    await assertSolvent();
  });

  it("topUp is capped by what can still be paid, not by what was ever funded", async () => {
    const id = await newTask({ funding: REWARD * 40n, deadline: await later() });
    await mined(submit(id, 1n, await proveDemoBatch(circuit.name, task(id), 1, toWorker(), asAlice()))); // 36 items paid
    // 64 items are left and the task holds 4 items' reward: 60 more can ever be claimed.
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.topUp([id, REWARD * 60n + 1n], { account: requester.account, value: REWARD * 60n + 1n }),
      escrow,
      "InvalidFunding",
      [REWARD * 60n + 1n, REWARD * 60n],
    );
    await mined(escrow.write.topUp([id, REWARD * 60n], { account: requester.account, value: REWARD * 60n }));
    await mined(submit(id, 0n, await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice())));
    const t = await escrow.read.getTask([id]);
    assert.equal(t.balance, 0n, "every unit funded was claimable and was paid");
    assert.equal(t.acceptedItems, 100);
    await viem.assertions.revertWithCustomErrorWithArgs(
      escrow.write.topUp([id, 1n], { account: requester.account, value: 1n }),
      escrow,
      "InvalidFunding",
      [1n, 0n],
    );
    await assertSolvent();
  });

  it("a requester key with a small-order part is refused (order 2 and order 8), and so is a pkRDiv8 that does not triple-double to the key", async () => {
    const p = SNARK_SCALAR_FIELD;
    const [x, y] = DEMO_REQUESTER_KEY.pkR;
    // The full curve group's generator: 8 * G = Base8, and l * G has order 8.
    const G: [bigint, bigint] = [
      995203441582195749578291179787384436505546430278305826713579947235728471134n,
      5472060717959818805561601436314318772137091100104008585924551046643952123905n,
    ];
    assert.ok(inCurve(G));
    assert.deepEqual(mulPointEscalar(G, 8n), Base8);
    const t8 = mulPointEscalar(G, subOrder);
    assert.notDeepEqual(mulPointEscalar(t8, 4n), [0n, 1n], "t8 has order 8");
    const keys: [string, readonly [bigint, bigint]][] = [
      ["skR * Base8 + (0, -1), order-2 part", [p - x, p - y]],
      ["skR * Base8 + T8, order-8 part", addPoint([x, y], t8) as [bigint, bigint]],
    ];
    for (const [what, pkR] of keys) {
      assert.ok(inCurve(pkR as [bigint, bigint]), `${what} is on the curve`);
      // Whatever point is offered as pkR / 8, its triple doubling lies in the prime-order subgroup.
      for (const q of [DEMO_REQUESTER_KEY.pkRDiv8, pkR, mulPointEscalar(pkR as [bigint, bigint], 4n)]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          createTask({ pkR, pkRDiv8: q as readonly [bigint, bigint] }),
          escrow,
          "InvalidEncryptionKey",
          [pkR[0], pkR[1]],
        );
      }
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ pkRDiv8: [Base8[0], Base8[1]] }),
      escrow,
      "InvalidEncryptionKey",
      [x, y],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      createTask({ pkRDiv8: [1n, 2n] }), // off the curve
      escrow,
      "InvalidEncryptionKey",
      [x, y],
    );
  });

  it("the development verifiers' runtime code copied onto another chain refuses to verify", async () => {
    const id = await newTask({ deadline: await later() });
    const p = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    const verifier = await viem.getContractAt("ClassificationWorkerN64D20G20Verifier", d.verifier);
    const batchVerifier = await viem.getContractAt("ClassificationWorkerN64D20G20BatchVerifier", d.batchVerifier);
    const w = p.proof;
    const args = [
      [w[0], w[1]],
      [
        [w[2], w[3]],
        [w[4], w[5]],
      ],
      [w[6], w[7]],
      p.publicSignals,
    ] as never;
    assert.equal(await verifier.read.verifyProof(args), true, "the proof verifies on the local chain");
    assert.equal(await batchVerifier.read.verifyBatch([[w] as never, p.publicSignals]), true);
    const { viem: elsewhere } = await network.create({ override: { chainId: 1 } });
    const other = await elsewhere.getPublicClient();
    for (const address of [d.verifier, d.batchVerifier]) {
      const code = await publicClient.getCode({ address: address as Address });
      await other.request({ method: "hardhat_setCode", params: [address, code] } as never);
    }
    const copied = await elsewhere.getContractAt("ClassificationWorkerN64D20G20Verifier", d.verifier);
    await assert.rejects(copied.read.verifyProof(args), /InsecureDevelopmentVerifier/);
    const copiedBatch = await elsewhere.getContractAt("ClassificationWorkerN64D20G20BatchVerifier", d.batchVerifier);
    await assert.rejects(copiedBatch.read.verifyBatch([[w] as never, p.publicSignals]), /InsecureDevelopmentVerifier/);
  });

  it("a full open group rolls over: members of the full generation keep proving, newcomers prove in the next one", async () => {
    // A system whose trees hold 2 members, so the open group fills up after two joins.
    const small = await deployZkLabel(connection, { groupDepth: 1 });
    const e2 = await viem.getContractAt("ZkLabelEscrow", small.escrow);
    const g2 = await viem.getContractAt("WorkerGroups", small.groups);
    const carol = new Identity("escrow test carol (second generation)");
    for (const id of [alice, bob]) await mined(g2.write.joinOpenGroup([id.commitment], { account: worker.account }));
    const full = workerGroup([alice.commitment, bob.commitment]);
    assert.equal(await g2.read.groupRoot([0n]), full.root);
    const joined = await mined(g2.write.joinOpenGroup([carol.commitment], { account: stranger.account }));
    const [rolled] = await g2.getEvents.OpenGroupRolledOver({ blockHash: joined.blockHash });
    assert.equal(rolled.args.generation, 1n);
    assert.equal(rolled.args.previousRoot, full.root);
    const next = workerGroup([carol.commitment]);
    assert.equal(await g2.read.groupRoot([0n]), next.root);
    assert.equal(await g2.read.openGeneration(), 1n);
    await networkHelpers.time.increase(ROOT_GRACE_PERIOD * 2n);
    assert.equal(await g2.read.isValidRoot([0n, full.root]), true, "a full generation's root stays valid for good");
    const params = await taskArgs({ deadline: await later() });
    await mined(e2.write.createTask([params, expectedRuleEntry(small, 1)], { value: params.funding }));
    const t2 = { taskId: 1n, chainId, contract: BigInt(e2.address), goldRoot: 0n };
    const fromFull = await proveDemoBatch(circuit.name, t2, 0, toWorker(), { identity: alice, group: full });
    const fromNext = await proveDemoBatch(circuit.name, t2, 1, toWorker(), { identity: carol, group: next });
    await mined(e2.write.submitBatch([1n, 0n, fromFull.proof as never, fromFull.publicSignals]));
    await mined(e2.write.submitBatch([1n, 1n, fromNext.proof as never, fromNext.publicSignals]));
    assert.equal(await e2.read.isBatchAccepted([1n, 0n]), true);
    assert.equal(await e2.read.isBatchAccepted([1n, 1n]), true);
    // A curated group refuses members past the circuits' depth instead of locking everyone out.
    await mined(g2.write.createGroup({ account: curator.account }));
    await mined(g2.write.addMember([1n, alice.commitment], { account: curator.account }));
    await mined(g2.write.addMember([1n, bob.commitment], { account: curator.account }));
    await viem.assertions.revertWithCustomErrorWithArgs(
      g2.write.addMember([1n, carol.commitment], { account: curator.account }),
      g2,
      "GroupFull",
      [1n, 2n],
    );
  });

  it("refuses an input outside the field at every position, on both submit paths", async () => {
    const id = await newTask({ deadline: await later() });
    const p = await proveDemoBatch(circuit.name, task(id), 0, toWorker(), asAlice());
    for (let i = 0; i < p.publicSignals.length; i++) {
      const wrapped = [...p.publicSignals];
      wrapped[i] += SNARK_SCALAR_FIELD;
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(id, 0n, { proof: p.proof, publicSignals: wrapped }),
        escrow,
        "NotInField",
        [wrapped[i]],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.submitBatches([id, [0n], [p.proof] as never, wrapped]),
        escrow,
        "NotInField",
        [wrapped[i]],
      );
    }
    await mined(submit(id, 0n, p));
  });
});

describe("deploy", () => {
  it("refuses to put the INSECURE development verifier on any chain but the local one", async () => {
    const mainnet = await network.create({ override: { chainId: 1 } });
    const { viem: mainnetLike } = mainnet;
    const before = await (await mainnetLike.getPublicClient()).getBlockNumber();
    await assert.rejects(
      deployZkLabel(mainnet),
      /refusing to deploy to chain 1: the .* verifier is built from INSECURE/,
    );
    assert.equal(
      await (await mainnetLike.getPublicClient()).getBlockNumber(),
      before,
      "refused before any transaction",
    );
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
