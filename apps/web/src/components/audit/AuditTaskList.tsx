"use client";
/** /audit: every task of the escrow in one table, for anyone, without a wallet. */
import Link from "next/link";
import { batchCounts, createdVerifiers, hex } from "@/lib/audit";
import { shortAddress } from "@/lib/format";
import { ruleTitle, STATUS_TITLES, type TaskSummary, taskStatus, useAuditList } from "@/lib/tasks";
import { Amount, Hex, Loading, SourceNote } from "./Common";
import { useNowSeconds } from "./hooks";
import "./audit.css";

/** The table of all tasks with their dataset roots, verifiers, batches and status. */
export function AuditTaskList() {
  const { tasks, source, loading, error, refetch } = useAuditList();
  const now = useNowSeconds();
  return (
    <>
      <header className="audit-head">
        <p className="eyebrow">Audit · no wallet needed</p>
        <h1>All tasks</h1>
        <p className="muted audit-lead">
          Every task on this chain, read from the escrow&apos;s events. Open a task to see its batches, re-check a proof
          in your browser, download its manifest or check whether a file is in its dataset. Given a labeled dataset
          exported from a task, <Link href="/audit/verify">verify it against the chain</Link>.
        </p>
      </header>
      <section className="card" aria-labelledby="audit-tasks-title">
        <div className="section-head">
          <h2 id="audit-tasks-title">Tasks</h2>
          {tasks && (
            <span className="muted small" role="status">
              {tasks.length} {tasks.length === 1 ? "task" : "tasks"}
            </span>
          )}
        </div>
        {error ? (
          <div role="alert">
            <p className="error">{error}. Check that the chain is running, then try again.</p>
            <button type="button" className="btn small" onClick={() => refetch()}>
              Try again
            </button>
          </div>
        ) : loading || !tasks ? (
          <Loading what="the tasks" />
        ) : tasks.length === 0 ? (
          <p className="muted" data-testid="audit-empty">
            No tasks on this chain yet.
          </p>
        ) : (
          <TaskTable tasks={tasks} now={now} />
        )}
        <SourceNote source={source} />
      </section>
    </>
  );
}

function TaskTable({ tasks, now }: { tasks: TaskSummary[]; now: number }) {
  return (
    <div className="audit-table-wrap">
      <table className="audit-table">
        <caption className="visually-hidden">All tasks, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Rule</th>
            <th scope="col" className="num">
              Items
            </th>
            <th scope="col">
              Batches <span className="audit-th-note">verified / pending / open</span>
            </th>
            <th scope="col">Dataset root</th>
            <th scope="col">Verifier</th>
            <th scope="col">Requester</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Reward per item
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <TaskRow key={t.id.toString()} task={t} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TaskRow({ task: t, now }: { task: TaskSummary; now: number }) {
  const c = batchCounts(t);
  const status = taskStatus(t, now);
  const s = createdVerifiers(t);
  return (
    <tr data-testid={`audit-task-${t.id}`}>
      <th scope="row">
        <Link href={`/audit/${t.id}`} className="audit-task-link">
          <span className="muted">#{t.id.toString()}</span> {t.title}
        </Link>
      </th>
      <td>{ruleTitle(t)}</td>
      <td className="num">{t.info.itemCount}</td>
      <td>
        <span className="audit-counts" title={`${c.verified} verified, ${c.pending} pending, ${c.open} open`}>
          <span className="ok">{c.verified}</span> / <span className="audit-pending-text">{c.pending}</span> /{" "}
          <span>{c.open}</span>
        </span>
      </td>
      <td className="audit-nowrap">
        <Hex value={hex(t.info.datasetRoot)} keep={4} />
      </td>
      <td className="audit-nowrap">
        <code title={s.verifier}>{shortAddress(s.verifier)}</code>
      </td>
      <td className="audit-nowrap">
        <code title={t.requester}>{shortAddress(t.requester)}</code>
      </td>
      <td>
        <span className={`badge audit-status-${status}`} title={STATUS_TITLES[status]}>
          {status}
        </span>
      </td>
      <td className="num">
        <Amount value={t.info.rewardPerItem} token={t.token} />
      </td>
    </tr>
  );
}
