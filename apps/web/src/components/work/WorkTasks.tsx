"use client";

import { type DeploymentFile, oldCircuitProblem } from "@zklabel/core/deployment";
import { cannotStartBatch } from "@zklabel/core/lifecycle";
import { ruleCircuit } from "@zklabel/core/rules";
import Link from "next/link";
import { zeroAddress } from "viem";
import { deployedRule, useDeployment } from "@/lib/deployment";
import { duration, eth, plural } from "@/lib/format";
import { estimatedProvingMs } from "@/lib/proving-time";
import { recordText, requesterRecord, ruleTitle, type TaskView, useChainNow, useTasks } from "@/lib/tasks";
import { seconds, timeLeft } from "@/lib/time";
import "./work.css";

/**
 * Whether a task still takes new work: not cancelled, not about to close (core lifecycle
 * cannotStartBatch), with an open batch, and with parameters its rule accepts (else no proof exists).
 */
export const isOpenForWork = (t: TaskView, now: bigint, d: DeploymentFile) =>
  t.paramsProblem === undefined &&
  // A task of an older circuit version of its rule: this app's circuit files cannot prove for it.
  oldCircuitProblem(d, t.info.ruleId, t.info.verifier, t.id) === undefined &&
  cannotStartBatch({ ...t, completed: t.completed !== undefined }, Number(now)) === undefined &&
  t.batches.some((b) => b.status === "open");

/** The open tasks a worker can pick, with pay per item and the estimated proving time per batch. */
export function WorkTasks({ heading = "Open tasks" }: { heading?: string }) {
  const { tasks, error, loading } = useTasks();
  const now = useChainNow();
  const d = useDeployment();
  const open = tasks?.filter((t) => isOpenForWork(t, now, d)) ?? [];
  return (
    <section className="card" aria-labelledby="open-tasks-heading">
      <div className="section-head">
        <h2 id="open-tasks-heading">{heading}</h2>
        <p className="muted small">Label a batch, prove it in your browser, get paid by the escrow.</p>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loading && (
        <p className="muted" role="status">
          Reading the tasks from the chain…
        </p>
      )}
      {tasks && open.length === 0 && <p className="muted">No task is open for work right now.</p>}
      {open.length > 0 && (
        <ul className="task-list">
          {open.map((t) => (
            <TaskRow key={t.id.toString()} t={t} now={now} all={tasks ?? []} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The pay of the open batches: one amount when they all hold as many items, else the full and the smaller ones. */
function perBatch(t: TaskView, unit: string): string {
  const counts = [...new Set(t.batches.filter((b) => b.status === "open").map((b) => b.count))].sort((a, b) => b - a);
  const pay = (n: number) => `${eth(t.info.rewardPerItem * BigInt(n))} ${unit}`;
  if (counts.length <= 1) return counts.length ? pay(counts[0]) : "—";
  return `${pay(counts[0])}; ${counts
    .slice(1)
    .map((n) => `${pay(n)} for ${plural(n, "item")}`)
    .join(", ")}`;
}

/** The proving-time line: this browser's or the expected time for the task's circuit, or why there is none. */
function provingTime(t: TaskView, verifierDeployed: boolean): { text: string; title?: string } {
  if (!t.rule) return { text: "unknown rule" };
  if (!verifierDeployed) return { text: "no verifier deployed" };
  const est = estimatedProvingMs(ruleCircuit(t.rule).name);
  return est ? { text: `≈ ${duration(est.ms)}`, title: est.how } : { text: "not measured yet" };
}

function TaskRow({ t, now, all }: { t: TaskView; now: bigint; all: readonly TaskView[] }) {
  const d = useDeployment();
  const time = provingTime(t, t.rule !== null && deployedRule(d, t.rule) !== undefined);
  const openBatches = t.batches.filter((b) => b.status === "open");
  const openItems = openBatches.reduce((n, b) => n + b.count, 0);
  const unit = t.token === zeroAddress ? "ETH" : "tokens";
  return (
    <li className="task-row" data-testid={`open-task-${t.id}`}>
      <div className="task-row-main">
        <p className="eyebrow">
          Task #{t.id.toString()} · {ruleTitle(t)}
        </p>
        <h3>
          <Link href={`/work/${t.id}`}>{t.title}</Link>
        </h3>
        <p className="muted small">
          {openBatches.length} of {plural(t.batches.length, "batch", "batches")} open ({plural(openItems, "item")}) ·
          deadline {timeLeft(t.deadline, Number(now) * 1000)}
          {t.challengeWindow > 0
            ? ` · paid ${seconds(t.challengeWindow)} after submission unless rejected on gold items`
            : " · paid at once"}
        </p>
        {t.info.goldRoot !== 0n && (
          <p className="muted small" data-testid={`requester-record-${t.id}`}>
            Gold answers are the requester&apos;s word. This requester {recordText(requesterRecord(all, t.requester))}.
          </p>
        )}
      </div>
      <dl className="task-row-facts">
        <div>
          <dt>Pay per item</dt>
          <dd className="reward-value">
            {eth(t.info.rewardPerItem)} {unit}
          </dd>
        </div>
        <div>
          <dt>Per batch</dt>
          <dd data-testid={`per-batch-${t.id}`}>{perBatch(t, unit)}</dd>
        </div>
        <div>
          <dt>Proving time</dt>
          <dd title={time.title}>{time.text}</dd>
        </div>
      </dl>
      <Link className="btn primary" href={`/work/${t.id}`} aria-label={`Work on task ${t.id}: ${t.title}`}>
        Work
      </Link>
    </li>
  );
}
