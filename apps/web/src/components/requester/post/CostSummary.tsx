"use client";
/** What posting costs: items, reward, the total locked, transactions, the verifier bound, and the wallet's funds. */
import type { RuleEntry } from "@zklabel/core/deployment";
import { parseUnits } from "viem";
import { useTransaction } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { DEV_CHAIN_ID } from "@/lib/dev-wallet";
import { shortAddress } from "@/lib/format";
import { formatAmount, type TokenInfo } from "@/lib/tokens";

export function CostSummary(props: {
  items: number | null;
  rewardPerItem: bigint | null;
  total: bigint | null;
  token: TokenInfo | undefined;
  tokenTask: boolean;
  goldOn: boolean;
  verifier: RuleEntry | undefined;
  account: `0x${string}` | undefined;
  walletFunds: bigint | undefined;
  onMinted(): void;
}) {
  const d = useDeployment();
  const mint = useTransaction<"mint">();
  const { token, total } = props;
  const short = total !== null && props.walletFunds !== undefined && props.walletFunds < total;

  const mintTestTokens = () => {
    const account = props.account;
    if (!account || total === null) return;
    const units = parseUnits("1000", token?.decimals ?? 18);
    // At least 1000 tokens, and enough for this task (bigints: no Math.max).
    // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints
    const amount = total > units ? total : units;
    void mint.send("mint", (client) => client.mintTestToken(d.testToken as `0x${string}`, account, amount), {
      done: `Minted ${formatAmount(amount, token)} to your account.`,
      onSent: props.onMinted,
    });
  };

  return (
    <div data-testid="post-summary" data-total-wei={total?.toString() ?? ""}>
      <dl className="rq-summary">
        <div>
          <dt>Items</dt>
          <dd>{props.items ?? "—"}</dd>
        </div>
        <div>
          <dt>Reward per item</dt>
          <dd>{props.rewardPerItem !== null ? formatAmount(props.rewardPerItem, token) : "—"}</dd>
        </div>
        <div className="rq-total">
          <dt>Total locked now</dt>
          <dd>{total !== null ? formatAmount(total, token) : "—"}</dd>
        </div>
        <div>
          <dt>Transactions</dt>
          <dd>
            {props.tokenTask ? `2 (approve ${token?.symbol ?? "the token"}, then create)` : "1 (creates and funds)"}
          </dd>
        </div>
        <div>
          <dt>Signature</dt>
          <dd>1, free (your label key)</dd>
        </div>
        {props.verifier && (
          <div>
            <dt>Verifier</dt>
            <dd>
              <code data-testid="post-verifier" title={props.verifier.verifier}>
                {shortAddress(props.verifier.verifier)}
              </code>
            </dd>
          </div>
        )}
      </dl>
      {props.verifier && (
        <p className="small muted">
          The task is bound to this verifier: if the escrow&apos;s registry holds another one when the transaction is
          mined, it reverts and nothing is posted.
        </p>
      )}
      <p className="small muted">
        Plus gas in ETH (creating a task uses about 0.7 M gas{props.tokenTask ? ", approving about 50 k" : ""}). Workers
        are paid per verified item from the locked amount; what is not spent comes back after the deadline, or one hour
        after you cancel (batches submitted in that hour are still paid).
        {props.goldOn ? " Batches are paid after their challenge window." : " Batches are paid on acceptance."}
      </p>
      {props.account && props.walletFunds !== undefined && (
        <p className={`small ${short ? "bad" : "muted"}`} data-testid="post-wallet-funds">
          Your wallet: {formatAmount(props.walletFunds, token)}
          {short && ` — not enough for ${formatAmount(total ?? 0n, token)}.`}
        </p>
      )}
      {short && props.tokenTask && d.chainId === DEV_CHAIN_ID && (
        <div>
          <button
            type="button"
            className="btn small"
            data-testid="mint-test-token"
            disabled={mint.busy !== null}
            onClick={mintTestTokens}
          >
            {mint.busy ? "Minting…" : `Mint test ${token?.symbol ?? "tokens"} to this account`}
          </button>
        </div>
      )}
      {mint.done && (
        <p className="ok small" role="status">
          {mint.done}
        </p>
      )}
      {mint.error && (
        <p className="error small" role="alert">
          {mint.error}
        </p>
      )}
    </div>
  );
}
