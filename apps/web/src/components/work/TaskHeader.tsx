"use client";
/** The task a worker labels: its numbers, pay, instructions, rule and classes. */
import { classNumber } from "@zklabel/core/display";
import { eth, plural } from "@/lib/format";
import { recordText, requesterRecord, type TaskView, useTasks } from "@/lib/tasks";
import { seconds } from "@/lib/time";
import type { RuleScreens } from "./labelers";

export function TaskHeader(props: {
  task: TaskView;
  screens: RuleScreens;
  params: unknown;
  classes: readonly string[];
  allowed: readonly number[];
}) {
  const { task, classes, allowed } = props;
  const { tasks } = useTasks();
  const record = tasks ? requesterRecord(tasks, task.requester) : undefined;
  return (
    <section className="card task" aria-labelledby="task-title">
      <div className="task-head">
        <div>
          <p className="eyebrow">
            Task #{task.id.toString()} · {plural(task.info.itemCount, "item")} ·{" "}
            {plural(task.batches.length, "batch", "batches")} of {task.info.batchSize}
          </p>
          <h1 id="task-title" data-testid="task-title">
            {task.title}
          </h1>
        </div>
        <div className="reward" data-testid="reward-per-item" data-wei={task.info.rewardPerItem.toString()}>
          <span className="reward-value">{eth(task.info.rewardPerItem)} ETH</span>
          <span className="muted small">per item</span>
        </div>
      </div>
      {task.metadata?.instructions && (
        <p className="instructions" data-testid="task-instructions">
          {task.metadata.instructions}
        </p>
      )}
      {task.metadataProblem && (
        <p className="error small" role="alert">
          The task's metadata could not be read: {task.metadataProblem}
        </p>
      )}
      {props.screens.ruleLine && <p className="small">{props.screens.ruleLine(props.params)}</p>}
      <ul className="classes" aria-label="Classes">
        {classes.map((name, c) => {
          const ok = allowed.includes(c);
          return (
            <li key={name} className={`class-chip ${ok ? "" : "forbidden"}`}>
              {c < 9 && <kbd>{classNumber(c)}</kbd>} {name}
              {!ok && <span className="small"> · not accepted</span>}
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        {task.challengeWindow > 0
          ? `Hidden gold items check the work: a batch is paid when its ${seconds(task.challengeWindow)} challenge window ends, unless the requester proves within it that its accuracy on them is below ${task.minAccuracy} %.`
          : "No gold items: a batch is paid as soon as its proof is accepted."}{" "}
        Deadline {new Date(Number(task.deadline) * 1000).toLocaleString()}.
      </p>
      {task.info.goldRoot !== 0n && record && (
        <p
          className="muted small"
          data-testid="requester-record"
          data-rejected={record.rejected}
          data-submitted={record.submissions}
        >
          Gold answers are the requester&apos;s word. This requester {recordText(record)}.
        </p>
      )}
    </section>
  );
}
