/**
 * A relayer process killed (SIGKILL, no cleanup) between accepting a proof and submitting it:
 * started again on the same queue file, it submits the proof and the worker is paid.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { type DeploymentFile, expectedRuleEntry } from "@zklabel/core/deployment";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { payeeAddress } from "@zklabel/core/payee";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { deployedCircuit } from "@zklabel/core/registry";
import { ZkLabelClient } from "@zklabel/sdk/client";
import { buildDataset } from "@zklabel/sdk/dataset";
import { proveBatch } from "@zklabel/sdk/prove";
import { RelayerClient } from "@zklabel/sdk/relayer";
import { resolveTaskSpec } from "@zklabel/sdk/spec";
import { escrowReader, readTaskInfo } from "@zklabel/sdk/task-info";
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http, zeroAddress } from "viem";
import { rpcCall, startRelayerProcess, startTestChain } from "../helpers/chain.ts";
import { artifacts, DEMO_REQUESTER_KEY } from "../helpers/classification.ts";

let dir: string;
let chain: Awaited<ReturnType<typeof startTestChain>>;
after(releaseSnarkjs);

before(
  async () => {
    dir = await mkdtemp(join(tmpdir(), "zklabel-relayer-restart-"));
    chain = await startTestChain(dir);
  },
  { timeout: 120_000 },
);
after(async () => {
  chain?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("relayer crash", { timeout: 300_000 }, () => {
  it("a proof accepted before a SIGKILL is submitted after the restart, and the worker is paid", async () => {
    const d = JSON.parse(await readFile(chain.deploymentFile, "utf8")) as DeploymentFile;
    const viemChain = defineChain({
      id: d.chainId,
      name: "local",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [chain.rpc] } },
    });
    const publicClient = createPublicClient({ chain: viemChain, transport: http(chain.rpc) });
    const [requesterAccount] = (await rpcCall(chain.rpc, "eth_accounts")) as Hex[];
    const contracts = { escrow: d.escrow, groups: d.groups, chainId: d.chainId };
    const requester = new ZkLabelClient({
      publicClient: publicClient as never,
      wallet: createWalletClient({ account: requesterAccount, chain: viemChain, transport: http(chain.rpc) }) as never,
      contracts,
    });
    const circuit = deployedCircuit("classification");
    const enc = new TextEncoder();
    const items = demoItems(64).map((x, i) => ({ name: `k-${i}.txt`, bytes: enc.encode(`restart ${i} ${x.text}`) }));
    const { manifest } = buildDataset(items, { depth: circuit.params.DEPTH, batchSize: circuit.params.N });
    const now = Number((await publicClient.getBlock()).timestamp);
    const spec = resolveTaskSpec(
      {
        title: "restart",
        instructions: "i",
        rule: { type: "classification", classes: ["a", "b", "c"] },
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
      rule: expectedRuleEntry(d, 1),
    });
    const task = await readTaskInfo(
      escrowReader({ client: publicClient as never, address: d.escrow as Address, fromBlock: 0n }),
      created.taskId,
    );
    const db = join(dir, "queue.sqlite");
    // First life: it waits an hour for company before sending, so the proof stays queued.
    const first = await startRelayerProcess(chain.deploymentFile, db, ["--max-wait", "3600"]);
    const relayer = new RelayerClient(first.url);
    const me = new Identity("restart worker");
    await new RelayerClient(first.url).join(me.commitment);
    const info = await relayer.info();
    const payee = payeeAddress(me, {
      chainId: BigInt(d.chainId),
      escrow: d.escrow as Address,
      taskId: created.taskId,
      batchIndex: 0,
    });
    const proof = await proveBatch({
      task,
      chainId: BigInt(d.chainId),
      escrow: d.escrow as Address,
      dataset: manifest,
      batchIndex: 0,
      labels: Array.from({ length: 64 }, (_, i) => i % 3),
      identity: me,
      group: workerGroup([me.commitment]),
      recipient: payee,
      relayerFeeBps: info.minFeeBps,
      salt: 77n,
      artifacts: artifacts(circuit.name),
    });
    const ticket = await relayer.submit({
      taskId: created.taskId,
      batchIndex: 0,
      proof: proof.proof,
      publicInputs: proof.publicSignals,
    });
    assert.equal(ticket.status, "queued");
    await first.kill();
    assert.equal((await requester.batchState(created.taskId, 0)).state, 0, "nothing was submitted before the kill");
    // Second life on the same queue file, with a short wait: the queued proof goes out.
    const second = await startRelayerProcess(chain.deploymentFile, db, ["--max-wait", "1"]);
    try {
      const done = await new RelayerClient(second.url).wait(ticket.id, { intervalMs: 200, timeoutMs: 60_000 });
      assert.equal(done.status, "verified", JSON.stringify(done));
      const reward = 64n * 10n ** 15n;
      assert.equal(await requester.credits(payee, zeroAddress), reward - (reward * BigInt(info.minFeeBps)) / 10_000n);
    } finally {
      await second.stop();
    }
  });
});
