/**
 * The contract client (browser and Node, on viem): every escrow and worker-group action a
 * requester, worker or relayer takes. Each write is simulated first, so a revert comes back
 * before anything is signed, as a ZkLabelError that says in words what went wrong.
 */
import { type DeploymentFile, type RuleEntry, sameRuleEntry } from "@zklabel/core/deployment";
import { cannotStartBatch, cannotSubmit } from "@zklabel/core/lifecycle";
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

  /**
   * Creates and funds a task from a resolved spec and a dataset manifest; returns its id.
   * `rule` is the verifier entry the requester was shown (core expectedRuleEntry of the deployment):
   * it is checked against the registry first, and the escrow reverts if the registry holds another
   * one when the transaction is mined (a registry swap cannot slip under the task).
   */
  async createTask(args: {
    spec: ResolvedSpec;
    manifest: Manifest;
    pkR: readonly [bigint, bigint];
    /** 8 * pkRDiv8 = pkR (core RequesterKey.pkRDiv8): the escrow's subgroup check. */
    pkRDiv8: readonly [bigint, bigint];
    rule: RuleEntry;
    goldRoot?: bigint;
    /** Amount to lock now (token units, e.g. wei); everything (itemCount * reward) when absent. */
    funding?: bigint;
    metadataHash?: `0x${string}`;
  }): Promise<{ taskId: bigint; hash: Hash }> {
    const s = args.spec;
    const registered = await this.ruleEntry(s.ruleId);
    if (!sameRuleEntry(registered, args.rule)) {
      throw new ZkLabelError(
        `could not create the task: the escrow's registry holds verifier ${registered.verifier} for rule ${s.ruleId}, not the ${args.rule.verifier} you were shown. The registry changed: check the new verifier and update the deployment file before posting.`,
        "RuleVerifierMismatch",
      );
    }
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
            pkRDiv8: args.pkRDiv8,
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
          args.rule,
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

  /**
   * Refuses (before anything is broadcast) a submission that could be mined after the task closes:
   * its calldata would show the labels to the requester without pay (core lifecycle cannotSubmit).
   */
  async assertSubmittable(taskId: bigint): Promise<void> {
    const [t, block] = await Promise.all([this.getTask(taskId), this.read(() => this.publicClient.getBlock())]);
    const why = cannotSubmit(t, Number(block.timestamp));
    if (why) {
      throw new ZkLabelError(
        `not submitted (your labels stay with you): ${why}.`,
        t.cancelled ? "TaskCancelledAlready" : "TaskExpired",
      );
    }
  }

  /** Why no new batch of this task should be started now (core lifecycle cannotStartBatch), or undefined. */
  async cannotStartBatch(taskId: bigint): Promise<string | undefined> {
    const [t, block] = await Promise.all([this.getTask(taskId), this.read(() => this.publicClient.getBlock())]);
    return cannotStartBatch(t, Number(block.timestamp));
  }

  /** Submits one batch (the sender relays it and earns the proof's relayer fee). */
  async submitBatch(taskId: bigint, batchIndex: number, p: SubmittableProof): Promise<Hash> {
    await this.assertSubmittable(taskId);
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

  /**
   * Submits several batches of one task under one batch-verified check. Batches another transaction
   * accepted first are skipped by the escrow (BatchSkipped events), not made to revert the rest.
   */
  async submitBatches(taskId: bigint, batches: { batchIndex: number; proof: SubmittableProof }[]): Promise<Hash> {
    await this.assertSubmittable(taskId);
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

  /** The verifier entry the escrow's registry holds for a rule now (new tasks copy it). */
  async ruleEntry(ruleId: number): Promise<RuleEntry> {
    const r = await this.read(() =>
      this.publicClient.readContract({
        address: this.escrow,
        abi: escrowAbi,
        functionName: "ruleVerifier",
        args: [ruleId],
      }),
    );
    return {
      verifier: r.verifier,
      batchSize: r.batchSize,
      datasetDepth: r.datasetDepth,
      publicInputCount: r.publicInputCount,
      batchVerifier: r.batchVerifier,
    };
  }

  /**
   * Requester: closes the task after the escrow's notice period (CANCEL_NOTICE): batches submitted
   * until then are still accepted and paid; `refund` returns the rest after it.
   */
  cancel(taskId: bigint): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "cancel", args: [taskId] },
      "cancel the task",
    );
  }

  /** Requester, once the task is closed (past its closing time after a cancel, or its deadline): refunds what is not reserved. */
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
