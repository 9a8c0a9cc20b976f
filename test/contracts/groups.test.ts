import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { type GroupEvent, groupFromEvents, membershipWitness, workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { network } from "hardhat";
import { checkGasSnapshot } from "../helpers/gas.ts";

const GRACE = 3600n;
const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const [deployer, admin, stranger] = await viem.getWalletClients();
const gasUsed: Record<string, bigint> = {};
const ids = Array.from({ length: 6 }, (_, i) => new Identity(`group member ${i}`));

describe("WorkerGroups", () => {
  let groups: Awaited<ReturnType<typeof viem.deployContract<"WorkerGroups">>>;

  before(async () => {
    const t3 = await viem.deployContract("PoseidonT3");
    groups = await viem.deployContract("WorkerGroups", [GRACE, 20], { libraries: { PoseidonT3: t3.address } });
  });

  it("anyone joins the open group, and the on-chain root is the TypeScript LeanIMT's root", async () => {
    for (const [i, id] of ids.slice(0, 3).entries()) {
      const hash = await groups.write.joinOpenGroup([id.commitment], {
        account: [deployer, admin, stranger][i].account,
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      gasUsed.joinGroup = receipt.gasUsed;
    }
    const local = workerGroup(ids.slice(0, 3).map((x) => x.commitment));
    assert.equal(await groups.read.groupRoot([0n]), local.root);
    assert.equal(await groups.read.groupSize([0n]), 3n);
    // A member's witness for the circuits is made against that same root.
    assert.equal(membershipWitness(local, ids[1].commitment).groupRoot, await groups.read.groupRoot([0n]));
    const events = await groups.getEvents.MemberAdded({ groupId: 0n }, { fromBlock: 0n });
    assert.deepEqual(
      events.map((e) => e.args.identityCommitment),
      ids.slice(0, 3).map((x) => x.commitment),
    );
  });

  it("refuses a commitment twice, zero, or outside the field", async () => {
    await viem.assertions.revertWithCustomError(
      groups.write.joinOpenGroup([ids[0].commitment]),
      groups,
      "LeafAlreadyExists",
    );
    await viem.assertions.revertWithCustomError(groups.write.joinOpenGroup([0n]), groups, "LeafCannotBeZero");
    await viem.assertions.revertWithCustomError(
      groups.write.joinOpenGroup([SNARK_SCALAR_FIELD]),
      groups,
      "LeafGreaterThanSnarkScalarField",
    );
  });

  it("keeps a replaced root valid for the grace period counted from its replacement, however old it is", async () => {
    const old = await groups.read.groupRoot([0n]);
    // The group sits idle far longer than the grace period: its current root stays valid.
    await networkHelpers.time.increase(10n * GRACE);
    assert.equal(await groups.read.isValidRoot([0n, old]), true);
    await groups.write.joinOpenGroup([ids[3].commitment]);
    assert.notEqual(await groups.read.groupRoot([0n]), old);
    assert.equal(await groups.read.isValidRoot([0n, old]), true, "just replaced: still in its grace period");
    await networkHelpers.time.increase(GRACE - 5n);
    assert.equal(await groups.read.isValidRoot([0n, old]), true);
    await networkHelpers.time.increase(10n);
    assert.equal(await groups.read.isValidRoot([0n, old]), false, "past the grace period");
    assert.equal(await groups.read.isValidRoot([0n, 12345n]), false);
    assert.equal(await groups.read.isValidRoot([0n, 0n]), false);
  });

  it("curated groups: only the admin adds, updates and removes, and roots follow the TypeScript tree", async () => {
    await groups.write.createGroup({ account: admin.account });
    const g = (await groups.read.groupCount()) - 1n;
    assert.equal((await groups.read.admins([g])).toLowerCase(), admin.account.address.toLowerCase());
    await viem.assertions.revertWithCustomErrorWithArgs(
      groups.write.addMember([g, ids[4].commitment], { account: stranger.account }),
      groups,
      "NotGroupAdmin",
      [g, stranger.account.address],
    );
    await viem.assertions.revertWithCustomError(
      groups.write.addMember([0n, ids[4].commitment]),
      groups,
      "NotGroupAdmin",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(groups.write.addMember([99n, 1n]), groups, "GroupNotFound", [
      99n,
    ]);

    for (const id of ids.slice(3)) await groups.write.addMember([g, id.commitment], { account: admin.account });
    const local = workerGroup(ids.slice(3).map((x) => x.commitment));
    assert.equal(await groups.read.groupRoot([g]), local.root);

    const fresh = new Identity("replacement");
    const i = local.indexOf(ids[4].commitment);
    await groups.write.updateMember([g, ids[4].commitment, fresh.commitment, local.generateProof(i).siblings], {
      account: admin.account,
    });
    local.update(i, fresh.commitment);
    assert.equal(await groups.read.groupRoot([g]), local.root);

    const j = local.indexOf(ids[5].commitment);
    await groups.write.removeMember([g, ids[5].commitment, local.generateProof(j).siblings], {
      account: admin.account,
    });
    local.update(j, 0n);
    assert.equal(await groups.read.groupRoot([g]), local.root);
    // Siblings of the right shape but not the tree's are refused, and the root stays.
    const k = local.indexOf(ids[3].commitment);
    const forged = local.generateProof(k).siblings.map((x, n) => (n === 0 ? x + 1n : x));
    await viem.assertions.revertWithCustomError(
      groups.write.removeMember([g, ids[3].commitment, forged], { account: admin.account }),
      groups,
      "WrongSiblingNodes",
    );
    assert.equal(await groups.read.groupRoot([g]), local.root);

    // A worker rebuilds the group from the events alone and gets the same tree.
    const fromChain = groupFromEvents(await readGroupEvents(g));
    assert.equal(fromChain.root, await groups.read.groupRoot([g]));
    assert.deepEqual(fromChain.leaves, local.leaves);
    const events = await readGroupEvents(g);
    assert.throws(() => groupFromEvents(events.slice(1)), /events are missing or out of order/);
    assert.throws(() => groupFromEvents([events[0], events[2], events[1]]), /events are missing or out of order/);
  });

  it("a curated group's admin role moves in two steps and can be renounced, which freezes the group", async () => {
    await groups.write.createGroup({ account: admin.account });
    const g = (await groups.read.groupCount()) - 1n;
    await viem.assertions.revertWithCustomErrorWithArgs(
      groups.write.transferGroupAdmin([g, stranger.account.address], { account: stranger.account }),
      groups,
      "NotGroupAdmin",
      [g, stranger.account.address],
    );
    await viem.assertions.emitWithArgs(
      groups.write.transferGroupAdmin([g, deployer.account.address], { account: admin.account }),
      groups,
      "GroupAdminTransferStarted",
      [g, admin.account.address, deployer.account.address],
    );
    assert.equal((await groups.read.admins([g])).toLowerCase(), admin.account.address.toLowerCase(), "not moved yet");
    await viem.assertions.revertWithCustomErrorWithArgs(
      groups.write.acceptGroupAdmin([g], { account: stranger.account }),
      groups,
      "NotPendingGroupAdmin",
      [g, stranger.account.address],
    );
    await viem.assertions.emitWithArgs(
      groups.write.acceptGroupAdmin([g], { account: deployer.account }),
      groups,
      "GroupAdminChanged",
      [g, admin.account.address, deployer.account.address],
    );
    await viem.assertions.revertWithCustomError(
      groups.write.addMember([g, ids[0].commitment], { account: admin.account }),
      groups,
      "NotGroupAdmin",
    );
    await groups.write.addMember([g, ids[0].commitment], { account: deployer.account });
    await viem.assertions.emitWithArgs(
      groups.write.renounceGroupAdmin([g], { account: deployer.account }),
      groups,
      "GroupAdminChanged",
      [g, deployer.account.address, "0x0000000000000000000000000000000000000000"],
    );
    await viem.assertions.revertWithCustomError(
      groups.write.addMember([g, ids[1].commitment], { account: deployer.account }),
      groups,
      "NotGroupAdmin",
    );
    await viem.assertions.revertWithCustomError(
      groups.write.acceptGroupAdmin([g], { account: deployer.account }),
      groups,
      "NotPendingGroupAdmin",
    );
    await viem.assertions.revertWithCustomError(
      groups.write.transferGroupAdmin([0n, stranger.account.address]),
      groups,
      "NotGroupAdmin",
    );
  });

  async function readGroupEvents(groupId: bigint): Promise<GroupEvent[]> {
    const [added, updated, removed] = await Promise.all([
      groups.getEvents.MemberAdded({ groupId }, { fromBlock: 0n }),
      groups.getEvents.MemberUpdated({ groupId }, { fromBlock: 0n }),
      groups.getEvents.MemberRemoved({ groupId }, { fromBlock: 0n }),
    ]);
    const at = (e: { blockNumber: bigint; logIndex: number }) => e.blockNumber * 100_000n + BigInt(e.logIndex);
    return [
      ...added.map((e) => ({
        at: at(e),
        e: {
          kind: "added",
          index: e.args.index,
          commitment: e.args.identityCommitment,
          root: e.args.root,
        } as GroupEvent,
      })),
      ...updated.map((e) => ({
        at: at(e),
        e: {
          kind: "updated",
          index: e.args.index,
          newCommitment: e.args.newCommitment,
          root: e.args.root,
        } as GroupEvent,
      })),
      ...removed.map((e) => ({
        at: at(e),
        e: { kind: "removed", index: e.args.index, root: e.args.root } as GroupEvent,
      })),
    ]
      .sort((a, b) => (a.at < b.at ? -1 : 1))
      .map((x) => x.e);
  }
});

after(async () => {
  await checkGasSnapshot(gasUsed);
});
