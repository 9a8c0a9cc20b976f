/**
 * A worker's payees on one task (core/payee: one address per batch derived from the identity, or
 * one for the whole task) and their gasless withdrawal through a relayer (docs/protocol.md §5.8,
 * §7.2). The CLI's `zklabel withdraw --task` and the app's earnings panel both use this, so they
 * find the same payees, pay the same fee and refuse the same mistakes.
 */
import type { Identity } from "@zklabel/core/identity";
import { payeeAccount } from "@zklabel/core/payee";
import { type Address, getAddress, zeroAddress } from "viem";
import type { ZkLabelClient } from "./client.ts";
import { ZkLabelError } from "./errors.ts";
import { minimumWithdrawalFee, type RelayerClient } from "./relayer.ts";

/** A payee of the identity with a credit on the task. */
export interface PayeeCredit {
  /** The batch whose payee it is; undefined for the task-wide payee. */
  batchIndex?: number;
  payee: Address;
  amount: bigint;
}

/** The scopes a worker can be paid under on a task: each batch's payee, then the task-wide one. */
function scopes(batchCount: number): (number | undefined)[] {
  return [...Array.from({ length: batchCount }, (_, b) => b), undefined];
}

/**
 * The credits that the task paid to the identity's payees (only those above zero). The addresses
 * are derived locally; only the credit reads go to the chain.
 */
export async function payeeCredits(args: {
  client: ZkLabelClient;
  identity: Pick<Identity, "secretScalar">;
  taskId: bigint;
  /** The task's batch count (read from the chain when omitted). */
  batchCount?: number;
  token?: Address;
}): Promise<PayeeCredit[]> {
  const { client, identity, taskId } = args;
  const token = args.token ?? zeroAddress;
  const chainId = BigInt(await client.publicClient.getChainId());
  let batchCount = args.batchCount;
  if (batchCount === undefined) {
    const t = await client.getTask(taskId);
    batchCount = Math.ceil(Number(t.itemCount) / Number(t.rule.batchSize));
  }
  const all = scopes(batchCount).map((batchIndex) => ({
    batchIndex,
    payee: payeeAccount(identity, { chainId, escrow: client.escrow, taskId, batchIndex }).address,
  }));
  const amounts = await Promise.all(all.map((p) => client.credits(p.payee, token)));
  return all.map((p, i) => ({ ...p, amount: amounts[i] })).filter((p) => p.amount > 0n);
}

/** One payee's relayed withdrawal. */
export interface PayeeWithdrawal extends PayeeCredit {
  /** What reached `to`. */
  paid: bigint;
  fee: bigint;
  txHash: string;
}

/**
 * Withdraws every credit the task paid to the identity's payees to `to`, one signed withdrawal per
 * payee, each submitted by the relayer for its fee: nothing here needs ETH. A payee that fails
 * stops the run with what was already withdrawn in the error's message (the rest stays credited,
 * and running it again takes what is left: a used signature cannot be replayed).
 */
export async function withdrawPayees(args: {
  client: ZkLabelClient;
  relayer: RelayerClient;
  identity: Pick<Identity, "secretScalar">;
  taskId: bigint;
  to: Address;
  token?: Address;
  batchCount?: number;
  /** Seconds the signatures stay valid, from the chain's clock (default 1 hour). */
  validFor?: number;
  onWithdrawn?(w: PayeeWithdrawal): void;
}): Promise<{ withdrawals: PayeeWithdrawal[]; paid: bigint; fee: bigint }> {
  const { client, relayer, identity, taskId } = args;
  const token = getAddress(args.token ?? zeroAddress);
  const to = getAddress(args.to);
  if (to === zeroAddress) throw new ZkLabelError("invalid_input", "the destination address of a withdrawal is empty");
  const [info, chainId, block] = await Promise.all([
    relayer.info(),
    client.publicClient.getChainId(),
    client.publicClient.getBlock(),
  ]);
  if (info.chainId !== chainId || getAddress(info.escrow) !== getAddress(client.escrow)) {
    throw new ZkLabelError(
      "relayer_refused",
      `the relayer at ${relayer.url} serves escrow ${info.escrow} on chain ${info.chainId}, not escrow ${client.escrow} on chain ${chainId}: use this deployment's relayer`,
    );
  }
  const credits = await payeeCredits({ client, identity, taskId, token, batchCount: args.batchCount });
  // The chain's clock, not this machine's: the escrow checks the deadline against the block time.
  const deadline = block.timestamp + BigInt(args.validFor ?? 3600);
  const withdrawals: PayeeWithdrawal[] = [];
  for (const c of credits) {
    const signer = payeeAccount(identity, {
      chainId: BigInt(chainId),
      escrow: client.escrow,
      taskId,
      batchIndex: c.batchIndex,
    });
    const signed = await client.signWithdrawal({
      account: signer,
      token,
      to,
      amount: c.amount,
      fee: minimumWithdrawalFee(info.minFeeBps, c.amount),
      relayer: getAddress(info.address),
      deadline,
    });
    let r: Awaited<ReturnType<RelayerClient["withdraw"]>>;
    try {
      r = await relayer.withdraw(signed);
    } catch (e) {
      if (withdrawals.length === 0 || !(e instanceof ZkLabelError)) throw e;
      const done = withdrawals.reduce((a, w) => a + w.paid, 0n);
      throw new ZkLabelError(
        e.code,
        `${e.message} (${withdrawals.length} of ${credits.length} payees were already withdrawn, ${done} wei in all; run it again for the rest)`,
        { cause: e },
      );
    }
    const w = { ...c, paid: BigInt(r.paid), fee: BigInt(r.fee), txHash: r.txHash };
    withdrawals.push(w);
    args.onWithdrawn?.(w);
  }
  return {
    withdrawals,
    paid: withdrawals.reduce((a, w) => a + w.paid, 0n),
    fee: withdrawals.reduce((a, w) => a + w.fee, 0n),
  };
}
