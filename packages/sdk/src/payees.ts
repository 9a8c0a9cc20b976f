/**
 * A worker's payees on one task (core/payee: one address per batch derived from the identity, or
 * one for the whole task) and their gasless withdrawal through a relayer (docs/protocol.md §5.8,
 * §7.2). The CLI's `zklabel withdraw --task` and the app's earnings panel both use this, so they
 * find the same payees, pay the same fee and refuse the same mistakes.
 */
import type { Identity } from "@zklabel/core/identity";
import { payeeAccount } from "@zklabel/core/payee";
import { type Address, getAddress, type LocalAccount, zeroAddress } from "viem";
import type { ZkLabelClient } from "./client.ts";
import { ZkLabelError } from "./errors.ts";
import { minimumWithdrawalFee, type RelayerClient } from "./relayer.ts";

/** One of the identity's payees on a task, with its signing key (which never leaves the worker). */
export interface Payee {
  /** The batch whose payee it is; undefined for the task-wide payee. */
  batchIndex?: number;
  account: LocalAccount;
}

/** A payee with a credit on the task. */
export interface PayeeCredit {
  batchIndex?: number;
  payee: Address;
  amount: bigint;
}

/**
 * Every payee the identity can be paid under on a task: each batch's, then the task-wide one.
 * Deriving them costs a secp256k1 key per batch: derive once per identity and task, then read.
 */
export function taskPayees(
  identity: Pick<Identity, "secretScalar">,
  scope: { chainId: bigint; escrow: Address; taskId: bigint; batchCount: number },
): Payee[] {
  const { chainId, escrow, taskId } = scope;
  return [...Array.from({ length: scope.batchCount }, (_, b) => b), undefined].map((batchIndex) => ({
    batchIndex,
    account: payeeAccount(identity, { chainId, escrow, taskId, batchIndex }),
  }));
}

/** The credits of the given payees (only those above zero): reads only, the keys stay here. */
export async function payeeCredits(
  client: ZkLabelClient,
  payees: readonly Payee[],
  token: Address = zeroAddress,
): Promise<PayeeCredit[]> {
  const amounts = await Promise.all(payees.map((p) => client.credits(p.account.address, token)));
  return payees
    .map((p, i) => ({ batchIndex: p.batchIndex, payee: p.account.address, amount: amounts[i] }))
    .filter((p) => p.amount > 0n);
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
  /** The identity's payees on the task (taskPayees), when the caller already derived them. */
  payees?: readonly Payee[];
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
  let payees = args.payees;
  if (!payees) {
    const t = await client.getTask(taskId);
    const batchCount = Math.ceil(Number(t.itemCount) / Number(t.rule.batchSize));
    payees = taskPayees(identity, { chainId: BigInt(chainId), escrow: client.escrow, taskId, batchCount });
  }
  const signers = new Map(payees.map((p) => [p.account.address, p.account]));
  const credits = await payeeCredits(client, payees, token);
  // The chain's clock, not this machine's: the escrow checks the deadline against the block time.
  const deadline = block.timestamp + BigInt(args.validFor ?? 3600);
  const withdrawals: PayeeWithdrawal[] = [];
  for (const c of credits) {
    const signed = await client.signWithdrawal({
      account: signers.get(c.payee) as LocalAccount,
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
