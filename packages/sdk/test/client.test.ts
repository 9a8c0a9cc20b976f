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
import { escrowAbi } from "../src/abi-escrow.ts";
import { ZkLabelClient } from "../src/client.ts";
import { buildDataset } from "../src/dataset.ts";
import { ContractError } from "../src/errors.ts";
import { openSubmittedBatches } from "../src/open.ts";
import { POST_STAGES, type PostStage, postTask } from "../src/post.ts";
import { proveBatch } from "../src/prove.ts";
import { resolveTaskSpec } from "../src/spec.ts";
import { escrowReader, readTaskInfo } from "../src/task-info.ts";

after(releaseSnarkjs);

const connection = await network.create();
const { viem, networkHelpers } = connection;
const publicClient = await viem.getPublicClient();
const [requesterWallet, workerWallet] = await viem.getWalletClients();
const circuit = ruleCircuit(classificationRule);
const dir = join(import.meta.dirname, "..", "..", "..", "build", "circuits", circuit.name);

/** A fresh deployment, a requester's and a worker's client, and the 100-item demo dataset. */
async function setup() {
  const d = await deployZkLabel(connection);
  const contracts = { escrow: d.escrow, groups: d.groups, chainId: d.chainId };
  const requester = new ZkLabelClient({
    publicClient: publicClient as never,
    wallet: requesterWallet as never,
    contracts,
  });
  const worker = new ZkLabelClient({ publicClient: publicClient as never, wallet: workerWallet as never, contracts });
  const texts = demoItems(100).map((x) => x.text);
  const { manifest } = buildDataset(
    texts.map((t, i) => ({ name: `review ${i + 1}`, bytes: new TextEncoder().encode(t) })),
    { depth: circuit.params.DEPTH, batchSize: circuit.params.N },
  );
  return { d, contracts, requester, worker, manifest };
}

/** The demo labels of batch 1 (items 65-100). */
const batchOneLabels = () =>
  demoItems(100)
    .slice(64)
    .map((x) => x.sentiment);

/** What proveBatch needs for batch 1 of the demo task, proven by `me` alone in its group. */
function batchOne(
  d: { chainId: number; escrow: string },
  info: Awaited<ReturnType<typeof readTaskInfo>>,
  manifest: Awaited<ReturnType<typeof setup>>["manifest"],
  me: Identity,
) {
  return {
    task: info,
    chainId: BigInt(d.chainId),
    escrow: d.escrow as `0x${string}`,
    dataset: manifest,
    batchIndex: 1,
    identity: me,
    group: workerGroup([me.commitment]),
    recipient: workerWallet.account.address,
    salt: 99n,
    artifacts: { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") },
  };
}

describe("ZkLabelClient", () => {
  it("creates a task from a spec and a dataset, joins, submits, and turns every revert into words", async () => {
    const { d, contracts, requester, worker, manifest } = await setup();
    const block = await publicClient.getBlock();
    const spec = resolveTaskSpec(
      {
        title: "Product review sentiment",
        instructions: "Pick the sentiment.",
        rule: {
          type: "classification",
          classes: ["negative", "neutral", "positive", "off-topic"],
          allowed: ["negative", "neutral", "positive"],
        },
        reward: { perItem: "0.001" },
        deadline: "7d",
      },
      Number(block.timestamp),
    );
    const { taskId } = await requester.createTask({
      spec,
      manifest,
      pkR: DEMO_REQUESTER_KEY.pkR,
      pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
      rule: expectedRuleEntry(d, 1),
    });
    assert.equal(taskId, 1n);
    assert.equal((await requester.getTask(taskId)).balance, spec.rewardPerItem * 100n);

    const me = new Identity("sdk client worker");
    await worker.joinOpenGroup(me.commitment);
    const reader = escrowReader({ client: publicClient as never, address: d.escrow, fromBlock: 0n });
    const info = await readTaskInfo(reader, taskId);
    assert.equal(info.itemCount, 100);
    assert.equal(info.batchSize, 64);
    const labels = batchOneLabels();
    const common = batchOne(d, info, manifest, me);
    await assert.rejects(
      proveBatch({ ...common, labels: labels.map((l, i) => (i === 2 ? 3 : l)) }),
      /item 67: class 4 is not allowed in this task/,
    );
    // The escrow takes any field elements as slots (decision 40); the worker's side refuses what the rule does not.
    await assert.rejects(
      proveBatch({ ...common, task: { ...info, ruleParams: [4n, 7n, 0n, 9n] }, labels }),
      (e: unknown) =>
        errorCode(e) === "invalid_params" &&
        /slot 3 holds 9, which classification does not use that way/.test((e as Error).message),
    );
    const otherManifest = { ...manifest, items: manifest.items.slice(1), count: 99 };
    await assert.rejects(proveBatch({ ...common, dataset: otherManifest, labels }), /not task 1's dataset root/);
    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(proveBatch({ ...common, labels, signal: cancelled.signal }), {
      name: "AbortError",
    });
    const stages: string[] = [];
    const proof = await proveBatch({
      ...common,
      labels,
      onProgress: (p) => stages.push(`${p.stage}:${p.phase}`),
    });
    assert.deepEqual(stages, [
      "input:start",
      "input:done",
      "witness:start",
      "witness:done",
      "proof:start",
      "proof:done",
    ]);
    await worker.submitBatch(taskId, 1, proof);
    assert.equal(await worker.credits(workerWallet.account.address), spec.rewardPerItem * 36n);

    await assert.rejects(worker.submitBatch(taskId, 1, proof), (e: unknown) => {
      assert.ok(e instanceof ContractError);
      assert.equal(e.code, "contract_reverted");
      assert.equal(e.errorName, "BatchAlreadyAccepted");
      assert.match(e.message, /^could not submit batch 1: This batch has already been accepted and paid/);
      return true;
    });
    await assert.rejects(
      requester.withdraw(requesterWallet.account.address),
      /could not withdraw: There is nothing to withdraw/,
    );
    await assert.rejects(requester.refund(taskId), /TaskStillOpen/);
    const readOnly = new ZkLabelClient({ publicClient: publicClient as never, contracts });
    await assert.rejects(readOnly.cancel(taskId), /this client has no wallet/);
    const opened = openSubmittedBatches(
      await reader.read(),
      taskId,
      DEMO_REQUESTER_KEY.skR,
      info.batchSize,
      info.ruleId,
    );
    assert.deepEqual(
      opened.map((b) => b.batchIndex),
      [1],
    );
    assert.deepEqual(opened[0].labels, labels, "the requester reads exactly the labels the worker proved");
    await worker.withdraw(workerWallet.account.address);
    assert.equal(await worker.credits(workerWallet.account.address), 0n);
  });

  it("posts a task in stages (check, key, gold, create): the key from the wallet's signature, the gold openings kept before the task exists", async () => {
    const { d, requester, manifest } = await setup();
    const now = Number((await publicClient.getBlock()).timestamp);
    const spec = resolveTaskSpec(
      {
        title: "staged",
        instructions: "label the reviews",
        rule: { type: "classification", classes: ["negative", "neutral", "positive"] },
        reward: { perItem: "0.001" },
        deadline: "7d",
        gold: { minAccuracy: 80, challengeWindow: "1h" },
      },
      now,
    );
    const stages: PostStage[] = [];
    const kept: (bigint | undefined)[] = [];
    const signMessage = (message: string) => requesterWallet.signMessage({ message });
    // A gold answer for a class the task does not have stops the post before anything is sent.
    await assert.rejects(
      postTask({
        client: requester,
        deployment: d as never,
        spec,
        manifest,
        signMessage,
        gold: [{ item: 0, label: "spam" }],
      }),
      /"spam" is not one of the classes/,
    );
    const posted = await postTask({
      client: requester,
      deployment: d as never,
      spec,
      manifest,
      signMessage,
      gold: [{ item: "review 1", label: "positive" }],
      keepGold: async (_o, taskId) => {
        kept.push(taskId);
      },
      onStage: (x) => stages.push(x),
      vaultUrl: "http://127.0.0.1:8788",
    });
    assert.deepEqual(stages, ["check", "key", "gold", "create"]);
    assert.ok(POST_STAGES.includes("upload"), "upload is a stage, skipped without an upload callback");
    assert.deepEqual(kept, [undefined, posted.taskId], "openings are kept before the task exists, then with its id");
    const t = await requester.getTask(posted.taskId);
    assert.equal(t.goldRoot, posted.goldRoot);
    assert.deepEqual([t.pkR[0], t.pkR[1]], [posted.key.pkR[0], posted.key.pkR[1]]);
    const info = await readTaskInfo(
      escrowReader({ client: publicClient as never, address: d.escrow, fromBlock: 0n }),
      posted.taskId,
    );
    assert.equal(info.itemCount, 100);
    // A group that does not exist is refused in the check stage, before any signature.
    await assert.rejects(
      postTask({
        client: requester,
        deployment: d as never,
        spec: { ...spec, workerGroupId: 7n },
        manifest,
        signMessage: () => assert.fail("no signature before the checks pass"),
        gold: [{ item: 0, label: "positive" }],
      }),
      /worker group 7 does not exist/,
    );
  });

  it("refuses, before signing, a task against a registry that changed and a submission that could land after the close", async () => {
    const { d, requester, worker, manifest } = await setup();
    const spec = resolveTaskSpec(
      {
        title: "t",
        instructions: "i",
        rule: { type: "classification", classes: ["negative", "neutral", "positive"] },
        reward: { perItem: "0.001" },
        deadline: "7d",
      },
      Number((await publicClient.getBlock()).timestamp),
    );
    const key = { pkR: DEMO_REQUESTER_KEY.pkR, pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8 };
    const shown = expectedRuleEntry(d, 1);
    await assert.rejects(
      requester.createTask({ spec, manifest, ...key, rule: { ...shown, verifier: d.groups as `0x${string}` } }),
      (e: unknown) =>
        e instanceof ContractError && e.errorName === "RuleVerifierMismatch" && /registry changed/.test(e.message),
    );
    const { taskId } = await requester.createTask({ spec, manifest, ...key, rule: shown });
    const me = new Identity("sdk client late worker");
    await worker.joinOpenGroup(me.commitment);
    const info = await readTaskInfo(
      escrowReader({ client: publicClient as never, address: d.escrow, fromBlock: 0n }),
      taskId,
    );
    const proof = await proveBatch({ ...batchOne(d, info, manifest, me), labels: batchOneLabels() });
    assert.equal(await worker.cannotStartBatch(taskId), undefined);
    await requester.cancel(taskId);
    assert.match((await worker.cannotStartBatch(taskId)) ?? "", /cancelled this task: it closes at/);
    // Fifty seconds before the close: the labels would be public before the batch could be paid.
    const t = await worker.getTask(taskId);
    await networkHelpers.time.increaseTo(BigInt(t.closesAt) - 50n);
    await assert.rejects(worker.submitBatch(taskId, 1, proof), (e: unknown) => {
      assert.ok(e instanceof ContractError);
      assert.match(e.message, /^not submitted \(your labels stay with you\): the task closes at .* public without pay/);
      return true;
    });
    const events = await publicClient.getContractEvents({
      address: d.escrow as `0x${string}`,
      abi: escrowAbi,
      eventName: "BatchSubmitted",
    });
    assert.equal(events.length, 0, "nothing was broadcast");
  });
});
