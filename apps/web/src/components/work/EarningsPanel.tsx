"use client";

import { useQuery } from "@tanstack/react-query";
import type { Identity } from "@zklabel/core/identity";
import { payeeAddress } from "@zklabel/core/payee";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { useId, useMemo, useState } from "react";
import { type Address, getAddress, type Hash, isAddress, zeroAddress } from "viem";
import { useBalance, useReadContract } from "wagmi";
import { useZkLabel } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { messageFor } from "@/lib/errors";
import { eth, ethRounded, shortAddress } from "@/lib/format";

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
 * a worker who submitted through the relayer sees its pay without a wallet. The addresses are
 * derived here, in the browser; only the credit reads go to the chain.
 */
export function PayeeEarnings(props: {
  identity: Identity;
  chainId: number;
  escrow: Address;
  taskId: bigint;
  batchCount: number;
  token: Address;
}) {
  const { reader } = useZkLabel();
  const { identity, chainId, escrow, taskId, batchCount, token } = props;
  const unit = token === zeroAddress ? "ETH" : "tokens";
  // One secp256k1 key per batch: derived once per identity and task, not on every render.
  const payees = useMemo(
    () =>
      Array.from({ length: batchCount }, (_, b) =>
        payeeAddress(identity, { chainId: BigInt(chainId), escrow, taskId, batchIndex: b }),
      ),
    [identity, chainId, escrow, taskId, batchCount],
  );
  const credits = useQuery({
    queryKey: ["payee-credits", chainId, escrow, taskId.toString(), token, identity.commitment.toString(), batchCount],
    enabled: reader !== undefined,
    refetchInterval: 3000,
    queryFn: async () => {
      if (!reader) throw new Error("no connection to the chain");
      return Promise.all(payees.map((p) => reader.credits(p, token)));
    },
  });
  const earned = (credits.data ?? [])
    .map((amount, batch) => ({ batch, amount, payee: payees[batch] }))
    .filter((x) => x.amount > 0n);
  const total = earned.reduce((a, x) => a + x.amount, 0n);
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
            <li key={x.batch} data-testid={`payee-${x.batch}`} data-payee={x.payee} data-wei={x.amount.toString()}>
              Batch {x.batch}: {eth(x.amount)} {unit} at <code title={x.payee}>{shortAddress(x.payee)}</code>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Each batch submitted through the relayer pays a fresh address derived from your identity, so only the identity
        needs a backup. These addresses hold no ETH: their credit leaves by a signed withdrawal that the relayer submits
        for its fee. In this version the command line does it (
        <code>
          zklabel withdraw --task {"<id>"} --to {"<address>"}
        </code>{" "}
        with your exported identity); the page shows what it holds.
      </p>
      {credits.error && (
        <p className="error small" role="alert">
          The credits could not be read from the escrow: {messageFor(credits.error)}
        </p>
      )}
    </section>
  );
}
