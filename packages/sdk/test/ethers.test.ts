import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Identity } from "@zklabel/core/identity";
import { deployZkLabel } from "@zklabel/testkit/repo";
import { BrowserProvider, Wallet } from "ethers";
import { network } from "hardhat";
import { ZkLabelClient } from "../src/client.ts";
import { publicClientFromEthers, walletClientFromEthers } from "../src/ethers.ts";

// Hardhat's default account #5 (a public test key).
const KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

describe("ethers v6 adapter", () => {
  it("drives ZkLabelClient with an ethers provider and Wallet: signs, sends, reads, explains reverts", async () => {
    const connection = await network.create();
    const { viem, provider } = connection;
    const d = await deployZkLabel(connection);
    const ethersProvider = new BrowserProvider(provider as never);
    const signer = new Wallet(KEY, ethersProvider);
    const client = new ZkLabelClient({
      publicClient: await publicClientFromEthers(ethersProvider),
      wallet: (await walletClientFromEthers(signer, ethersProvider)) as never,
      contracts: { escrow: d.escrow, groups: d.groups, chainId: d.chainId },
    });
    const id = new Identity("ethers adapter");
    await client.joinOpenGroup(id.commitment);
    const groups = await viem.getContractAt("WorkerGroups", d.groups);
    assert.equal(await groups.read.groupSize([0n]), 1n, "the ethers-signed transaction landed");
    assert.equal(await client.credits(signer.address as `0x${string}`), 0n);
    await assert.rejects(client.joinOpenGroup(id.commitment), /already a member of the group\. \[LeafAlreadyExists\]/);
    await assert.rejects(client.withdraw(signer.address as `0x${string}`), /There is nothing to withdraw/);
  });
});
