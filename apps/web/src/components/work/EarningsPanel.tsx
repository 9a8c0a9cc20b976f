"use client";

import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { useId, useState } from "react";
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
