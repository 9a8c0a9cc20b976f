"use client";

import { cannotStartBatch } from "@zklabel/core/lifecycle";
import Link from "next/link";
import { zeroAddress } from "viem";
import { duration, eth } from "@/lib/format";
import { circuitForRule, RULE_LABELS, type TaskView, timeLeft, useChainNow, useTasks } from "@/lib/tasks";
import { estimatedProvingMs } from "@/lib/work";
import "./work.css";

/**
 * Whether a task still takes new work: not cancelled, not about to close (core lifecycle
 * cannotStartBatch), with an open batch.
 */
export const isOpenForWork = (t: TaskView, now: bigint) =>
  cannotStartBatch(t, Number(now)) === undefined && t.batches.some((b) => b.status === "open");

/** The open tasks a worker can pick, with pay per item and the estimated proving time per batch. */
export function WorkTasks({ heading = "Open tasks" }: { heading?: string }) {
  const { tasks, error, loading } = useTasks();
  const now = useChainNow();
  const open = tasks?.filter((t) => isOpenForWork(t, now)) ?? [];
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
            <TaskRow key={t.id.toString()} t={t} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskRow({ t, now }: { t: TaskView; now: bigint }) {
  const circuit = circuitForRule(t.rule);
  const est = circuit ? estimatedProvingMs(circuit.name) : null;
  const openBatches = t.batches.filter((b) => b.status === "open");
  const openItems = openBatches.reduce((n, b) => n + b.count, 0);
  const unit = t.token === zeroAddress ? "ETH" : "tokens";
  return (
    <li className="task-row" data-testid={`open-task-${t.id}`}>
      <div className="task-row-main">
        <p className="eyebrow">
          Task #{t.id.toString()} · {RULE_LABELS[t.rule]}
        </p>
        <h3>
          <Link href={`/work/${t.id}`}>{t.title}</Link>
        </h3>
        <p className="muted small">
          {openBatches.length} of {t.batches.length} batches open ({openItems} items) · deadline{" "}
          {timeLeft(t.deadline, Number(now) * 1000)}
          {t.challengeWindow > 0 ? ` · paid ${duration(t.challengeWindow * 1000)} after submission` : " · paid at once"}
        </p>
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
          <dd>
            {eth(t.info.rewardPerItem * BigInt(t.info.batchSize))} {unit}
          </dd>
        </div>
        <div>
          <dt>Proving time</dt>
          <dd title={est?.measuredHere ? "measured in this browser" : "measured on a 2-core laptop"}>
            {est ? `≈ ${duration(est.ms)}` : "no verifier deployed"}
          </dd>
        </div>
      </dl>
      <Link className="btn primary" href={`/work/${t.id}`} aria-label={`Work on task ${t.id}: ${t.title}`}>
        Work
      </Link>
    </li>
  );
}
