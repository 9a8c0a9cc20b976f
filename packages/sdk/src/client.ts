/**
 * The contract client (browser and Node, on viem): every escrow and worker-group action a
 * requester, worker or relayer takes. Each write is simulated first, so a revert comes back
 * before anything is signed, as a ContractError that says in words what went wrong.
 */
import { type DeploymentFile, type RuleEntry, sameRuleEntry } from "@zklabel/core/deployment";
import { cannotStartBatch, cannotSubmit } from "@zklabel/core/lifecycle";
import type { ProofWords } from "@zklabel/core/proof";
import type { Account, Address, Chain, Hash, PublicClient, Transport, WalletClient } from "viem";
import { decodeEventLog, erc20Abi, type TransactionReceipt, zeroAddress } from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import { groupsAbi } from "./abi-groups.ts";
import type { Manifest } from "./dataset.ts";
import { ContractError, describeError } from "./errors.ts";
import type { ResolvedSpec } from "./spec.ts";
import { type SignedWithdrawal, signWithdrawal, withdrawalNonce, withdrawDomain } from "./withdraw.ts";

type Wallet = WalletClient<Transport, Chain | undefined, Account>;

/** The mint function of the test tokens the development deployment ships (contracts/test/TestTokens.sol). */
const TEST_TOKEN_MINT_ABI = [
  {
    type: "function",
    name: "mint",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
] as const;

/** The deployed contracts a client talks to. */
export type Contracts = Pick<DeploymentFile, "escrow" | "groups" | "chainId">;

/** A proof ready to submit, as the prover returns it. */
export interface SubmittableProof {
  proof: ProofWords | readonly bigint[];
  publicSignals: readonly bigint[];
}

/** zkLabel's contracts on viem: every write simulated first, every failure a ContractError in words. */
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
      throw new ContractError(
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
            goldThreshold: s.goldThreshold,
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
    return { taskId: taskIdFromReceipt(receipt, this.escrow), hash };
  }

  /** The number of worker groups (ids 0 to count - 1; 0 is the open group). */
  groupCount(): Promise<bigint> {
    return this.read(() =>
      this.publicClient.readContract({ address: this.groups, abi: groupsAbi, functionName: "groupCount" }),
    );
  }

  /** What `account` holds of `token` (zero address = ETH). */
  balanceOf(account: Address, token: Address = zeroAddress): Promise<bigint> {
    return this.read(() =>
      token === zeroAddress
        ? this.publicClient.getBalance({ address: account })
        : this.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] }),
    );
  }

  /** Approves the escrow to take `amount` of `token` from the wallet, unless it may already. */
  async approveEscrow(token: Address, amount: bigint): Promise<Hash | null> {
    const owner = this.wallet?.account.address;
    if (owner) {
      const allowance = await this.read(() =>
        this.publicClient.readContract({
          address: token,
          abi: erc20Abi,
          functionName: "allowance",
          args: [owner, this.escrow],
        }),
      );
      if (allowance >= amount) return null;
    }
    return this.write(
      { address: token, abi: erc20Abi, functionName: "approve", args: [this.escrow, amount] },
      "approve the escrow to take the task's funding",
    );
  }

  /** Tops a task up by `amount` (token units); ETH tasks send it as value. */
  topUp(taskId: bigint, amount: bigint, eth: boolean): Promise<Hash> {
    return this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "topUp",
        args: [taskId, amount],
        value: eth ? amount : 0n,
      },
      "top the task up",
    );
  }

  /**
   * Development chains only: mints `amount` of the deployment's test ERC-20 (contracts/test/TestTokens.sol,
   * which lets anyone mint) to `to`, so a token task can be tried without a faucet.
   */
  mintTestToken(token: Address, to: Address, amount: bigint): Promise<Hash> {
    return this.write(
      { address: token, abi: TEST_TOKEN_MINT_ABI, functionName: "mint", args: [to, amount] },
      "mint test tokens",
    );
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
      throw new ContractError(
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

  /**
   * Submits one batch (the sender relays it and earns the proof's relayer fee). `onSent` hears the
   * transaction's hash once the wallet has broadcast it, before it is mined (a UI shows "mining").
   */
  async submitBatch(
    taskId: bigint,
    batchIndex: number,
    p: SubmittableProof,
    opts: { onSent?(hash: Hash): void } = {},
  ): Promise<Hash> {
    await this.assertSubmittable(taskId);
    return this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "submitBatch",
        args: [taskId, BigInt(batchIndex), p.proof as ProofWords, p.publicSignals],
      },
      `submit batch ${batchIndex}`,
      opts.onSent,
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

  /**
   * Requester: rejects a pending batch with a rejection proof (review.ts proveRejection), while its
   * challenge window is open. The reward returns to the task and the batch reopens.
   */
  rejectBatch(
    taskId: bigint,
    batch: { batchIndex: number; nullifier: bigint; labelsCommitment: bigint },
    p: { proof: readonly bigint[]; bound: number },
    opts: { onSent?(hash: Hash): void } = {},
  ): Promise<Hash> {
    return this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "rejectBatch",
        args: [
          taskId,
          BigInt(batch.batchIndex),
          batch.nullifier,
          batch.labelsCommitment,
          p.bound,
          p.proof as ProofWords,
        ],
      },
      `reject batch ${batch.batchIndex}`,
      opts.onSent,
    );
  }

  /** Whether a rejection spent this nullifier: a worker's proof carrying it is refused. */
  isNullifierSpent(nullifier: bigint): Promise<boolean> {
    return this.read(() =>
      this.publicClient.readContract({
        address: this.escrow,
        abi: escrowAbi,
        functionName: "isNullifierSpent",
        args: [nullifier],
      }),
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
      rejectVerifier: r.rejectVerifier,
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

  /**
   * Anyone, once the task is closed with no batch pending and at least one verified: records it as
   * complete (TaskCompleted; docs/protocol.md §5.7a). A task whose every batch is verified is complete already.
   */
  complete(taskId: bigint): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "complete", args: [taskId] },
      "mark the task complete",
    );
  }

  /** Withdraws the caller's credit in `token` (zero address = ETH) to `to`. */
  withdraw(to: Address, token: Address = zeroAddress): Promise<Hash> {
    return this.write(
      { address: this.escrow, abi: escrowAbi, functionName: "withdraw", args: [token, to] },
      "withdraw",
    );
  }

  /**
   * Signs a gasless withdrawal of `account`'s credit (withdraw.ts signWithdrawal) with this client's
   * chain and escrow. Sends nothing: a relayer submits it with withdrawWithSignature.
   */
  signWithdrawal(
    args: Omit<Parameters<typeof signWithdrawal>[0], "publicClient" | "escrow">,
  ): Promise<SignedWithdrawal> {
    return signWithdrawal({ ...args, publicClient: this.publicClient, escrow: this.escrow });
  }

  /**
   * Relayer: submits a withdrawal another account signed. The escrow sends `amount - fee` to its
   * `to` and credits `fee` to this client's wallet (withdraw it like any credit). Refused first,
   * without signing a transaction, if the signature is for another escrow or chain.
   */
  async withdrawWithSignature(signed: SignedWithdrawal, opts: { onSent?(hash: Hash): void } = {}): Promise<Hash> {
    const domain = await withdrawDomain(this.publicClient, this.escrow);
    if (domain.chainId !== signed.domain.chainId || domain.verifyingContract !== signed.domain.verifyingContract) {
      throw new ContractError(
        `not submitted: the withdrawal was signed for escrow ${signed.domain.verifyingContract} on chain ${signed.domain.chainId}, this client talks to ${domain.verifyingContract} on chain ${domain.chainId}`,
        undefined,
        { code: "wrong_task" },
      );
    }
    return this.write(
      {
        address: this.escrow,
        abi: escrowAbi,
        functionName: "withdrawWithSignature",
        args: [signed.message, signed.signature],
      },
      "submit the signed withdrawal",
      opts.onSent,
    );
  }

  /** The nonce the account's next signed withdrawal must carry (one up per signed withdrawal used). */
  withdrawalNonce(account: Address): Promise<bigint> {
    return withdrawalNonce(this.publicClient, this.escrow, account);
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
      throw new ContractError(d.message, d.errorName, { cause: e, code: d.code });
    }
  }

  /** Simulates, then sends (`onSent` hears the hash) and waits for a successful receipt; every failure becomes a ContractError. */
  private async write(call: Record<string, unknown>, what: string, onSent?: (hash: Hash) => void): Promise<Hash> {
    const wallet = this.wallet;
    if (!wallet)
      throw new ContractError(`cannot ${what}: this client has no wallet (it was made for reading)`, undefined, {
        code: "no_wallet",
      });
    try {
      const { request } = await this.publicClient.simulateContract({ ...call, account: wallet.account } as never);
      const hash = await wallet.writeContract(request as never);
      onSent?.(hash);
      const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success")
        throw new ContractError(`could not ${what}: transaction ${hash} reverted`, undefined);
      return hash;
    } catch (e) {
      if (e instanceof ContractError) throw e;
      const d = describeError(e);
      throw new ContractError(`could not ${what}: ${d.message}`, d.errorName, { cause: e, code: d.code });
    }
  }

  /** A batch's state (0 open, 1 pending, 2 verified) and its pending submission (submittedAt, recipient, ...). */
  async batchState(taskId: bigint, batchIndex: number) {
    const [state, pending] = await this.read(() =>
      this.publicClient.readContract({
        address: this.escrow,
        abi: escrowAbi,
        functionName: "batchState",
        args: [taskId, BigInt(batchIndex)],
      }),
    );
    return { state, pending };
  }
}

/** The id of the task a createTask transaction made, from its TaskCreated event. */
export function taskIdFromReceipt(receipt: TransactionReceipt, escrow: Address): bigint {
  for (const l of receipt.logs) {
    if (l.address.toLowerCase() !== escrow.toLowerCase()) continue;
    try {
      const e = decodeEventLog({ abi: escrowAbi, data: l.data, topics: l.topics });
      if (e.eventName === "TaskCreated") return e.args.taskId;
    } catch {}
  }
  throw new ContractError(
    `transaction ${receipt.transactionHash} created no task: it has no TaskCreated event of escrow ${escrow}`,
    undefined,
  );
}
