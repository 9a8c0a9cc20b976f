import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { network } from "hardhat";
import { groupEventsOf, readWorkerGroup, workerGroupsReader } from "../src/events.ts";

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [admin] = await viem.getWalletClients();
const ids = Array.from({ length: 9 }, (_, i) => new Identity(`sdk events ${i}`));

describe("event reader", () => {
  it("pages through block ranges, rebuilds groups root by root, and reads only new blocks next time", async () => {
    const t3 = await viem.deployContract("PoseidonT3");
    const groups = await viem.deployContract("WorkerGroups", [3600n, 20], { libraries: { PoseidonT3: t3.address } });
    const fromBlock = await publicClient.getBlockNumber();
    for (const id of ids.slice(0, 5)) await groups.write.joinOpenGroup([id.commitment]);
    await groups.write.createGroup({ account: admin.account });
    for (const id of ids.slice(5, 8)) await groups.write.addMember([1n, id.commitment]);
    const curated = workerGroup(ids.slice(5, 8).map((x) => x.commitment));
    await groups.write.removeMember([1n, ids[6].commitment, curated.generateProof(1).siblings]);

    const reader = workerGroupsReader({ client: publicClient, address: groups.address, fromBlock, maxRange: 2n });
    const open = await readWorkerGroup(reader, 0n);
    assert.equal(open.root, await groups.read.groupRoot([0n]));
    assert.equal((await readWorkerGroup(reader, 1n)).root, await groups.read.groupRoot([1n]));
    assert.equal(groupEventsOf(await reader.read(), 1n).at(-1)?.kind, "removed");
    const firstRequests = reader.requests;
    assert.ok(firstRequests >= 5, `paged in ranges of 2 blocks (${firstRequests} requests)`);

    await groups.write.joinOpenGroup([ids[8].commitment]);
    assert.equal((await readWorkerGroup(reader, 0n)).root, await groups.read.groupRoot([0n]));
    assert.ok(reader.requests - firstRequests <= 2, "the second read asked only for the new blocks");
  });

  it("halves the range when the node refuses a span as too large", async () => {
    let calls = 0;
    const client = {
      getBlockNumber: async () => 100n,
      getContractEvents: async (args: { fromBlock?: unknown; toBlock?: unknown }) => {
        calls++;
        if (Number(args.toBlock) - Number(args.fromBlock) + 1 > 10) throw new Error("block range is too large");
        return [];
      },
    };
    const reader = workerGroupsReader({
      client: client as never,
      address: "0x0000000000000000000000000000000000000001",
      fromBlock: 1n,
      maxRange: 64n,
    });
    let done = 0n;
    await reader.read(undefined, (b) => {
      done = b;
    });
    assert.equal(done, 100n);
    assert.ok(calls > 10, "it kept going in smaller ranges");
  });
});
