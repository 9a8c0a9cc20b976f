/**
 * The contract client (browser and Node, on viem): every escrow and worker-group action a
 * requester, worker or relayer takes. Each write is simulated first, so a revert comes back
 * before anything is signed, as a ZkLabelError that says in words what went wrong.
 */
import type { DeploymentFile } from "@zklabel/core/deployment";
import type { ProofWords } from "@zklabel/core/proof";
import type { Account, Address, Chain, Hash, PublicClient, Transport, WalletClient } from "viem";
import { zeroAddress } from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import { groupsAbi } from "./abi-groups.ts";
import type { Manifest } from "./dataset.ts";
import { describeError } from "./errors.ts";
import type { ResolvedSpec } from "./spec.ts";

/** A failed contract call or wallet request, in words; `errorName` is the contract's custom error, if any. */
export class ZkLabelError extends Error {
  override name = "ZkLabelError";
  readonly errorName: string | undefined;
  constructor(message: string, errorName: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.errorName = errorName;
  }
}

type Wallet = WalletClient<Transport, Chain | undefined, Account>;

/** The deployed contracts a client talks to. */
export type Contracts = Pick<DeploymentFile, "escrow" | "groups" | "chainId">;

/** A proof ready to submit, as the prover returns it. */
export interface SubmittableProof {
  proof: ProofWords | readonly bigint[];
  publicSignals: readonly bigint[];
}

/** zkLabel's contracts on viem: every write simulated first, every failure a ZkLabelError in words. */
export class ZkLabelClient {
  readonly publicClient: PublicClient;
  readonly wallet: Wallet | undefined;
  readonly escrow: Address;
  readonly groups: Address;

  /** `wallet` may be left out for reading only. */
  constructor(opts: { publicClient: PublicClient; wallet?: Wallet; contracts: Contracts }) {
    this.publicClient = opts.publicClient;
    this.wallet = opts.wallet;
    this.escrow = opts.contracts.escrow as Address;
    this.groups = opts.contracts.groups as Address;
  }

  /** Creates and funds a task from a resolved spec and a dataset manifest; returns its id. */
  async createTask(args: {
    spec: ResolvedSpec;
    manifest: Manifest;
    pkR: readonly [bigint, bigint];
    goldRoot?: bigint;
    /** Amount to lock now (token units, e.g. wei); everything (itemCount * reward) when absent. */
    funding?: bigint;
    metadataHash?: `0x${string}`;
  }): Promise<{ taskId: bigint; hash: Hash }> {
    const s = args.spec;
    const funding = args.funding ?? s.rewardPerItem * BigInt(args.manifest.count);
    const hash = await this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "createTask",
        args: [
          {
            token: s.token,
            ruleId: s.ruleId,
            ruleParams: s.ruleParams as unknown as readonly [bigint, bigint, bigint, bigint],
            datasetRoot: BigInt(args.manifest.root),
            itemCount: args.manifest.count,
            pkR: args.pkR,
            goldRoot: args.goldRoot ?? 0n,
            minAccuracy: s.minAccuracy,
            challengeWindow: s.challengeWindow,
            workerGroupId: s.workerGroupId,
            rewardPerItem: s.rewardPerItem,
            deadline: s.deadline,
            funding,
            metadataURI: s.spec.metadataURI ?? "",
            metadataHash: args.metadataHash ?? `0x${"00".repeat(32)}`,
          },
        ],
        value: s.token === zeroAddress ? funding : 0n,
      },
      "create the task",
    );
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
    const taskId = receipt.logs
      .filter((l) => l.address.toLowerCase() === this.escrow.toLowerCase())
      .map((l) => l.topics[1])
      .find((t) => t !== undefined);
    if (taskId === undefined)
      throw new ZkLabelError(`the task was created (${hash}) but its id was not in the receipt`, undefined);
    return { taskId: BigInt(taskId), hash };
  }

  /** Adds the caller's identity commitment to the open worker group. */
  joinOpenGroup(commitment: bigint): Promise<Hash> {
    return this.write(
      { address: this.groups, abi: groupsAbi, functionName: "joinOpenGroup", args: [commitment] },
      "join the open group",
    );
  }

  /** Submits one batch (the sender relays it and earns the proof's relayer fee). */
  submitBatch(taskId: bigint, batchIndex: number, p: SubmittableProof): Promise<Hash> {
    return this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "submitBatch",
        args: [taskId, BigInt(batchIndex), p.proof as ProofWords, p.publicSignals],
      },
      `submit batch ${batchIndex}`,
    );
  }

  /** Submits several batches of one task under one batch-verified check. */
  submitBatches(taskId: bigint, batches: { batchIndex: number; proof: SubmittableProof }[]): Promise<Hash> {
    return this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "submitBatches",
        args: [
          taskId,
          batches.map((b) => BigInt(b.batchIndex)),
          batches.map((b) => b.proof.proof as ProofWords),
          batches.flatMap((b) => b.proof.publicSignals),
        ],
      },
      `submit batches ${batches.map((b) => b.batchIndex).join(", ")}`,
    );
  }

  /** Verifies pending batches whose challenge window has ended (anyone may). */
  finalize(taskId: bigint, batchIndexes: number[]): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "finalize", args: [taskId, batchIndexes.map(BigInt)] },
      "finalize",
    );
  }

  /** Requester: stops the task and refunds what is not reserved. */
  cancel(taskId: bigint): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "cancel", args: [taskId] },
      "cancel the task",
    );
  }

  /** Requester, after cancel or the deadline: refunds what is not reserved. */
  refund(taskId: bigint): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "refund", args: [taskId] },
      "refund the task",
    );
  }

  /** Withdraws the caller's credit in `token` (zero address = ETH) to `to`. */
  withdraw(to: Address, token: Address = zeroAddress): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "withdraw", args: [token, to] },
      "withdraw",
    );
  }

  /** The stored task. */
  getTask(taskId: bigint) {
    return this.read(() =>
      this.publicClient.readContract({ address: this.escrow, abi: escrowAbi, functionName: "getTask", args: [taskId] }),
    );
  }

  /** An account's unwithdrawn credit in `token`. */
  credits(account: Address, token: Address = zeroAddress): Promise<bigint> {
    return this.read(() =>
      this.publicClient.readContract({
        address: this.escrow,
        abi: escrowAbi,
        functionName: "credits",
        args: [token, account],
      }),
    );
  }

  private async read<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      const d = describeError(e);
      throw new ZkLabelError(d.message, d.errorName, { cause: e });
    }
  }

  /** Simulates, then sends and waits for a successful receipt; every failure becomes a ZkLabelError. */
  private async write(call: Record<string, unknown>, what: string): Promise<Hash> {
    const wallet = this.wallet;
    if (!wallet)
      throw new ZkLabelError(`cannot ${what}: this client has no wallet (it was made for reading)`, undefined);
    try {
      const { request } = await this.publicClient.simulateContract({ ...call, account: wallet.account } as never);
      const hash = await wallet.writeContract(request as never);
      const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success")
        throw new ZkLabelError(`could not ${what}: transaction ${hash} reverted`, undefined);
      return hash;
    } catch (e) {
      if (e instanceof ZkLabelError) throw e;
      const d = describeError(e);
      throw new ZkLabelError(`could not ${what}: ${d.message}`, d.errorName, { cause: e });
    }
  }
}
