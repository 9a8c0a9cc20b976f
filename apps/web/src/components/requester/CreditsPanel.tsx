"use client";

import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { type Address, zeroAddress } from "viem";
import { useReadContracts } from "wagmi";
import { TxOutcome } from "@/components/common/TxOutcome";
import { useTransaction } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { formatAmount, useTokenInfo } from "@/lib/tokens";
import "./requester.css";

/** The requester's unwithdrawn escrow credits (ETH and the test token), each with a Withdraw button. */
export function CreditsPanel({ account }: { account: Address }) {
  const d = useDeployment();
  const tokens = d.testToken ? [zeroAddress, d.testToken as Address] : [zeroAddress];
  const credits = useReadContracts({
    contracts: tokens.map((token) => ({
      address: d.escrow as Address,
      abi: escrowAbi,
      functionName: "credits" as const,
      args: [token, account] as const,
      chainId: d.chainId,
    })),
    query: { refetchInterval: 5000 },
  });
  const amounts = tokens.map((_, i) => {
    const r = credits.data?.[i];
    return r?.status === "success" ? (r.result as bigint) : 0n;
  });
  if (amounts.every((a) => a === 0n)) return null;
  return (
    <section className="card" aria-labelledby="credits-heading" data-testid="requester-credits">
      <h2 id="credits-heading">Credits in the escrow</h2>
      <p className="muted small">Money the escrow holds for this account; withdraw it to your wallet.</p>
      {tokens.map((token, i) =>
        amounts[i] > 0n ? (
          <WithdrawRow
            key={token}
            token={token}
            amount={amounts[i]}
            account={account}
            onDone={() => void credits.refetch()}
          />
        ) : null,
      )}
    </section>
  );
}

function WithdrawRow(props: { token: Address; amount: bigint; account: Address; onDone(): void }) {
  const d = useDeployment();
  const info = useTokenInfo(props.token, d.chainId);
  const { busy, error, done, send } = useTransaction<"withdraw">();

  const withdraw = () =>
    send("withdraw", (client) => client.withdraw(props.account, props.token), {
      done: `Withdrew ${formatAmount(props.amount, info)} to your wallet.`,
      onSent: props.onDone,
      keepDone: true,
    });
  return (
    <div className="rq-row">
      <span>
        <strong>{formatAmount(props.amount, info)}</strong>
      </span>
      <button
        type="button"
        className="btn small"
        data-testid={`withdraw-${info?.symbol ?? props.token}`}
        disabled={busy !== null}
        onClick={() => void withdraw()}
      >
        {busy ? "Withdrawing…" : "Withdraw"}
      </button>
      <TxOutcome done={done} error={error} />
    </div>
  );
}
