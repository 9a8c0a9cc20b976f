import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { expectedRuleEntry } from "@zklabel/core/deployment";
import { errorCode } from "@zklabel/core/errors";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { ruleCircuit } from "@zklabel/core/rules";
import { classificationRule } from "@zklabel/core/rules/classification";
import { DEMO_REQUESTER_KEY, releaseSnarkjs } from "@zklabel/testkit/classification";
import { deployZkLabel } from "@zklabel/testkit/repo";
import { network } from "hardhat";
import { getAddress, keccak256, recoverTypedDataAddress, toHex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ZkLabelClient } from "../src/client.ts";
import { buildDataset } from "../src/dataset.ts";
import { ContractError } from "../src/errors.ts";
import { proveBatch } from "../src/prove.ts";
import { resolveTaskSpec } from "../src/spec.ts";
import { escrowReader, readTaskInfo } from "../src/task-info.ts";
import { signWithdrawal, WITHDRAW_TYPES, withdrawDomain } from "../src/withdraw.ts";

after(releaseSnarkjs);

const connection = await network.create();
const { viem, networkHelpers } = connection;
const publicClient = await viem.getPublicClient();
const [requesterWallet, workerWallet, relayerWallet, destinationWallet] = await viem.getWalletClients();
const circuit = ruleCircuit(classificationRule);
const dir = join(import.meta.dirname, "..", "..", "..", "build", "circuits", circuit.name);
/** A payee as a worker's identity gives one: a key of its own, no ETH. */
const payee = privateKeyToAccount(keccak256(toHex("sdk withdraw test payee")));

describe("gasless withdrawal (signWithdrawal, ZkLabelClient.withdrawWithSignature)", () => {
  it("a payee with no ETH signs, a relayer submits: the destination gets amount - fee, the relayer the fee, the nonce moves on", async () => {
    const d = await deployZkLabel(connection);
    const contracts = { escrow: d.escrow, groups: d.groups, chainId: d.chainId };
    const client = (wallet: typeof requesterWallet) =>
      new ZkLabelClient({ publicClient: publicClient as never, wallet: wallet as never, contracts });
    const [requester, worker, relayer, destination] = [
      requesterWallet,
      workerWallet,
      relayerWallet,
      destinationWallet,
    ].map(client);
    // The payee earns batch 1 of a task (36 items); the worker's own wallet relays the submission.
    const texts = demoItems(100).map((x) => x.text);
    const { manifest } = buildDataset(
      texts.map((t, i) => ({ name: `review ${i + 1}`, bytes: new TextEncoder().encode(t) })),
      { depth: circuit.params.DEPTH, batchSize: circuit.params.N },
    );
    const spec = resolveTaskSpec(
      {
        title: "Product review sentiment",
        instructions: "Pick the sentiment.",
        rule: { type: "classification", classes: ["negative", "neutral", "positive"] },
        reward: { perItem: "0.001" },
        deadline: "7d",
      },
      Number((await publicClient.getBlock()).timestamp),
    );
    const { taskId } = await requester.createTask({
      spec,
      manifest,
      pkR: DEMO_REQUESTER_KEY.pkR,
      pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
      rule: expectedRuleEntry(d, 1),
    });
    const me = new Identity("sdk withdraw test worker");
    await worker.joinOpenGroup(me.commitment);
    const info = await readTaskInfo(
      escrowReader({ client: publicClient as never, address: d.escrow, fromBlock: 0n }),
      taskId,
    );
    const proof = await proveBatch({
      task: info,
      chainId: BigInt(d.chainId),
      escrow: d.escrow as `0x${string}`,
      dataset: manifest,
      batchIndex: 1,
      labels: demoItems(100)
        .slice(64)
        .map((x) => x.sentiment),
      identity: me,
      group: workerGroup([me.commitment]),
      recipient: payee.address,
      salt: 7n,
      artifacts: { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") },
    });
    await worker.submitBatch(taskId, 1, proof);
    const earned = spec.rewardPerItem * 36n;
    assert.equal(await relayer.credits(payee.address), earned);
    assert.equal(await relayer.balanceOf(payee.address), 0n, "the payee holds no ETH");

    // The domain the escrow reports, and the nonce, come from the chain.
    assert.deepEqual(await withdrawDomain(publicClient as never, d.escrow), {
      name: "ZkLabelEscrow",
      version: "1",
      chainId: d.chainId,
      verifyingContract: getAddress(d.escrow),
    });
    const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
    const fee = earned / 100n;
    const to = destinationWallet.account.address;
    const signed = await signWithdrawal({
      publicClient: publicClient as never,
      escrow: d.escrow,
      account: payee,
      to,
      amount: earned,
      fee,
      relayer: relayerWallet.account.address,
      deadline,
    });
    assert.deepEqual(signed.message, {
      token: zeroAddress,
      account: payee.address,
      to: getAddress(to),
      amount: earned,
      fee,
      relayer: getAddress(relayerWallet.account.address),
      nonce: 0n,
      deadline,
    });
    const recovered = await recoverTypedDataAddress({
      domain: signed.domain,
      types: WITHDRAW_TYPES,
      primaryType: "Withdraw",
      message: signed.message,
      signature: signed.signature,
    });
    assert.equal(recovered, payee.address);

    // Bound to the relayer: another sender's client is refused by the escrow, in words.
    await assert.rejects(destination.withdrawWithSignature(signed), (e: unknown) => {
      assert.ok(e instanceof ContractError);
      assert.equal(e.errorName, "WrongRelayer");
      assert.match(e.message, /names another relayer/);
      return true;
    });
    const before = await relayer.balanceOf(to);
    await relayer.withdrawWithSignature(signed);
    assert.equal(await relayer.balanceOf(to), before + earned - fee);
    assert.equal(await relayer.credits(relayerWallet.account.address), fee);
    assert.equal(await relayer.credits(payee.address), 0n);
    assert.equal(await relayer.withdrawalNonce(payee.address), 1n);
    assert.equal(await relayer.balanceOf(payee.address), 0n, "the payee still holds no ETH");

    // A replay is refused (the nonce is used), in words.
    await assert.rejects(relayer.withdrawWithSignature(signed), (e: unknown) => {
      assert.ok(e instanceof ContractError);
      assert.equal(e.errorName, "InvalidNonce");
      assert.match(e.message, /^could not submit the signed withdrawal: The signed withdrawal's nonce/);
      return true;
    });

    // A wallet (JSON-RPC account) signs too: the relayer's own fee credit, for any relayer, through the client.
    const own = await relayer.signWithdrawal({
      account: relayerWallet as never,
      to: relayerWallet.account.address,
      amount: fee,
      deadline,
    });
    assert.equal(own.message.relayer, zeroAddress);
    await destination.withdrawWithSignature(own);
    assert.equal(await relayer.credits(relayerWallet.account.address), 0n);

    // What the escrow would refuse anyway is refused before signing; a signature for another escrow before sending.
    await assert.rejects(
      relayer.signWithdrawal({ account: payee, to, amount: 1n, fee: 2n, deadline }),
      (e: unknown) => errorCode(e) === "invalid_input",
    );
    await assert.rejects(
      relayer.signWithdrawal({ account: payee, to: zeroAddress, amount: 1n, deadline }),
      (e: unknown) => errorCode(e) === "invalid_input",
    );
    const forOtherEscrow = { ...signed, domain: { ...signed.domain, verifyingContract: getAddress(d.groups) } };
    await assert.rejects(relayer.withdrawWithSignature(forOtherEscrow), (e: unknown) => errorCode(e) === "wrong_task");
    const forOtherChain = { ...signed, domain: { ...signed.domain, chainId: 1 } };
    await assert.rejects(relayer.withdrawWithSignature(forOtherChain), (e: unknown) => errorCode(e) === "wrong_task");
  });
});
