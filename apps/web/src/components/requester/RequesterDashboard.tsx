"use client";

import Link from "next/link";
import { useMemo } from "react";
import type { Address } from "viem";
import { useDeployment } from "@/lib/deployment";
import { useEscrowTask } from "@/lib/escrow";
import { plural, shortAddress } from "@/lib/format";
import { ruleTitle, STATUS_TITLES, type TaskView, taskStatus, useChainNow, useTasks } from "@/lib/tasks";
import { timeLeft, useNow } from "@/lib/time";
import { formatAmount, useTokenInfo } from "@/lib/tokens";
import { useWalletState } from "@/lib/wallet";
import { BatchStrip } from "./BatchStrip";
import { CreditsPanel } from "./CreditsPanel";
import { PendingBatches } from "./PendingBatches";
import { WalletNotice } from "./WalletNotice";
import "./requester.css";

/** /requester: the connected account's tasks with progress, money and pending batches. */
export function RequesterDashboard() {
  const d = useDeployment();
  const { address, problem } = useWalletState(d);
  const { tasks, loading, error, refetch } = useTasks();
  const mine = useMemo(
    () => (address && tasks ? tasks.filter((t) => t.requester.toLowerCase() === address.toLowerCase()) : undefined),
    [address, tasks],
  );

  return (
    <>
      <div className="section-head rq-page-head">
        <div>
          <p className="eyebrow">Requester</p>
          <h1>My tasks</h1>
        </div>
        <Link className="btn primary" href="/requester/new">
          Post a task
        </Link>
      </div>
      <WalletNotice problem={problem} what="see and manage your tasks" />
      {error && (
        <div className="card" role="alert">
          <p className="error">{error}</p>
          <button type="button" className="btn small" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      )}
      {address && problem === null && <CreditsPanel account={address} />}
      {address &&
        problem !== "disconnected" &&
        (loading || !mine ? (
          !error && (
            <p className="muted" role="status">
              Reading the escrow's tasks…
            </p>
          )
        ) : mine.length === 0 ? (
          <section className="card" data-testid="no-tasks">
            <h2>No tasks yet</h2>
            <p className="muted">
              Account {shortAddress(address)} has not posted a task on this escrow.{" "}
              <Link href="/requester/new">Post your first task</Link>.
            </p>
          </section>
        ) : (
          <ul className="rq-tasks" aria-label="Your tasks">
            {mine.map((t) => (
              <li key={t.id.toString()}>
                <TaskRow task={t} account={address} blocked={problem} onChanged={() => void refetch()} />
              </li>
            ))}
          </ul>
        ))}
    </>
  );
}

function TaskRow({
  task: t,
  account,
  blocked,
  onChanged,
}: {
  task: TaskView;
  account: Address;
  blocked: string | null;
  onChanged(): void;
}) {
  const d = useDeployment();
  const now = useNow(5000);
  const token = useTokenInfo(t.token, d.chainId);
  const onchain = useEscrowTask(t.id);
  const chainNow = useChainNow();
  const status = taskStatus(t, Number(chainNow));
  const pct = t.info.itemCount === 0 ? 0 : Math.round((t.verifiedItems / t.info.itemCount) * 100);
  return (
    <article className="card rq-task" data-testid={`my-task-${t.id}`} aria-labelledby={`task-${t.id}-title`}>
      <div className="task-head">
        <div>
          <p className="eyebrow">
            Task #{t.id.toString()} · {ruleTitle(t)} · {plural(t.info.itemCount, "item")}
          </p>
          <h2 id={`task-${t.id}-title`}>
            <Link href={`/requester/${t.id}`}>{t.title}</Link>
          </h2>
        </div>
        <span className={`badge rq-status ${status}`} data-testid={`task-status-${t.id}`} title={STATUS_TITLES[status]}>
          {status}
        </span>
      </div>
      <div className="rq-progress">
        <span className="small">
          <strong>{t.verifiedItems}</strong> of {t.info.itemCount} items verified ({pct}%)
        </span>
        <meter min={0} max={t.info.itemCount} value={t.verifiedItems} aria-label={`Task ${t.id} items verified`} />
      </div>
      <BatchStrip batches={t.batches} testId={`batch-strip-${t.id}`} />
      <dl className="facts">
        <div>
          <dt>Reward per item</dt>
          <dd>{formatAmount(t.info.rewardPerItem, token)}</dd>
        </div>
        <div>
          <dt>Funded</dt>
          <dd>{formatAmount(t.funded, token)}</dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd data-testid={`spent-${t.id}`}>{formatAmount(t.spent, token)}</dd>
        </div>
        <div>
          <dt>Balance</dt>
          <dd data-testid={`balance-${t.id}`} data-wei={onchain.data?.balance.toString() ?? ""}>
            {onchain.data ? formatAmount(onchain.data.balance, token) : "…"}
          </dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd>{onchain.data ? formatAmount(onchain.data.reserved, token) : "…"}</dd>
        </div>
        <div>
          <dt>Deadline</dt>
          <dd title={new Date(Number(t.deadline) * 1000).toLocaleString()}>{timeLeft(t.deadline, now)}</dd>
        </div>
      </dl>
      <PendingBatches
        task={t}
        token={token}
        account={account}
        blocked={blocked ? "Connect the wallet on the deployment's chain to finalize." : null}
        onChanged={onChanged}
        compact
      />
      <p className="rq-more">
        <Link href={`/requester/${t.id}`}>Labels, export and cancel →</Link>
      </p>
    </article>
  );
}
