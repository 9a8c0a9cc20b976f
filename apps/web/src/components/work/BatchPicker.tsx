"use client";
/** The task's batches to pick from, and the way on to the next open one. */
import { itemNumber } from "@zklabel/core/display";
import { plural } from "@/lib/format";
import type { TaskView } from "@/lib/tasks";

export function BatchPicker(props: {
  task: TaskView;
  batch: number;
  busy: boolean;
  /** Items labeled so far in batch `b` (kept in this browser). */
  savedOf(b: number): number;
  onSelect(b: number): void;
}) {
  return (
    <fieldset className="batches">
      <legend className="visually-hidden">Batch</legend>
      {props.task.batches.map((b) => {
        const saved = props.savedOf(b.index);
        const badge =
          b.status === "verified"
            ? "✓ paid"
            : b.status === "pending"
              ? "pending"
              : saved > 0
                ? `${saved}/${b.count} labeled`
                : b.rejections.length > 0
                  ? "open again"
                  : "open";
        return (
          <button
            type="button"
            key={b.index}
            aria-pressed={props.batch === b.index}
            className={`batch ${props.batch === b.index ? "selected" : ""} ${b.status === "verified" ? "done" : ""}`}
            data-testid={`batch-${b.index}`}
            data-status={b.status}
            data-rejections={b.rejections.length}
            title={
              b.rejections.length > 0
                ? `Rejected ${b.rejections.length === 1 ? "once" : `${b.rejections.length} times`} on gold items, then reopened`
                : undefined
            }
            disabled={props.busy}
            onClick={() => props.onSelect(b.index)}
          >
            <span className="batch-name">Batch {b.index}</span>
            <span className="small">
              items {itemNumber(b.first)}–{itemNumber(b.first + b.count - 1)}
            </span>
            <span className={`badge ${b.status === "verified" ? "ok" : b.status === "pending" ? "warn" : ""}`}>
              {badge}
            </span>
          </button>
        );
      })}
    </fieldset>
  );
}

/** A button to the next open batch after `after` (wrapping around), when there is one. */
export function NextBatch(props: { task: TaskView; after: number; busy: boolean; onSelect(b: number): void }) {
  const open = props.task.batches.filter((b) => b.status === "open");
  const next = open.find((b) => b.index > props.after) ?? open[0];
  if (!next)
    return (
      <p className="muted small" data-testid="task-complete">
        Every batch of this task has a proof: nothing is left to label.
      </p>
    );
  return (
    <button
      type="button"
      className="btn small"
      data-testid="next-open-batch"
      disabled={props.busy}
      onClick={() => props.onSelect(next.index)}
    >
      Next open batch: batch {next.index} ({plural(next.count, "item")})
    </button>
  );
}
