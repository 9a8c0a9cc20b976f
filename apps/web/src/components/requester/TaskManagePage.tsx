"use client";

import { classNumber } from "@zklabel/core/display";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { useTransaction } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { downloadJson } from "@/lib/download";
import { useEscrowTask } from "@/lib/escrow";
import { shortAddress } from "@/lib/format";
import { useTaskGold } from "@/lib/gold-review";
import { useRequesterKey } from "@/lib/requester-key";
import type { GoldRecord } from "@/lib/requester-store";
import { parseIndex, ruleTitle, STATUS_TITLES, type TaskView, taskStatus, useChainNow, useTask } from "@/lib/tasks";
import { seconds, timeLeft, useNow } from "@/lib/time";
import { formatAmount, type TokenInfo, useTokenInfo } from "@/lib/tokens";
import { useWalletState } from "@/lib/wallet";
import { BatchStrip } from "./BatchStrip";
import { GoldReview } from "./GoldReview";
import { LabelsPanel } from "./LabelsPanel";
import { PendingBatches } from "./PendingBatches";
import { VerifiedDataset } from "./VerifiedDataset";
import { WalletNotice } from "./WalletNotice";
import "./requester.css";

/** /requester/<id>: one task's facts, batches, decrypted labels and export, cancel and refund. */
export function TaskManagePage() {
  const params = useParams<{ taskId: string }>();
  const id = parseIndex(params?.taskId);
  const { task, loading, error, refetch } = useTask(id);

  if (id === null)
    return (
      <section className="card" role="alert">
        <h1>No such task</h1>
        <p>“{String(params?.taskId)}” is not a task number.</p>
        <Link href="/requester">Back to my tasks</Link>
      </section>
    );
  if (error)
    return (
      <section className="card" role="alert">
        <p className="error">{error}</p>
        <button type="button" className="btn small" onClick={() => void refetch()}>
          Try again
        </button>
      </section>
    );
  if (loading || task === undefined)
    return (
      <p className="muted" role="status">
        Reading task #{id.toString()}…
      </p>
    );
  if (task === null)
    return (
      <section className="card" role="alert" data-testid="task-not-found">
        <h1>Task #{id.toString()} does not exist</h1>
        <p>This escrow has no task with that number (yet).</p>
        <Link href="/requester">Back to my tasks</Link>
      </section>
    );
  return <TaskManage task={task} onChanged={() => void refetch()} />;
}

function TaskManage({ task: t, onChanged }: { task: TaskView; onChanged(): void }) {
  const d = useDeployment();
  const { address, problem } = useWalletState(d);
  const now = useNow(1000);
  const token = useTokenInfo(t.token, d.chainId);
  const onchain = useEscrowTask(t.id, 3000);
  const chainNow = useChainNow();
  const status = taskStatus(t, Number(chainNow));
  const isRequester = !!address && address.toLowerCase() === t.requester.toLowerCase();
  const requesterKey = useRequesterKey(t, address, problem);
  const gold = useTaskGold(t);
  const blocked =
    problem === "wrong-chain"
      ? `Switch the wallet to chain ${d.chainId} first.`
      : problem
        ? "Connect a wallet first (top right)."
        : null;
  const changed = () => {
    onChanged();
    void onchain.refetch();
  };

  return (
    <>
      <div className="section-head rq-page-head">
        <div>
          <p className="eyebrow">
            Task #{t.id.toString()} · {ruleTitle(t)} ·{" "}
            <span className={`badge rq-status ${status}`} data-testid="task-status" title={STATUS_TITLES[status]}>
              {status}
            </span>
          </p>
          <h1 data-testid="task-title">{t.title}</h1>
        </div>
        <span className="rq-actions">
          <Link className="btn ghost" href="/requester">
            My tasks
          </Link>
          <Link className="btn" href={`/audit/${t.id}`}>
            Audit view
          </Link>
        </span>
      </div>
      <WalletNotice problem={problem} what="decrypt labels and manage this task" />
      {address && problem === null && !isRequester && (
        <p className="banner" role="note" data-testid="not-requester">
          This task was posted by {shortAddress(t.requester)}; you are connected as {shortAddress(address)}. You can
          finalize batches, but only the posting account can decrypt its labels or cancel it.
        </p>
      )}
      {t.paramsProblem && (
        <p className="banner" role="note">
          Workers cannot take this task: {t.paramsProblem}. Cancel it, and refund its funds once the cancel's notice has
          run.
        </p>
      )}
      {t.metadataProblem && (
        <p className="banner" role="note">
          The task's metadata could not be read: {t.metadataProblem}
        </p>
      )}

      <div className="rq-manage">
        <div className="rq-manage-main">
          <section className="card" aria-labelledby="facts-heading">
            <h2 id="facts-heading">Task</h2>
            {t.metadata?.instructions && <p className="instructions">{t.metadata.instructions}</p>}
            {t.rule && <TaskClasses task={t} />}
            <dl className="facts">
              <div>
                <dt>Items</dt>
                <dd>{t.info.itemCount}</dd>
              </div>
              <div>
                <dt>Batches</dt>
                <dd>
                  {t.batches.length} × {t.info.batchSize}
                </dd>
              </div>
              <div>
                <dt>Reward per item</dt>
                <dd>{formatAmount(t.info.rewardPerItem, token)}</dd>
              </div>
              <div>
                <dt>Deadline</dt>
                <dd title={new Date(Number(t.deadline) * 1000).toLocaleString()}>{timeLeft(t.deadline, now)}</dd>
              </div>
              <div>
                <dt>Gold items</dt>
                <dd>
                  {t.info.goldRoot === 0n
                    ? "none (paid on acceptance)"
                    : `min ${t.minAccuracy}% · ${seconds(t.challengeWindow)} window`}
                </dd>
              </div>
              <div>
                <dt>Worker group</dt>
                <dd>{t.workerGroupId === 0n ? "0 (open)" : t.workerGroupId.toString()}</dd>
              </div>
              <div>
                <dt>Requester</dt>
                <dd title={t.requester}>{shortAddress(t.requester)}</dd>
              </div>
              <div>
                <dt>Dataset root</dt>
                <dd title={`0x${t.info.datasetRoot.toString(16)}`}>
                  <code>{`0x${t.info.datasetRoot.toString(16).slice(0, 10)}…`}</code>
                </dd>
              </div>
              {t.metadata?.vault && (
                <div>
                  <dt>Vault</dt>
                  <dd>
                    <code>{t.metadata.vault}</code>
                  </dd>
                </div>
              )}
            </dl>
          </section>

          <section className="card" aria-labelledby="batches-heading">
            <div className="section-head">
              <h2 id="batches-heading">Progress</h2>
              <span className="small" data-testid="verified-items" data-count={t.verifiedItems}>
                <strong>{t.verifiedItems}</strong> of {t.info.itemCount} items verified
              </span>
            </div>
            <meter
              className="rq-meter"
              min={0}
              max={t.info.itemCount}
              value={t.verifiedItems}
              aria-label="Items verified"
            />
            <BatchStrip batches={t.batches} testId="batch-strip" />
            <PendingBatches task={t} token={token} account={address} blocked={blocked} onChanged={changed} />
          </section>

          <VerifiedDataset
            task={t}
            requesterKey={requesterKey}
            account={address}
            isRequester={isRequester}
            blocked={blocked}
            chainNow={Number(chainNow)}
            onChanged={changed}
          />

          {t.info.goldRoot !== 0n && (
            <GoldReview
              task={t}
              token={token}
              gold={gold}
              requesterKey={requesterKey}
              account={address}
              isRequester={isRequester}
              blocked={blocked}
              chainNow={Number(chainNow)}
              nowMs={now}
              onChanged={changed}
            />
          )}

          {t.rule ? (
            <LabelsPanel task={t} rule={t.rule} requesterKey={requesterKey} />
          ) : (
            <section className="card" role="alert">
              <h2>Labels</h2>
              <p className="error">{t.ruleProblem}</p>
            </section>
          )}
        </div>

        <aside className="rq-manage-side">
          <MoneyCard
            task={t}
            token={token}
            balance={onchain.data?.balance}
            reserved={onchain.data?.reserved}
            account={address}
            isRequester={isRequester}
            blocked={blocked}
            closed={t.closesAt < BigInt(Math.floor(now / 1000))}
            onChanged={changed}
          />
          {t.info.goldRoot !== 0n && <GoldCard task={t} gold={gold.gold} />}
        </aside>
      </div>
    </>
  );
}

/** The task's classes, numbered as workers' keys (class 1 = key 1), those workers may not use marked. */
function TaskClasses({ task: t }: { task: TaskView }) {
  if (!t.rule) return null;
  const p = t.rule.decodeParams(t.info.ruleParams);
  const classes = t.rule.classNames(p, t.metadata?.rule.classes);
  const allowed = t.rule.allowedClasses(p);
  return (
    <ul className="classes" aria-label="Classes">
      {classes.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the class number is the class's identity
        <li key={i} className={`class-chip ${allowed.includes(i) ? "" : "forbidden"}`}>
          <kbd>{classNumber(i)}</kbd> {c}
          {!allowed.includes(i) && <span className="small"> · not allowed</span>}
        </li>
      ))}
    </ul>
  );
}

function MoneyCard(props: {
  task: TaskView;
  token: TokenInfo | undefined;
  balance: bigint | undefined;
  reserved: bigint | undefined;
  account: Address | undefined;
  isRequester: boolean;
  blocked: string | null;
  /** Past closesAt (the deadline, or a cancel's notice end): the unreserved balance can be refunded. */
  closed: boolean;
  onChanged(): void;
}) {
  const t = props.task;
  const dialog = useRef<HTMLDialogElement>(null);
  const { busy, error, done, setError, send: sendTx } = useTransaction<"cancel" | "refund">();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    const dl = dialog.current;
    if (!dl) return;
    if (confirming && !dl.open) dl.showModal();
    if (!confirming && dl.open) dl.close();
  }, [confirming]);
  const pending = t.batches.filter((b) => b.status === "pending").length;
  const fmt = (x: bigint | undefined) => (x === undefined ? "…" : formatAmount(x, props.token));

  async function send(kind: "cancel" | "refund") {
    if (!props.account) return;
    const amount = props.balance ?? 0n;
    await sendTx(kind, (client) => (kind === "cancel" ? client.cancel(t.id) : client.refund(t.id)), {
      done:
        kind === "cancel"
          ? "Task cancelled: it closes in one hour. Batches submitted until then are paid; refund the rest after that."
          : `Refunded ${formatAmount(amount, props.token)} to your wallet.`,
      onSent() {
        setConfirming(false);
        props.onChanged();
      },
    });
  }

  const cannot = props.blocked ?? (props.isRequester ? null : "Only the account that posted the task can do this.");
  const canRefund = props.closed && (props.balance ?? 0n) > 0n;
  const closesAt = new Date(Number(t.closesAt) * 1000).toLocaleString();
  return (
    <section className="card" aria-labelledby="money-heading">
      <h2 id="money-heading">Money</h2>
      <dl className="facts rq-facts-col">
        <div>
          <dt>Funded</dt>
          <dd>{fmt(t.funded)}</dd>
        </div>
        <div>
          <dt>Spent (paid to workers)</dt>
          <dd data-testid="task-spent" data-wei={t.spent.toString()}>
            {fmt(t.spent)}
          </dd>
        </div>
        <div>
          <dt>Reserved for pending batches</dt>
          <dd>{fmt(props.reserved)}</dd>
        </div>
        <div>
          <dt>Balance (unreserved)</dt>
          <dd className="big" data-testid="task-balance" data-wei={props.balance?.toString() ?? ""}>
            {fmt(props.balance)}
          </dd>
        </div>
      </dl>
      {!t.cancelled && (
        <button
          type="button"
          className="btn wide"
          data-testid="cancel-task"
          disabled={busy !== null || cannot !== null}
          aria-describedby={cannot ? "cancel-why" : undefined}
          onClick={() => {
            setError(null);
            setConfirming(true);
          }}
        >
          Cancel task…
        </button>
      )}
      {canRefund && (
        <button
          type="button"
          className="btn wide"
          data-testid="refund-task"
          disabled={busy !== null || cannot !== null}
          onClick={() => void send("refund")}
        >
          {busy === "refund" ? "Refunding…" : `Refund ${fmt(props.balance)}`}
        </button>
      )}
      {cannot && !t.cancelled && (
        <p id="cancel-why" className="small muted">
          {cannot}
        </p>
      )}
      {t.cancelled && !done && (
        <p className="small muted" data-testid="task-closes">
          {props.closed
            ? "This task is cancelled and closed: it accepts no more batches."
            : `This task is cancelled: it closes at ${closesAt}. Batches submitted until then are still paid; the unreserved balance can be refunded after that.`}
        </p>
      )}
      {done && (
        <p className="ok small" role="status" data-testid="money-done">
          {done}
        </p>
      )}
      {error && !confirming && (
        <p className="error small" role="alert" data-testid="money-error">
          {error}
        </p>
      )}
      <dialog
        ref={dialog}
        className="rq-dialog"
        aria-labelledby="cancel-heading"
        data-testid="cancel-dialog"
        onClose={() => setConfirming(false)}
      >
        <h2 id="cancel-heading">Cancel task #{t.id.toString()}?</h2>
        <p>
          Workers stop starting new batches at once; batches already on their way are still accepted and paid for one
          more hour (a cancel cannot be used to take labels that were submitted without paying for them). After that
          hour the task closes and what is left of{" "}
          <strong data-testid="cancel-refund" data-wei={props.balance?.toString() ?? ""}>
            {fmt(props.balance)}
          </strong>{" "}
          (the unreserved balance) can be refunded to your wallet.
        </p>
        {pending > 0 && (
          <p>
            {fmt(props.reserved)} stays reserved for {pending} pending batch{pending === 1 ? "" : "es"} until{" "}
            {pending === 1 ? "it is" : "they are"} finalized and paid to the workers.
          </p>
        )}
        <p className="small muted">Labels already submitted stay yours to decrypt. This cannot be undone.</p>
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        <div className="rq-actions rq-dialog-actions">
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Keep the task
          </button>
          <button
            type="button"
            className="btn primary rq-danger"
            data-testid="cancel-confirm"
            disabled={busy !== null}
            onClick={() => void send("cancel")}
          >
            {busy === "cancel" ? "Cancelling…" : "Cancel the task"}
          </button>
        </div>
      </dialog>
    </section>
  );
}

function GoldCard({ task: t, gold }: { task: TaskView; gold: GoldRecord | null | undefined }) {
  const count = gold ? gold.openings.items.filter((x) => x.isGold === 1).length : 0;
  return (
    <section className="card" aria-labelledby="gold-heading">
      <h2 id="gold-heading">Gold openings</h2>
      {gold === undefined ? (
        <p className="muted small">Looking in this browser…</p>
      ) : gold === null ? (
        <p className="small muted" data-testid="gold-missing">
          The gold answers and salts of this task are not in this browser. Load the file you downloaded when posting (in
          Gold review): rejecting a bad batch needs it.
        </p>
      ) : (
        <>
          <p className="small">
            {count} gold item{count === 1 ? "" : "s"}, kept in this browser. They are secret: share them with nobody.
          </p>
          <button
            type="button"
            className="btn small"
            data-testid="download-gold"
            onClick={() => downloadJson(`task-${t.id}-gold-openings.json`, gold)}
          >
            Download gold openings
          </button>
        </>
      )}
    </section>
  );
}
