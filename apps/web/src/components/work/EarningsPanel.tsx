"use client";

import { useQuery } from "@tanstack/react-query";
import type { Identity } from "@zklabel/core/identity";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { payeeCredits, taskPayees, withdrawPayees } from "@zklabel/sdk/payees";
import { minimumWithdrawalFee } from "@zklabel/sdk/relayer";
import { useId, useMemo, useState } from "react";
import { type Address, getAddress, type Hash, isAddress, zeroAddress } from "viem";
import { useBalance, useReadContract } from "wagmi";
import { useZkLabel } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { messageFor } from "@/lib/errors";
import { eth, ethRounded, shortAddress } from "@/lib/format";
import type { RelayerState } from "@/lib/relayer";

/** The account's credits in the escrow (ETH, or the task's token) and a withdraw to any address. */
export function EarningsPanel({ account, token }: { account: Address; token: Address }) {
  const d = useDeployment();
  const { withWallet } = useZkLabel();
  const toId = useId();
  const unit = token === zeroAddress ? "ETH" : "tokens";
  const credits = useReadContract({
    address: d.escrow as Address,
    abi: escrowAbi,
    functionName: "credits",
    args: [token, account],
    chainId: d.chainId,
    query: { refetchInterval: 2000 },
  });
  const balance = useBalance({ address: account, chainId: d.chainId, query: { refetchInterval: 4000 } });
  const [to, setTo] = useState<string>(account);
  const [state, setState] = useState<{
    busy: boolean;
    done?: { amount: bigint; hash: Hash; to: Address };
    error?: string;
  }>({
    busy: false,
  });
  const toProblem = isAddress(to, { strict: false }) ? null : "Enter an address: 0x followed by 40 hex digits.";

  async function withdraw() {
    if (toProblem) return;
    const amount = credits.data ?? 0n;
    const dest = getAddress(to);
    setState({ busy: true });
    try {
      const hash = await (await withWallet()).withdraw(dest, token);
      await Promise.all([credits.refetch(), balance.refetch()]);
      setState({ busy: false, done: { amount, hash, to: dest } });
    } catch (e) {
      setState({ busy: false, error: messageFor(e) });
    }
  }

  return (
    <section className="card earnings" aria-labelledby="earnings-heading">
      <h2 id="earnings-heading">Earnings</h2>
      <dl className="facts">
        <div>
          <dt>Credited, not withdrawn</dt>
          <dd className="big" data-testid="credits" data-wei={credits.data?.toString() ?? ""}>
            {credits.data === undefined ? "…" : `${eth(credits.data)} ${unit}`}
          </dd>
        </div>
        <div>
          <dt>Wallet balance</dt>
          <dd data-testid="wallet-balance">
            {balance.data === undefined ? "…" : `${ethRounded(balance.data.value)} ETH`}
          </dd>
        </div>
      </dl>
      <div className="field">
        <label htmlFor={toId}>Withdraw to</label>
        <input
          id={toId}
          data-testid="withdraw-to"
          value={to}
          spellCheck={false}
          aria-invalid={toProblem !== null}
          aria-describedby={toProblem ? `${toId}-problem` : undefined}
          onChange={(e) => setTo(e.target.value.trim())}
        />
        {toProblem && (
          <p id={`${toId}-problem`} className="error small">
            {toProblem}
          </p>
        )}
      </div>
      <button
        type="button"
        className="btn wide"
        data-testid="withdraw"
        disabled={state.busy || !credits.data || toProblem !== null}
        onClick={() => void withdraw()}
      >
        {state.busy ? "Withdrawing…" : `Withdraw ${credits.data ? `${eth(credits.data)} ${unit}` : ""}`}
      </button>
      {state.done && (
        <p className="ok small" data-testid="withdrawn" data-wei={state.done.amount.toString()}>
          Withdrew {eth(state.done.amount)} {unit} to {shortAddress(state.done.to)} (tx{" "}
          <code title={state.done.hash}>{shortAddress(state.done.hash)}</code>)
        </p>
      )}
      {state.error && (
        <p className="error small" role="alert" data-testid="withdraw-error">
          {state.error}
        </p>
      )}
    </section>
  );
}

/**
 * What this identity's payees earned on this task: one derived address per batch (core/payee), so
 * a worker who submitted through the relayer sees its pay without a wallet, and takes it out
 * without one: each payee signs a withdrawal here, in the browser, and the relayer submits it for
 * its fee (sdk/payees, the same code as `zklabel withdraw --task`). The addresses and keys are
 * derived here; only the credit reads and the signed withdrawals leave the page.
 */
export function PayeeEarnings(props: {
  identity: Identity;
  chainId: number;
  escrow: Address;
  taskId: bigint;
  batchCount: number;
  token: Address;
  relayer: RelayerState;
}) {
  const { reader } = useZkLabel();
  const { identity, chainId, escrow, taskId, batchCount, token, relayer } = props;
  const unit = token === zeroAddress ? "ETH" : "tokens";
  const toId = useId();
  const [to, setTo] = useState("");
  const [state, setState] = useState<{
    busy: boolean;
    done?: { paid: bigint; fee: bigint; to: Address; count: number; hashes: string[] };
    error?: string;
  }>({ busy: false });
  // One secp256k1 key per batch: derived once per identity and task, not on every poll.
  const payees = useMemo(
    () => taskPayees(identity, { chainId: BigInt(chainId), escrow, taskId, batchCount }),
    [identity, chainId, escrow, taskId, batchCount],
  );
  const credits = useQuery({
    queryKey: ["payee-credits", chainId, escrow, taskId.toString(), token, identity.commitment.toString(), batchCount],
    enabled: reader !== undefined,
    refetchInterval: 3000,
    queryFn: async () => {
      if (!reader) throw new Error("no connection to the chain");
      return payeeCredits(reader, payees, token);
    },
  });
  const earned = credits.data ?? [];
  const total = earned.reduce((a, x) => a + x.amount, 0n);
  const fee = relayer.info
    ? earned.reduce((a, x) => a + minimumWithdrawalFee(relayer.info?.minFeeBps ?? 0, x.amount), 0n)
    : undefined;
  const toProblem =
    to === ""
      ? "Enter the address to be paid."
      : !isAddress(to, { strict: false })
        ? "Enter an address: 0x followed by 40 hex digits."
        : getAddress(to) === zeroAddress
          ? "The zero address burns what it receives: enter another."
          : null;
  const blocked = !relayer.configured
    ? "This deployment names no relayer, so the payees (which hold no ETH) cannot withdraw from this page."
    : relayer.error
      ? `The relayer cannot be used now: ${relayer.error}`
      : null;

  async function withdraw() {
    if (toProblem || !reader || !relayer.client) return;
    const dest = getAddress(to);
    setState({ busy: true });
    try {
      const r = await withdrawPayees({
        client: reader,
        relayer: relayer.client,
        identity,
        taskId,
        to: dest,
        token,
        payees,
      });
      await credits.refetch();
      setState({
        busy: false,
        done: {
          paid: r.paid,
          fee: r.fee,
          to: dest,
          count: r.withdrawals.length,
          hashes: r.withdrawals.map((w) => w.txHash),
        },
      });
    } catch (e) {
      await credits.refetch();
      setState({ busy: false, error: messageFor(e) });
    }
  }

  return (
    <section className="card earnings" aria-labelledby="payee-earnings-heading">
      <h2 id="payee-earnings-heading">Earned through the relayer</h2>
      <dl className="facts">
        <div>
          <dt>Credited to this identity's payees</dt>
          <dd className="big" data-testid="payee-credits" data-wei={credits.data ? total.toString() : ""}>
            {credits.data ? `${eth(total)} ${unit}` : credits.error ? "could not be read" : "…"}
          </dd>
        </div>
      </dl>
      {earned.length > 0 && (
        <ul className="small" data-testid="payee-list">
          {earned.map((x) => (
            <li
              key={x.batchIndex ?? "task"}
              data-testid={`payee-${x.batchIndex ?? "task"}`}
              data-payee={x.payee}
              data-wei={x.amount.toString()}
            >
              {x.batchIndex === undefined ? "The task's payee" : `Batch ${x.batchIndex}`}: {eth(x.amount)} {unit} at{" "}
              <code title={x.payee}>{shortAddress(x.payee)}</code>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Each batch submitted through the relayer pays a fresh address derived from your identity, so only the identity
        needs a backup. These addresses hold no ETH: each signs a withdrawal here and the relayer submits it, taking its
        fee from the amount. Withdrawing to an address links these batches to it: a fresh address keeps them unlinked.
      </p>
      {total > 0n && (
        <>
          <div className="field">
            <label htmlFor={toId}>Withdraw without gas to</label>
            <input
              id={toId}
              data-testid="payee-withdraw-to"
              value={to}
              placeholder="0x… (an address of your choice)"
              spellCheck={false}
              aria-invalid={to !== "" && toProblem !== null}
              aria-describedby={to !== "" && toProblem ? `${toId}-problem` : undefined}
              onChange={(e) => setTo(e.target.value.trim())}
            />
            {to !== "" && toProblem && (
              <p id={`${toId}-problem`} className="error small">
                {toProblem}
              </p>
            )}
          </div>
          {blocked ? (
            <p className="error small" data-testid="payee-withdraw-blocked">
              {blocked}{" "}
              <code>
                zklabel withdraw --task {taskId.toString()} --to {"<address>"}
              </code>{" "}
              does the same from the command line with your exported identity and a relayer.
            </p>
          ) : (
            <button
              type="button"
              className="btn wide"
              data-testid="payee-withdraw"
              disabled={state.busy || toProblem !== null || !relayer.info}
              onClick={() => void withdraw()}
            >
              {state.busy
                ? "Withdrawing…"
                : `Withdraw ${eth(total - (fee ?? 0n))} ${unit}${fee !== undefined ? ` (relayer fee ${eth(fee)})` : ""}`}
            </button>
          )}
        </>
      )}
      {state.done && (
        <p
          className="ok small"
          data-testid="payee-withdrawn"
          data-wei={state.done.paid.toString()}
          data-fee={state.done.fee.toString()}
          data-txs={state.done.hashes.join(",")}
        >
          {state.done.count === 0
            ? "Nothing was left to withdraw."
            : `Withdrew ${eth(state.done.paid)} ${unit} to ${shortAddress(state.done.to)} from ${state.done.count} payee${state.done.count === 1 ? "" : "s"}; the relayer took ${eth(state.done.fee)} and paid the gas.`}
        </p>
      )}
      {state.error && (
        <p className="error small" role="alert" data-testid="payee-withdraw-error">
          The withdrawal was not made: {state.error}
        </p>
      )}
      {credits.error && (
        <p className="error small" role="alert">
          The credits could not be read from the escrow: {messageFor(credits.error)}
        </p>
      )}
    </section>
  );
}
