/**
 * The aggregated verification layer (issue 17, point 4; docs/verification-layers.md): proofs verified off
 * the EVM and aggregated, the chain checking that a proof's statement is in an aggregation receipt.
 *
 * zkVerify cannot be reached from here, so its part is played by our own receipt contract
 * (ZkVerifyAggregationReceipts, zkVerify's interface and Merkle semantics) with the operator role held by
 * this test, and by the SDK's LocalAggregator, which checks each real proof with snarkjs before it
 * aggregates it. AggregatedGroth16Verifier replaces rule 1's snarkjs verifier in the registry (through the
 * delayed replacement the registry requires); the escrow is unchanged. Real classification proofs, real
 * contracts on the in-process chain; the solvency invariant after each scenario.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { recipientWord } from "@zklabel/core/batch";
import { DEMO_PARAMS } from "@zklabel/core/demo";
import { errorCode } from "@zklabel/core/errors";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { deployedCircuit } from "@zklabel/core/registry";
import { RULES } from "@zklabel/core/rules";
import { classificationRuleParams } from "@zklabel/core/rules/classification";
import {
  aggregatedVerifierAbi,
  aggregationPath,
  aggregationRoot,
  groth16Statement,
  groth16VkHash,
  inclusionArg,
  LocalAggregator,
  zkVerifyReceiptsAbi,
} from "@zklabel/sdk/aggregation";
import { network } from "hardhat";
import {
  type Address,
  getAddress,
  type Hex,
  keccak256,
  parseEther,
  toFunctionSelector,
  toHex,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deployZkLabel, RULE_CHANGE_DELAY } from "../../scripts/lib/deploy.ts";
import { DEMO_REQUESTER_KEY, demoDataset, proveDemoBatch, ROOT, releaseSnarkjs } from "../helpers/classification.ts";
import { checkGasSnapshot } from "../helpers/gas.ts";

const connection = await network.create();
const { viem, networkHelpers } = connection;
const publicClient = await viem.getPublicClient();
const [owner, worker, stranger, operator, relayer] = await viem.getWalletClients();
const chainId = BigInt(await publicClient.getChainId());
const gasUsed: Record<string, bigint> = {};

/** The deploy path (its Ignition module) on this test's in-process chain. */
const deployStack = () => deployZkLabel(connection);

const ETH = zeroAddress;
const REWARD = parseEther("0.001");
/** zkVerify's domain id of Base (mainnet); any id works locally, the adapter accepts only its own. */
const DOMAIN = 2n;
const IN = { taskHash: 0, groupRoot: 1, nullifier: 2, batchIndex: 3, count: 4, recipient: 5 } as const;
const circuit = deployedCircuit("classification");
const N = circuit.params.N;

const d = await deployStack();
const escrow = await viem.getContractAt("ZkLabelEscrow", d.escrow);
const groups = await viem.getContractAt("WorkerGroups", d.groups);
const classification = d.rules.find((r) => r.circuit === circuit.name);
if (!classification) throw new Error(`the deployment has no rule with ${circuit.name}`);
const vkeyOf = async (name: string) =>
  JSON.parse(await readFile(join(ROOT, "build/circuits", name, "vkey.json"), "utf8")) as { nPublic: number };
const vkey = await vkeyOf(circuit.name);
const vkHash = groth16VkHash(vkey);
const K = classification.publicInputCount;

// The deployer (owner) is the receipt contract's admin; the operator account posts roots.
const receipts = await viem.deployContract("ZkVerifyAggregationReceipts", [operator.account.address]);
const adapter = await viem.deployContract("AggregatedGroth16Verifier", [
  classification.verifier,
  receipts.address,
  DOMAIN,
  vkHash,
  BigInt(K),
]);
const aggregator = new LocalAggregator({
  vkey,
  domainId: DOMAIN,
  receipts: receipts.address,
  operator: operator as never,
  publicClient: publicClient as never,
});

const alice = new Identity("aggregation test alice");
const openGroup = workerGroup();
const taskIds: bigint[] = [];
/** Accounts that may hold credits, for the solvency sum. */
const accounts: Address[] = [owner, worker, stranger, operator, relayer].map((w) => w.account.address);
accounts.push(adapter.address);

type Proven = Awaited<ReturnType<typeof proveDemoBatch>>;
type Inclusion = { aggregationId: bigint; merklePath: Hex[]; leafCount: bigint; index: bigint };

const mined = async (hash: Promise<Hex>) => publicClient.waitForTransactionReceipt({ hash: await hash });
/** A fresh payee address (no credit yet: its first credit writes a new storage slot, as in the gas snapshot). */
const payee = (name: string) => {
  const a = privateKeyToAccount(keccak256(toHex(`aggregation test payee ${name}`))).address;
  accounts.push(a);
  return a;
};
/** A field element derived from a tag (synthetic statements: the values no check reads). */
const fe = (tag: string) => BigInt(keccak256(toHex(tag))) % SNARK_SCALAR_FIELD;

async function newTask(o: { ruleId?: number; itemCount?: number; goldRoot?: bigint; deadline?: bigint } = {}) {
  const ruleId = o.ruleId ?? 1;
  const itemCount = o.itemCount ?? 100;
  const gold = o.goldRoot ?? 0n;
  const args = {
    token: ETH,
    ruleId,
    ruleParams: classificationRuleParams(DEMO_PARAMS) as unknown as readonly [bigint, bigint, bigint, bigint],
    datasetRoot: demoDataset(circuit, itemCount).tree.root,
    itemCount,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    goldRoot: gold,
    minAccuracy: gold ? 80 : 0,
    goldThreshold: 0,
    challengeWindow: gold ? 600 : 0,
    workerGroupId: 0n,
    rewardPerItem: REWARD,
    deadline: o.deadline ?? BigInt(await networkHelpers.time.latest()) + 86400n,
    funding: REWARD * BigInt(itemCount),
    metadataURI: "ipfs://aggregation-test",
    metadataHash: `0x${"cd".repeat(32)}` as const,
  };
  const expected = await escrow.read.ruleVerifier([ruleId]);
  await mined(escrow.write.createTask([args, expected], { value: args.funding, account: owner.account }));
  const id = await escrow.read.taskCount();
  taskIds.push(id);
  return id;
}

const task = (id: bigint, goldRoot = 0n) => ({ taskId: id, chainId, contract: BigInt(escrow.address), goldRoot });
const prove = (id: bigint, b: number, recipient: bigint, n = 100) =>
  proveDemoBatch(circuit.name, task(id), b, recipient, { identity: alice, group: openGroup }, { n });
const submitAggregated = (id: bigint, b: bigint, inputs: readonly bigint[], inc: Inclusion, from = relayer) =>
  adapter.write.submitBatchAggregated([escrow.address, id, b, [...inputs], inclusionArg(inc)], {
    account: from.account,
  });
const submitDirect = (id: bigint, b: bigint, p: { proof: readonly bigint[]; publicSignals: readonly bigint[] }) =>
  escrow.write.submitBatch([id, b, p.proof as never, [...p.publicSignals]], { account: relayer.account });
const NO_PROOF = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n] as const;

/** The operator posts a root of its own making (what zkVerify's relayer does after each aggregation). */
async function post(statements: readonly Hex[], aggregationId: bigint, domainId = DOMAIN) {
  return mined(
    receipts.write.submitAggregation([domainId, aggregationId, aggregationRoot(statements)], {
      account: operator.account,
    }),
  );
}
const inclusion = (statements: readonly Hex[], i: number, aggregationId: bigint): Inclusion => {
  const p = aggregationPath(statements, i);
  return { aggregationId, merklePath: p.merklePath, leafCount: BigInt(p.leafCount), index: BigInt(p.index) };
};

/**
 * Public inputs that pass every check of the escrow for batch `b` of task `id` (task hash, current group
 * root, batch index, count, recipient word), with arbitrary field elements where nothing is checked: a
 * statement no proof exists for. Only an operator that posts it can make it count.
 */
async function synthetic(id: bigint, b: bigint, k: number, recipient: bigint, tag: string): Promise<bigint[]> {
  const t = await escrow.read.getTask([id]);
  const n = BigInt(t.rule.batchSize);
  const batches = (BigInt(t.itemCount) + n - 1n) / n;
  const xs = Array.from({ length: k }, (_, i) => fe(`${tag} ${i}`));
  xs[IN.taskHash] = t.taskHash;
  xs[IN.groupRoot] = await groups.read.groupRoot([t.workerGroupId]);
  xs[IN.batchIndex] = b;
  xs[IN.count] = b + 1n < batches ? n : BigInt(t.itemCount) - b * n;
  xs[IN.recipient] = recipient;
  return xs;
}

/** Per token: the escrow holds exactly the task balances + reservations + unwithdrawn credits. */
async function assertSolvent() {
  let owed = 0n;
  for (const id of taskIds) {
    const t = await escrow.read.getTask([id]);
    owed += t.balance + t.reserved;
  }
  for (const a of new Set(accounts)) owed += await escrow.read.credits([ETH, a]);
  assert.equal(
    await publicClient.getBalance({ address: escrow.address }),
    owed,
    "ETH held = balances + reservations + credits",
  );
  assert.equal(await escrow.read.credits([ETH, adapter.address]), 0n, "the adapter keeps no credit");
}

after(async () => {
  await releaseSnarkjs();
  await checkGasSnapshot(gasUsed);
});

describe("ZkVerifyAggregationReceipts: zkVerify's receipt contract, for local use", () => {
  // zkVerify/zkv-attestation-contracts test/zkVerifyAggregation.test.js: statements 1..7.
  const SEVEN = Array.from({ length: 7 }, (_, i) => toHex(i + 1, { size: 32 }));
  const SEVEN_ROOT = "0xd2297c32eeb9a5378d85368ed029315498d1b40d9b03e9ad93bee97a382b47c8";

  it("has zkVerify's OPERATOR role; only its holders post roots (AccessControl), and the admin can grant it", async () => {
    assert.equal(await receipts.read.OPERATOR(), "0x523a704056dcd17bcf83bed8b68c59416dac1119be77755efe3bde0a64e46e0c");
    const role = await receipts.read.OPERATOR();
    assert.equal(await receipts.read.hasRole([role, operator.account.address]), true);
    for (const who of [owner, stranger]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        receipts.write.submitAggregation([DOMAIN, 1n, SEVEN_ROOT], { account: who.account }),
        receipts,
        "AccessControlUnauthorizedAccount",
        [getAddress(who.account.address), role],
      );
      await viem.assertions.revertWithCustomError(
        receipts.write.submitAggregationBatchByDomainId([DOMAIN, [1n], [SEVEN_ROOT]], { account: who.account }),
        receipts,
        "AccessControlUnauthorizedAccount",
      );
    }
    // The admin (the deployer) grants and revokes the role: one more party the receipts trust.
    await mined(receipts.write.grantRole([role, stranger.account.address], { account: owner.account }));
    await mined(receipts.write.submitAggregation([DOMAIN, 999n, SEVEN_ROOT], { account: stranger.account }));
    await mined(receipts.write.revokeRole([role, stranger.account.address], { account: owner.account }));
    await viem.assertions.revertWithCustomError(
      receipts.write.submitAggregation([DOMAIN, 999n, SEVEN_ROOT], { account: stranger.account }),
      receipts,
      "AccessControlUnauthorizedAccount",
    );
  });

  it("checks zkVerify's seven-leaf vectors: every index, the promoted last leaf, IndexOutOfBounds past the count", async () => {
    const receipt = await post(SEVEN, 1000n);
    gasUsed.postAggregationRoot = receipt.gasUsed;
    const [e] = await receipts.getEvents.AggregationPosted({}, { blockHash: receipt.blockHash });
    assert.deepEqual(e.args, { _domainId: DOMAIN, _aggregationId: 1000n, _proofsAggregation: SEVEN_ROOT });
    assert.equal(await receipts.read.proofsAggregations([DOMAIN, 1000n]), SEVEN_ROOT);
    for (let i = 0; i < 7; i++) {
      const p = aggregationPath(SEVEN, i);
      const ok = (leaf: Hex, path = p.merklePath, count = 7n, index = BigInt(i), id = 1000n, domain = DOMAIN) =>
        receipts.read.verifyProofAggregation([domain, id, leaf, path, count, index]);
      assert.equal(await ok(SEVEN[i]), true, `leaf ${i}`);
      assert.equal(await ok(SEVEN[(i + 1) % 7]), false, "another leaf at its place");
      assert.equal(await ok(SEVEN[i], p.merklePath, 7n, BigInt((i + 1) % 7)), false, "another index");
      assert.equal(await ok(SEVEN[i], p.merklePath, 7n, BigInt(i), 1001n), false, "an aggregation never posted");
      assert.equal(await ok(SEVEN[i], p.merklePath, 7n, BigInt(i), 1000n, DOMAIN + 1n), false, "another domain");
    }
    assert.equal(aggregationPath(SEVEN, 6).merklePath.length, 2, "leaf 6 is promoted once: two path elements");
    await assert.rejects(
      receipts.read.verifyProofAggregation([DOMAIN, 1000n, SEVEN[0], [], 7n, 7n]),
      /IndexOutOfBounds/,
    );
  });

  it("posts several roots of a domain at once; lists of different lengths revert with InvalidBatchCounts", async () => {
    const roots = [aggregationRoot(SEVEN.slice(0, 3)), aggregationRoot(SEVEN.slice(3))];
    await mined(
      receipts.write.submitAggregationBatchByDomainId([DOMAIN, [2000n, 2001n], roots], { account: operator.account }),
    );
    assert.equal(await receipts.read.proofsAggregations([DOMAIN, 2001n]), roots[1]);
    await viem.assertions.revertWithCustomError(
      receipts.write.submitAggregationBatchByDomainId([DOMAIN, [2002n], roots], { account: operator.account }),
      receipts,
      "InvalidBatchCounts",
    );
  });

  it("the SDK's receipt and adapter ABIs are the contracts' own", async () => {
    const artifact = async (file: string, name: string) =>
      JSON.parse(await readFile(join(ROOT, "artifacts/contracts/aggregation", file, `${name}.json`), "utf8")) as {
        abi: { type: string; name?: string }[];
      };
    const checks = [
      [await artifact("ZkVerifyAggregationReceipts.sol", "ZkVerifyAggregationReceipts"), zkVerifyReceiptsAbi],
      [await artifact("AggregatedGroth16Verifier.sol", "AggregatedGroth16Verifier"), aggregatedVerifierAbi],
    ] as const;
    // The artifacts also name each parameter's Solidity type (internalType), which the SDK's ABIs leave out.
    const plain = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(plain)
        : x && typeof x === "object"
          ? Object.fromEntries(
              Object.entries(x)
                .filter(([k]) => k !== "internalType")
                .map(([k, v]) => [k, plain(v)]),
            )
          : x;
    for (const [{ abi }, sdk] of checks) {
      for (const entry of sdk) {
        const found = abi.find((x) => x.type === entry.type && x.name === entry.name);
        assert.deepEqual(plain(found), plain(entry), `${entry.type} ${entry.name}`);
      }
    }
  });
});

describe("AggregatedGroth16Verifier: statements, configuration", () => {
  it("hashes statements as zkVerify does (zkv-attestation-contracts vector, any input count)", async () => {
    const probe = await viem.deployContract("AggregationMarkProbe", [adapter.address]);
    const vk = "0x03cd0bc2734df75ba69a2328fa4bac1bc4981c6942a421826d36e6cb00318df7";
    assert.equal(
      await probe.read.statement([vk, [42n, 24n]]),
      "0x241367b89d78d1f33d40b4704a186826fe863ad6abaa7a4596ba964c442487c4",
    );
    assert.equal(await probe.read.statement([vk, []]), groth16Statement(vk, []));
    const many = Array.from({ length: 64 }, (_, i) => fe(`input ${i}`));
    assert.equal(await probe.read.statement([vk, many]), groth16Statement(vk, many));
    const edge = [0n, 1n, SNARK_SCALAR_FIELD - 1n, 0xff00n, 1n << 200n];
    assert.equal(await probe.read.statement([vk, edge]), groth16Statement(vk, edge));
  });

  it("answers the snarkjs selector for K inputs only; refuses unusable configurations", async () => {
    assert.equal(await adapter.read.publicInputCount(), BigInt(K));
    assert.equal(await adapter.read.vkHash(), vkHash);
    assert.equal(await adapter.read.domainId(), DOMAIN);
    assert.equal(getAddress(await adapter.read.directVerifier()), getAddress(classification.verifier));
    assert.equal(getAddress(await adapter.read.receipts()), getAddress(receipts.address));
    assert.equal(
      await adapter.read.verifySelector(),
      toFunctionSelector(`verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[${K}])`),
    );
    const bad = [
      [worker.account.address, receipts.address, BigInt(K)], // a verifier without code
      [classification.verifier, worker.account.address, BigInt(K)], // receipts without code
      [classification.verifier, receipts.address, 9n], // not more than the escrow's fixed inputs
      [classification.verifier, receipts.address, 65n], // more than zkVerify takes
    ] as const;
    for (const [v, r, k] of bad) {
      await assert.rejects(
        viem.deployContract("AggregatedGroth16Verifier", [v, r, DOMAIN, vkHash, k]),
        /InvalidConfiguration/,
      );
    }
  });
});

describe("AggregatedGroth16Verifier as rule 1's verifier: aggregated and direct proofs, real contracts", () => {
  const entry = () => ({
    verifier: adapter.address,
    batchSize: classification.batchSize,
    datasetDepth: classification.datasetDepth,
    publicInputCount: K,
    batchVerifier: classification.batchVerifier,
    rejectVerifier: classification.rejectVerifier,
  });
  let before1: bigint; // a task created before the swap: it keeps the snarkjs verifier
  let taskA: bigint; // 256 items, four batches
  let taskB: bigint; // 100 items, two batches
  let taskD: bigint; // 100 items: batch 0 goes direct through the adapter
  let d0: Proven;
  let a: Proven[];
  let b0: Proven;
  let c0: Proven;
  const pay: Record<string, Address> = {};
  let agg: Awaited<ReturnType<LocalAggregator["submit"]>>[];
  let aggregationId: bigint;

  before(async () => {
    await mined(groups.write.joinOpenGroup([alice.commitment], { account: worker.account }));
    openGroup.insert(alice.commitment);
    before1 = await newTask({ deadline: BigInt(await networkHelpers.time.latest()) + 30n * 86400n });
    // The registry's delayed replacement: announced, applied once due. Tasks keep the entry they copied.
    await mined(escrow.write.setRuleVerifier([1, entry()], { account: owner.account }));
    await networkHelpers.time.increase(RULE_CHANGE_DELAY);
    await mined(escrow.write.applyRuleVerifier([1], { account: stranger.account }));
    taskA = await newTask({ itemCount: 256 });
    taskB = await newTask();
    taskD = await newTask();
    for (const k of ["a0", "a1", "a2", "d0", "c0"]) pay[k] = payee(k);
    a = [
      await prove(taskA, 0, recipientWord(pay.a0), 256),
      await prove(taskA, 1, recipientWord(pay.a1, 250), 256), // a relayer fee of 2.5 %
      await prove(taskA, 2, recipientWord(pay.a2), 256),
    ];
    b0 = await prove(taskB, 0, recipientWord(worker.account.address));
    d0 = await prove(taskD, 0, recipientWord(pay.d0));
    c0 = await prove(before1, 0, recipientWord(pay.c0));
  });

  it("tasks created before the replacement keep the snarkjs verifier; new tasks of rule 1 take the adapter", async () => {
    assert.equal(getAddress((await escrow.read.getTask([before1])).rule.verifier), getAddress(classification.verifier));
    assert.equal(getAddress((await escrow.read.getTask([taskA])).rule.verifier), getAddress(adapter.address));
  });

  it("the aggregator refuses a false proof before anything is published, as zkVerify would", async () => {
    const stolen = [...a[0].publicSignals];
    stolen[IN.recipient] = recipientWord(stranger.account.address);
    await assert.rejects(aggregator.submit(a[0].raw, stolen), (e: unknown) => errorCode(e) === "invalid_input");
    const swapped = { ...a[0].raw, pi_a: a[0].raw.pi_c, pi_c: a[0].raw.pi_a };
    await assert.rejects(aggregator.submit(swapped, a[0].publicSignals), /zkVerify would refuse it/);
    await assert.rejects(aggregator.submit(a[0].raw, a[0].publicSignals.slice(1)), /public signals for a key/);
    assert.equal(aggregator.pending, 0);
  });

  it("(a) a batch proof aggregated with three other statements is accepted through submitBatchAggregated and pays its recipient", async () => {
    // Four statements in one aggregation: batches 0..2 of task A and batch 0 of task B.
    const waiting = [...a.slice(0, 3), b0].map((p) => aggregator.submit(p.raw, p.publicSignals));
    const published = await aggregator.publish();
    assert.ok(published);
    aggregationId = published.aggregationId;
    agg = await Promise.all(waiting);
    assert.equal(published.leafCount, 4);
    assert.equal(await receipts.read.proofsAggregations([DOMAIN, aggregationId]), published.root);
    assert.deepEqual(
      agg.map((s) => s.index),
      [0n, 1n, 2n, 3n],
    );
    assert.equal(agg[0].leaf, await adapter.read.statementHash([[...a[0].publicSignals]]), "TypeScript = Solidity");
    assert.equal(agg[0].leaf, groth16Statement(vkHash, a[0].publicSignals));

    const receipt = await mined(submitAggregated(taskA, 0n, a[0].publicSignals, agg[0]));
    gasUsed.submitBatchAggregated = receipt.gasUsed;
    assert.equal(await escrow.read.credits([ETH, pay.a0]), REWARD * BigInt(N));
    assert.equal((await escrow.read.batchState([taskA, 0n]))[0], 2, "Verified");
    const [s] = await escrow.getEvents.BatchSubmitted({ taskId: taskA }, { blockHash: receipt.blockHash });
    assert.equal(s.args.recipient, getAddress(pay.a0));
    assert.equal(s.args.relayer, getAddress(adapter.address), "the escrow's caller is the adapter");
    assert.deepEqual(s.args.ciphertext, a[0].publicSignals.slice(9), "the labels reach the requester as before");
    const [m] = await adapter.getEvents.BatchSubmittedAggregated({}, { blockHash: receipt.blockHash });
    assert.deepEqual(m.args, {
      escrow: getAddress(escrow.address),
      taskId: taskA,
      batchIndex: 0n,
      statement: agg[0].leaf,
      aggregationId,
      submitter: getAddress(relayer.account.address),
    });
    await assertSolvent();
  });

  it("(b) the same statement again reverts with the escrow's BatchAlreadyAccepted", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      submitAggregated(taskA, 0n, a[0].publicSignals, agg[0]),
      escrow,
      "BatchAlreadyAccepted",
      [taskA, 0n],
    );
  });

  it("(c) refuses a wrong path, index or leaf count, an aggregation never posted, another domain, and a wrong input count", async () => {
    const s = agg[2]; // batch 2 of task A, not yet submitted: every refusal below is the adapter's
    const inputs = a[2].publicSignals;
    const notIncluded = (inc: Inclusion, id = s.aggregationId) =>
      viem.assertions.revertWithCustomErrorWithArgs(
        submitAggregated(taskA, 2n, inputs, inc),
        adapter,
        "StatementNotIncluded",
        [DOMAIN, id, s.leaf],
      );
    const tampered = [...s.merklePath];
    tampered[0] = keccak256(tampered[0]);
    await notIncluded({ ...s, merklePath: tampered });
    await notIncluded({ ...s, merklePath: s.merklePath.slice(1) });
    await notIncluded({ ...s, index: 1n });
    // Index 2 as the last of three leaves takes its sibling from the left: another pair order.
    await notIncluded({ ...s, leafCount: 3n });
    // An index past the count: the receipt contract reverts (IndexOutOfBounds), the adapter says why.
    await notIncluded({ ...s, index: 4n });
    await notIncluded({ ...s, aggregationId: s.aggregationId + 100n }, s.aggregationId + 100n);
    // The same root posted under another domain: the adapter reads only its own domain.
    await post([...agg.map((x) => x.leaf)], 77n, DOMAIN + 1n);
    await notIncluded({ ...s, aggregationId: 77n }, 77n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      submitAggregated(taskA, 2n, inputs.slice(0, K - 1), s),
      adapter,
      "WrongPublicInputCount",
      [BigInt(K), BigInt(K - 1)],
    );
  });

  it("(c) refuses another task's statement (WrongTask), and any changed input: the statement changes, so it is not included", async () => {
    const th = (await escrow.read.getTask([taskA])).taskHash;
    // Task B's statement is included, but the escrow binds the task: WrongTask.
    await viem.assertions.revertWithCustomErrorWithArgs(
      submitAggregated(taskA, 1n, b0.publicSignals, agg[3]),
      escrow,
      "WrongTask",
      [th, b0.publicSignals[IN.taskHash]],
    );
    // ... and no input can be changed to fit: B's statement with A's task hash is not in any aggregation,
    const moved = [...b0.publicSignals];
    moved[IN.taskHash] = th;
    await viem.assertions.revertWithCustomError(
      submitAggregated(taskA, 1n, moved, agg[3]),
      adapter,
      "StatementNotIncluded",
    );
    // nor is A's batch 2 with another recipient, relayer fee, nullifier or ciphertext.
    const changes: [number, bigint][] = [
      [IN.recipient, recipientWord(stranger.account.address)],
      [IN.recipient, recipientWord(pay.a2, 10_000)],
      [IN.nullifier, a[2].publicSignals[IN.nullifier] + 1n],
      [K - 1, (a[2].publicSignals[K - 1] + 1n) % SNARK_SCALAR_FIELD],
    ];
    for (const [i, v] of changes) {
      const changed = [...a[2].publicSignals];
      changed[i] = v;
      await viem.assertions.revertWithCustomError(
        submitAggregated(taskA, 2n, changed, agg[2]),
        adapter,
        "StatementNotIncluded",
      );
    }
  });

  it("(c) a receipt is no proof for the direct path: a zero proof without the aggregated call reverts with InvalidProof", async () => {
    for (const [b, p] of [
      [1n, a[1]],
      [2n, a[2]],
    ] as const) {
      await viem.assertions.revertWithCustomError(
        escrow.write.submitBatch([taskA, b, NO_PROOF, [...p.publicSignals]], { account: stranger.account }),
        escrow,
        "InvalidProof",
      );
    }
  });

  it("the transient mark: true only inside the escrow call it was set for, gone after it returns or reverts", async () => {
    const probe = await viem.deployContract("AggregationMarkProbe", [adapter.address]);
    const statements = [0, 1].map((i) =>
      Array.from({ length: K }, (_, j) =>
        j === IN.recipient ? recipientWord(worker.account.address) : fe(`mark ${i} ${j}`),
      ),
    );
    const leaves = statements.map((xs) => groth16Statement(vkHash, xs));
    await post(leaves, 500n);
    for (const [mode, succeeded] of [
      [0, true],
      [1, false],
    ] as const) {
      await mined(probe.write.setMode([mode, zeroAddress]));
      const receipt = await mined(probe.write.run([statements[mode], inclusionArg(inclusion(leaves, mode, 500n))]));
      const [e] = await probe.getEvents.Probed({ blockHash: receipt.blockHash });
      assert.deepEqual(
        e.args,
        { during: true, afterwards: false, succeeded },
        `mode ${mode}: seen during the call, not after it ${succeeded ? "returned" : "reverted"}`,
      );
    }
    // A contract named as the escrow cannot pass a marked statement on to the real escrow: the mark is
    // for the escrow the adapter called, so the real one gets the direct verifier's "no" for a zero proof.
    await mined(probe.write.setMode([2, escrow.address]));
    await viem.assertions.revertWithCustomError(
      adapter.write.submitBatchAggregated([probe.address, taskA, 2n, [...a[2].publicSignals], inclusionArg(agg[2])], {
        account: stranger.account,
      }),
      escrow,
      "InvalidProof",
    );
    assert.equal((await escrow.read.batchState([taskA, 2n]))[0], 0, "still open");
  });

  it("anyone may send an aggregated statement (a front-runner pays the same recipient); a relayer fee goes to the sender", async () => {
    // Batch 2, recipient bound in the statement: a stranger sending it pays pay.a2, not itself.
    const plain = await mined(submitAggregated(taskA, 2n, a[2].publicSignals, agg[2], stranger));
    assert.equal(await escrow.read.credits([ETH, pay.a2]), REWARD * BigInt(N));
    // Batch 1 carries a 2.5 % relayer fee: the escrow credits the adapter, which sends it on at once.
    const reward = REWARD * BigInt(N);
    const fee = (reward * 250n) / 10_000n;
    const balance0 = await publicClient.getBalance({ address: relayer.account.address });
    const receipt = await mined(submitAggregated(taskA, 1n, a[1].publicSignals, agg[1]));
    const spent = receipt.gasUsed * receipt.effectiveGasPrice;
    assert.equal(await publicClient.getBalance({ address: relayer.account.address }), balance0 - spent + fee);
    assert.equal(await escrow.read.credits([ETH, pay.a1]), reward - fee);
    const [v] = await escrow.getEvents.BatchVerified({ taskId: taskA }, { blockHash: receipt.blockHash });
    assert.equal(v.args.relayerAmount, fee);
    console.log(
      `# gas, aggregated, a later batch of the task to a fresh recipient: no fee ${plain.gasUsed}, ` +
        `with a relayer fee passed on to the sender ${receipt.gasUsed}`,
    );
    await assertSolvent();
  });

  it("(d) a direct Groth16 proof through the adapter still verifies; a false one does not", async () => {
    const bad = [...d0.proof];
    [bad[0], bad[6]] = [bad[6], bad[0]];
    await viem.assertions.revertWithCustomError(
      submitDirect(taskD, 0n, { proof: bad, publicSignals: d0.publicSignals }),
      escrow,
      "InvalidProof",
    );
    // Each measurement below: the first batch of its task, paid to a recipient with no credit yet.
    const receipt = await mined(submitDirect(taskD, 0n, d0));
    gasUsed.submitBatchDirectViaAggregatedVerifier = receipt.gasUsed;
    assert.equal(await escrow.read.credits([ETH, pay.d0]), REWARD * BigInt(N));
    // The same circuit's snarkjs verifier on its own (a task created before the replacement).
    const direct = await mined(submitDirect(before1, 0n, c0));
    const aggregated = gasUsed.submitBatchAggregated;
    console.log(
      `# gas, classification batch of ${N}, fresh recipient: direct snarkjs verifier ${direct.gasUsed}, ` +
        `direct through the adapter ${receipt.gasUsed}, aggregated ${aggregated} ` +
        `(${(Number(direct.gasUsed) / N).toFixed(0)} / ${(Number(receipt.gasUsed) / N).toFixed(0)} / ${(Number(aggregated) / N).toFixed(0)} per label)`,
    );
    assert.ok(aggregated < direct.gasUsed / 2n, "the aggregated submission costs less than half the direct one");
    await assertSolvent();
  });

  it("the receipt operator can forge: a statement no proof exists for, once posted, is paid (the trust this layer adds)", async () => {
    const thief = payee("operator's friend");
    const forged = await synthetic(taskB, 1n, K, recipientWord(thief), "forged");
    const leaf = groth16Statement(vkHash, forged);
    await post([leaf], 600n);
    await mined(submitAggregated(taskB, 1n, forged, inclusion([leaf], 0, 600n)));
    assert.equal(await escrow.read.credits([ETH, thief]), REWARD * 36n);
    await assertSolvent();
  });

  it("a task with gold items: an aggregated batch goes pending; with a relayer fee it is refused (RelayerFeeOnPendingBatch)", async () => {
    const gold = await newTask({ goldRoot: 4242n });
    const withFee = await synthetic(gold, 0n, K, recipientWord(payee("gold fee"), 100), "gold fee");
    const noFee = await synthetic(gold, 0n, K, recipientWord(payee("gold"), 0), "gold");
    const leaves = [withFee, noFee].map((xs) => groth16Statement(vkHash, xs));
    await post(leaves, 700n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      submitAggregated(gold, 0n, withFee, inclusion(leaves, 0, 700n)),
      adapter,
      "RelayerFeeOnPendingBatch",
      [gold, 0n],
    );
    const receipt = await mined(submitAggregated(gold, 0n, noFee, inclusion(leaves, 1, 700n)));
    gasUsed.submitBatchAggregatedPending = receipt.gasUsed;
    assert.equal((await escrow.read.batchState([gold, 0n]))[0], 1, "Pending");
    await assertSolvent();
  });
});

describe("gas of the aggregated submission for every rule (statements posted by the operator; the path reads no proof)", () => {
  const SUFFIX: Record<string, string> = { bbox: "Box", sensor: "Sensor", spans: "Spans", polygon: "Polygon" };

  it("one batch of each rule through its own adapter, a four-statement aggregation, a fresh recipient", async () => {
    const measured: Record<string, bigint> = {};
    for (const rule of RULES) {
      const r = d.rules.find((x) => x.ruleId === rule.id);
      assert.ok(r, `rule ${rule.name} is deployed`);
      const ruleVk = groth16VkHash(await vkeyOf(r.circuit));
      const ad = await viem.deployContract("AggregatedGroth16Verifier", [
        r.verifier,
        receipts.address,
        DOMAIN,
        ruleVk,
        BigInt(r.publicInputCount),
      ]);
      // A fresh rule id: the statements are the operator's, so no circuit has to agree with the task hash.
      const ruleId = 200 + rule.id;
      await mined(
        escrow.write.setRuleVerifier(
          [
            ruleId,
            {
              verifier: ad.address,
              batchSize: r.batchSize,
              datasetDepth: r.datasetDepth,
              publicInputCount: r.publicInputCount,
              batchVerifier: zeroAddress,
              rejectVerifier: zeroAddress,
            },
          ],
          { account: owner.account },
        ),
      );
      const id = await newTask({ ruleId, itemCount: 2 * r.batchSize });
      const inputs = await synthetic(id, 0n, r.publicInputCount, recipientWord(payee(`gas ${rule.name}`)), rule.name);
      const leaves = [
        groth16Statement(ruleVk, inputs),
        ...[1, 2, 3].map((i) => keccak256(toHex(`${rule.name} other statement ${i}`))),
      ];
      const aggId = 800n + BigInt(rule.id);
      await post(leaves, aggId);
      const inc = inclusion(leaves, 0, aggId);
      const receipt = await mined(
        ad.write.submitBatchAggregated([escrow.address, id, 0n, inputs, inclusionArg(inc)], {
          account: relayer.account,
        }),
      );
      measured[rule.name] = receipt.gasUsed;
      if (SUFFIX[rule.name]) gasUsed[`submitBatchAggregated${SUFFIX[rule.name]}`] = receipt.gasUsed;
      console.log(
        `# aggregated submission, ${rule.name} (${r.publicInputCount} inputs, N = ${r.batchSize}): ${receipt.gasUsed} gas, ${(Number(receipt.gasUsed) / r.batchSize).toFixed(0)} per label`,
      );
    }
    // A full zkVerify aggregation (128 statements): the path has seven elements instead of two.
    const r = d.rules.find((x) => x.ruleId === 1);
    assert.ok(r);
    const id = await newTask({ ruleId: 201, itemCount: 2 * r.batchSize });
    const ad = getAddress((await escrow.read.ruleVerifier([201])).verifier);
    const inputs = await synthetic(id, 0n, K, recipientWord(payee("gas full aggregation")), "full");
    const leaves = [
      ...Array.from({ length: 127 }, (_, i) => keccak256(toHex(`full aggregation ${i}`))),
      groth16Statement(vkHash, inputs),
    ];
    await post(leaves, 900n);
    const inc = inclusion(leaves, 127, 900n);
    assert.equal(inc.merklePath.length, 7);
    const adapter201 = await viem.getContractAt("AggregatedGroth16Verifier", ad);
    const full = await mined(
      adapter201.write.submitBatchAggregated([escrow.address, id, 0n, inputs, inclusionArg(inc)], {
        account: relayer.account,
      }),
    );
    gasUsed.submitBatchAggregatedPath7 = full.gasUsed;
    console.log(`# aggregated submission, classification, 128-statement aggregation (path of 7): ${full.gasUsed} gas`);
    // The classification figure from operator-posted statements matches the real proof's (same path shape).
    const real = Number(gasUsed.submitBatchAggregated);
    assert.ok(Math.abs(Number(measured.classification) - real) / real < 0.03, "synthetic and real agree within 3 %");
    await assertSolvent();
  });
});
