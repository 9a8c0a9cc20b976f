"use client";
/** /audit/<taskId>: one task's commitments, batches, charts, timeline and dataset tools. */
import Link from "next/link";
import { useMemo } from "react";
import { plural } from "@/lib/format";
import { ruleTitle, STATUS_TITLES, type TaskView, taskStatus } from "@/lib/tasks";
import { AuditCharts } from "./AuditCharts";
import { BatchGrid } from "./BatchGrid";
import { Crumbs, Problem, SourceNote, TaskLoaded } from "./Common";
import { DatasetTools } from "./DatasetTools";
import { useBlockTimes, useNowSeconds, useRouteTask } from "./hooks";
import { Rejections } from "./Rejections";
import { TaskFacts } from "./TaskFacts";
import { Timeline } from "./Timeline";
import "./audit.css";

/** The auditor's page of one task. */
export function AuditTask() {
  const { id, rawId, task, source, loading, error, refetch } = useRouteTask();
  if (id === null) {
    return (
      <Problem title="This is not a task id">
        <p>
          &ldquo;{rawId}&rdquo; is not a task number. Pick a task from the <Link href="/audit">list of all tasks</Link>.
        </p>
      </Problem>
    );
  }
  return (
    <TaskLoaded id={id} task={task} loading={loading} error={error} refetch={refetch}>
      {(t) => (
        <>
          <TaskAudit task={t} />
          <SourceNote source={source} />
        </>
      )}
    </TaskLoaded>
  );
}

function TaskAudit({ task: t }: { task: TaskView }) {
  const now = useNowSeconds();
  const blocks = useMemo(() => t.events.map((e) => e.blockNumber), [t.events]);
  const times = useBlockTimes(blocks);
  const status = taskStatus(t, now);
  return (
    <>
      <Crumbs items={[{ href: "/audit", label: "Audit" }, { label: `Task #${t.id}` }]} />
      <header className="audit-head">
        <p className="eyebrow">
          Task #{t.id.toString()} · {ruleTitle(t)} · {plural(t.info.itemCount, "item")}
        </p>
        <h1>{t.title}</h1>
        <p className="muted">
          {t.verifiedBatches} of {plural(t.batches.length, "batch", "batches")} verified, {t.pendingBatches} pending
          {t.rejections.length > 0 ? `, ${plural(t.rejections.length, "submission")} rejected` : ""} ·{" "}
          <span
            className={`badge audit-status-${status}`}
            title={STATUS_TITLES[status]}
            data-testid="audit-task-status"
          >
            {status}
          </span>
        </p>
        {t.metadata?.instructions && <p className="instructions small">{t.metadata.instructions}</p>}
      </header>
      <TaskFacts task={t} />
      <BatchGrid task={t} />
      <Rejections task={t} />
      <AuditCharts task={t} blockTime={times.times} now={now} timeError={times.error} />
      <Timeline task={t} blockTime={times.times} />
      <DatasetTools task={t} />
    </>
  );
}
