/**
 * The relayer against the real contracts (Hardhat's in-process chain) and real proofs: every
 * refusal with its reason, one ticket per proof, several workers' proofs in one submitBatches with
 * one of them gone bad in the queue, a crash between accepting and submitting, a lost broadcast,
 * the sponsored join, and the per-client limits.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { expectedRuleEntry } from "@zklabel/core/deployment";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import type { BatchProof } from "@zklabel/core/prove";
import { deployedCircuit } from "@zklabel/core/registry";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { ZkLabelClient } from "@zklabel/sdk/client";
import { buildDataset } from "@zklabel/sdk/dataset";
import { proveBatch } from "@zklabel/sdk/prove";
import { RelayerClient, RelayerError } from "@zklabel/sdk/relayer";
import { resolveTaskSpec } from "@zklabel/sdk/spec";
import { escrowReader, readTaskInfo, type TaskInfo } from "@zklabel/sdk/task-info";
import { artifacts, DEMO_REQUESTER_KEY, releaseSnarkjs } from "@zklabel/testkit/classification";
import { deployZkLabel } from "@zklabel/testkit/repo";
import { network } from "hardhat";
import { type Address, createWalletClient, custom, type PublicClient, parseEther, zeroAddress } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { createRelayer, type RelayerOptions } from "../src/relayer.ts";
import { startRelayer } from "../src/server.ts";
import { RelayerStore } from "../src/store.ts";

after(releaseSnarkjs);

const connection = await network.create();
const { viem } = connection;
const publicClient = (await viem.getPublicClient()) as unknown as PublicClient;
const [requesterWallet, workerWallet] = await viem.getWalletClients();
const circuit = deployedCircuit("classification");
const vkey = JSON.parse(await readFile(artifacts(circuit.name).vkey, "utf8"));
// Hardhat's development accounts; #9 relays (the dev stack uses the same one).
const relayerAccount = mnemonicToAccount("test test test test test test test test test test test junk", {
  addressIndex: 9,
});
const relayerWallet = createWalletClient({
  account: relayerAccount,
  chain: publicClient.chain,
  transport: custom({ request: (a) => publicClient.request(a as never) }),
});
const enc = new TextEncoder();
const items = demoItems(64 * 8).map((x, i) => ({ name: `r-${i}.txt`, bytes: enc.encode(`relayer ${i} ${x.text}`) }));
const { manifest } = buildDataset(items, { depth: circuit.params.DEPTH, batchSize: circuit.params.N });

const workers = [
  new Identity("relayer test worker A"),
  new Identity("relayer test worker B"),
  new Identity("relayer test worker C"),
];
let task: TaskInfo;
let direct: ZkLabelClient;
let deployment: Awaited<ReturnType<typeof deployZkLabel>>;
let dir: string;
/** Payees: fresh addresses that hold nothing (the relayer pays the gas). */
const payee = (i: number) => `0x${(0xbeef0000 + i).toString(16).padStart(40, "0")}` as Address;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "zklabel-relayer-"));
  deployment = await deployZkLabel(connection);
  const contracts = { escrow: deployment.escrow, groups: deployment.groups, chainId: deployment.chainId };
  const requester = new ZkLabelClient({
    publicClient: publicClient as never,
    wallet: requesterWallet as never,
    contracts,
  });
  direct = new ZkLabelClient({ publicClient: publicClient as never, wallet: workerWallet as never, contracts });
  for (const w of workers) await direct.joinOpenGroup(w.commitment);
  const now = Number((await publicClient.getBlock()).timestamp);
  const spec = resolveTaskSpec(
    {
      title: "relayed",
      instructions: "i",
      rule: { type: "classification", classes: ["neg", "neu", "pos"] },
      reward: { perItem: "0.001" },
      deadline: "7d",
    },
    now,
  );
  const created = await requester.createTask({
    spec,
    manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(deployment, 1),
  });
  task = await readTaskInfo(
    escrowReader({ client: publicClient as never, address: deployment.escrow, fromBlock: 0n }),
    created.taskId,
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function prove(
  batchIndex: number,
  worker: Identity,
  opts: { feeBps?: number; recipient?: Address } = {},
): Promise<BatchProof> {
  return proveBatch({
    task,
    chainId: BigInt(deployment.chainId),
    escrow: deployment.escrow as Address,
    dataset: manifest,
    batchIndex,
    labels: Array.from({ length: 64 }, (_, i) => i % 3),
    identity: worker,
    group: workerGroup(workers.map((w) => w.commitment)),
    recipient: opts.recipient ?? payee(batchIndex),
    relayerFeeBps: opts.feeBps ?? 100,
    salt: BigInt(1000 + batchIndex),
    artifacts: artifacts(circuit.name),
  });
}

function options(store: RelayerStore, over: Partial<RelayerOptions> = {}): RelayerOptions {
  return {
    store,
    publicClient,
    wallet: relayerWallet as never,
    escrow: deployment.escrow as Address,
    groups: deployment.groups as Address,
    chainId: deployment.chainId,
    verifiers: [{ verifier: expectedRuleEntry(deployment, 1).verifier as Address, circuit, vkey }],
    minFeeBps: 50,
    maxBatch: 4,
    maxWaitMs: 60 * 60_000,
    lowBalanceWei: parseEther("1"),
    sponsorJoins: true,
    ...over,
  };
}

const submission = (batchIndex: number, p: BatchProof) => ({
  taskId: task.taskId,
  batchIndex,
  proof: p.proof,
  publicInputs: p.publicSignals,
});
/** The same, as the HTTP body carries it. */
const wire = (batchIndex: number, p: BatchProof) => ({
  taskId: task.taskId.toString(),
  batchIndex,
  proof: p.proof.map(String),
  publicInputs: p.publicSignals.map(String),
});

async function refusedWith(p: Promise<unknown>, status: number, code: string, words: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof RelayerError, String(e));
    assert.equal(e.status, status, e.message);
    assert.equal(e.refusal, code, e.message);
    assert.match(e.message, words);
    return true;
  });
}

const credit = (a: Address) => direct.credits(a, zeroAddress);

describe("relayer", () => {
  let server: Awaited<ReturnType<typeof startRelayer>>;
  let client: RelayerClient;
  const proofs = new Map<number, BatchProof>();

  before(async () => {
    server = await startRelayer({
      ...options(new RelayerStore(join(dir, "main.sqlite"))),
      intervalMs: 100,
      limits: { proofsPerMinute: 1000 },
    });
    client = new RelayerClient(server.url);
    for (const b of [0, 1, 2, 3]) proofs.set(b, await prove(b, workers[b % 3]));
  });
  after(async () => server?.close());

  it("says who it is, what it charges and that its balance is fine", async () => {
    const info = await client.info();
    assert.equal(info.address, relayerAccount.address);
    assert.equal(info.minFeeBps, 50);
    assert.equal(info.maxBatch, 4);
    assert.equal(info.lowBalance, false);
  });

  it("refuses a malformed body, an oversized body and an unknown route, each in words", async () => {
    const bad = await fetch(`${server.url}/v1/proofs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ taskId: "1", batchIndex: -1, proof: [], publicInputs: [] }),
    });
    assert.equal(bad.status, 400);
    const badBody = (await bad.json()) as { error: string; code: string };
    assert.equal(badBody.code, "bad_request");
    assert.match(badBody.error, /a proof is \{taskId, batchIndex, proof: 8 decimal words/);
    const notJson = await fetch(`${server.url}/v1/proofs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as { code: string }).code, "bad_json");
    const big = await fetch(`${server.url}/v1/proofs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(100 * 1024) }),
    });
    assert.equal(big.status, 413);
    const bigBody = (await big.json()) as { error: string; code: string };
    assert.equal(bigBody.code, "too_large");
    assert.match(bigBody.error, /the limit is 65536/);
    const none = await fetch(`${server.url}/v1/nothing`);
    assert.equal(none.status, 404);
    assert.match(((await none.json()) as { error: string }).error, /no GET \/v1\/nothing on a zkLabel relayer/);
  });

  it("refuses an invalid proof before spending gas", async () => {
    const p = proofs.get(0) as BatchProof;
    // A ciphertext word changed: every check the escrow makes first still passes, the proof does not.
    const inputs = [...p.publicSignals];
    inputs[inputs.length - 1] += 1n;
    const before = await publicClient.getTransactionCount({ address: relayerAccount.address });
    await refusedWith(
      client.submit({ taskId: task.taskId, batchIndex: 0, proof: p.proof, publicInputs: inputs }),
      400,
      "bad_proof",
      /does not verify against task \d+'s circuit/,
    );
    assert.equal(await publicClient.getTransactionCount({ address: relayerAccount.address }), before);
  });

  it("refuses a fee below its minimum and says what the minimum is", async () => {
    const cheap = await prove(4, workers[0], { feeBps: 10 });
    await refusedWith(
      client.submit(submission(4, cheap)),
      402,
      "fee_too_low",
      /pays this relayer 10 basis points; its minimum is 50/,
    );
  });

  it("refuses a proof for a batch that was taken", async () => {
    const p = await prove(5, workers[1]);
    await direct.submitBatch(task.taskId, 5, await prove(5, workers[2], { recipient: payee(50) }));
    await refusedWith(
      client.submit(submission(5, p)),
      409,
      "batch_taken",
      /batch 5 of task \d+ is already verified: another worker took it first/,
    );
  });

  it("refuses a proof while the escrow is paused, in words, and the worker keeps it: once lifted it would be accepted", async () => {
    const escrow = await viem.getContractAt("ZkLabelEscrow", deployment.escrow as Address);
    const p = await prove(6, workers[0]);
    await publicClient.waitForTransactionReceipt({ hash: await escrow.write.setPaused([true]) });
    try {
      await refusedWith(
        client.submit(submission(6, p)),
        503,
        "escrow_paused",
        /paused submissions \(an emergency pause\): keep your proof and send it again once the pause is lifted/,
      );
    } finally {
      await publicClient.waitForTransactionReceipt({ hash: await escrow.write.setPaused([false]) });
    }
    // Lifted, the same proof would be accepted (simulated only: batch 6 is another test's).
    await publicClient.simulateContract({
      account: workerWallet.account,
      address: deployment.escrow as Address,
      abi: escrow.abi,
      functionName: "submitBatch",
      args: [task.taskId, 6n, p.proof as never, p.publicSignals],
    });
  });

  it("accepts a valid proof once: the same proof sent again is the same ticket", async () => {
    const a = await client.submit(submission(0, proofs.get(0) as BatchProof));
    const b = await client.submit(submission(0, proofs.get(0) as BatchProof));
    assert.equal(a.status, "queued");
    assert.equal(b.id, a.id);
    await refusedWith(
      client.submit(submission(0, await prove(0, workers[1], { recipient: payee(99) }))),
      409,
      "batch_taken",
      /another proof for batch 0 of task \d+ is already queued here/,
    );
  });

  it("submits several workers' proofs in one submitBatches; one gone bad in the queue does not stop the others", async () => {
    const t0 = (await client.submit(submission(0, proofs.get(0) as BatchProof))).id;
    const t1 = (await client.submit(submission(1, proofs.get(1) as BatchProof))).id;
    const t2 = (await client.submit(submission(2, proofs.get(2) as BatchProof))).id;
    // Batch 2 is taken directly while its proof waits in the queue.
    await direct.submitBatch(task.taskId, 2, await prove(2, workers[0], { recipient: payee(52) }));
    // The fourth proof makes the batch of four due.
    const t3 = (await client.submit(submission(3, proofs.get(3) as BatchProof))).id;
    const done = await Promise.all(
      [t0, t1, t2, t3].map((id) => client.wait(id, { intervalMs: 100, timeoutMs: 60_000 })),
    );
    assert.deepEqual(
      done.map((t) => t.status),
      ["verified", "verified", "refused", "verified"],
    );
    assert.equal(done[2].code, "batch_taken");
    assert.match(done[2].reason ?? "", /batch 2 of task \d+ is already verified/);
    assert.equal(done[0].txHash, done[1].txHash);
    assert.equal(done[0].txHash, done[3].txHash);
    const tx = await publicClient.getTransaction({ hash: done[0].txHash as `0x${string}` });
    assert.equal(tx.from.toLowerCase(), relayerAccount.address.toLowerCase());
    assert.equal(
      tx.input.slice(0, 10),
      (await import("viem")).toFunctionSelector(
        escrowAbi.find((x) => x.type === "function" && x.name === "submitBatches") as never,
      ),
    );
    const reward = 64n * parseEther("0.001");
    for (const b of [0, 1, 3]) assert.equal(await credit(payee(b)), reward - reward / 100n);
    assert.ok((await credit(relayerAccount.address)) >= 3n * (reward / 100n));
  });
});

describe("relayer durability", () => {
  it("a proof accepted before a crash is submitted after the restart, and the worker is paid", async () => {
    const path = join(dir, "crash.sqlite");
    const p = await prove(4, workers[2], { recipient: payee(204) });
    // First life: accepts (persisted before the answer), then dies before any round runs.
    const first = createRelayer(options(new RelayerStore(path)));
    const ticket = await first.accept(wire(4, p));
    assert.equal(ticket.status, "queued");
    // Second life on the same database: the queue is still there; its wait is over.
    const store = new RelayerStore(path);
    const second = createRelayer(options(store, { maxWaitMs: 0 }));
    await second.round();
    await second.round();
    const t = second.ticket(ticket.id);
    assert.equal(t.status, "verified");
    assert.ok((await credit(payee(204))) > 0n);
    store.close();
  });

  it("a broadcast that failed is sent again from the stored transaction, never signed twice", async () => {
    const p = await prove(6, workers[0], { recipient: payee(206) });
    let failures = 0;
    const flaky = {
      ...publicClient,
      sendRawTransaction: async (a: Parameters<PublicClient["sendRawTransaction"]>[0]) => {
        if (failures++ === 0) throw new Error("connection reset by peer");
        return publicClient.sendRawTransaction(a);
      },
    } as PublicClient;
    const store = new RelayerStore(":memory:");
    const r = createRelayer(options(store, { publicClient: flaky, maxWaitMs: 0, rebroadcastMs: 0 }));
    const nonce = await publicClient.getTransactionCount({ address: relayerAccount.address });
    const ticket = await r.accept(wire(6, p));
    await r.round(); // signs, records, the broadcast fails
    assert.equal(r.ticket(ticket.id).status, "submitted");
    const hash = r.ticket(ticket.id).txHash;
    assert.equal(await publicClient.getTransactionCount({ address: relayerAccount.address }), nonce);
    await r.round(); // no receipt: the stored transaction is broadcast again
    await r.round(); // the receipt is applied
    const t = r.ticket(ticket.id);
    assert.equal(t.status, "verified");
    assert.equal(t.txHash, hash, "the same signed transaction, not a second one");
    assert.equal(await publicClient.getTransactionCount({ address: relayerAccount.address }), nonce + 1);
    store.close();
  });

  it("relays a gasless withdrawal for its fee, and refuses one that pays less than its minimum", async () => {
    const server = await startRelayer({ ...options(new RelayerStore(":memory:")) });
    try {
      const c = new RelayerClient(server.url);
      const payeeAccount = privateKeyToAccount(`0x${"5a".repeat(32)}`);
      await direct.submitBatch(
        task.taskId,
        7,
        await prove(7, workers[1], { recipient: payeeAccount.address, feeBps: 0 }),
      );
      const earned = await credit(payeeAccount.address);
      assert.equal(earned, 64n * parseEther("0.001"));
      const to = "0x00000000000000000000000000000000000b0b00" as Address;
      const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
      const cheap = await direct.signWithdrawal({
        account: payeeAccount,
        to,
        amount: earned,
        fee: 1n,
        relayer: relayerAccount.address,
        deadline,
      });
      await refusedWith(
        c.withdraw(cheap),
        402,
        "fee_too_low",
        /its minimum is 50 basis points of the amount \(320000000000000 wei here\)/,
      );
      const fee = (earned * 50n) / 10_000n;
      const signed = await direct.signWithdrawal({
        account: payeeAccount,
        to,
        amount: earned,
        fee,
        relayer: relayerAccount.address,
        deadline,
      });
      const before = await credit(relayerAccount.address);
      const r = await c.withdraw(signed);
      assert.equal(BigInt(r.paid), earned - fee);
      assert.equal(await publicClient.getBalance({ address: to }), earned - fee);
      assert.equal(await credit(relayerAccount.address), before + fee);
      assert.equal(await credit(payeeAccount.address), 0n);
      const tx = await publicClient.getTransaction({ hash: r.txHash as `0x${string}` });
      assert.equal(tx.from.toLowerCase(), relayerAccount.address.toLowerCase());
      await refusedWith(c.withdraw(signed), 409, "InvalidNonce", /the withdrawal was not made/);
    } finally {
      await server.close();
    }
  });

  it("sponsors a join of the open group: the new member's transaction comes from the relayer", async () => {
    const server = await startRelayer({ ...options(new RelayerStore(":memory:")), limits: { joinsPerHour: 1 } });
    try {
      const c = new RelayerClient(server.url);
      const id = new Identity("sponsored member");
      const r = await c.join(id.commitment);
      const tx = await publicClient.getTransaction({ hash: r.txHash as `0x${string}` });
      assert.equal(tx.from.toLowerCase(), relayerAccount.address.toLowerCase());
      assert.equal(r.groupSize, workers.length + 1);
      await refusedWith(
        c.join(new Identity("second").commitment),
        429,
        "rate_limited",
        /too many requests from this address: this route takes 1 per 60 minutes/,
      );
    } finally {
      await server.close();
    }
  });
});
