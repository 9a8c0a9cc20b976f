"use client";
/** A task's batches as a grid of links, coloured by state. */
import Link from "next/link";
import type { BatchStatus, TaskView } from "@/lib/tasks";

const STATE_TEXT: Record<BatchStatus, string> = {
  open: "open",
  pending: "pending",
  verified: "verified",
};

/** Every batch of the task, each a link to its batch page. */
export function BatchGrid({ task: t }: { task: TaskView }) {
  return (
    <section className="card" aria-labelledby="audit-batches-title">
      <div className="section-head">
        <h2 id="audit-batches-title">Batches</h2>
        <ul className="audit-legend" aria-label="Batch states">
          <li>
            <span className="audit-swatch audit-verified" aria-hidden="true" /> verified
          </li>
          <li>
            <span className="audit-swatch audit-pending" aria-hidden="true" /> pending (challenge window)
          </li>
          <li>
            <span className="audit-swatch audit-open" aria-hidden="true" /> open (no proof yet)
          </li>
        </ul>
      </div>
      <ul className="audit-batch-grid">
        {t.batches.map((b) => (
          <li key={b.index}>
            <Link
              href={`/audit/${t.id}/batch/${b.index}`}
              className={`audit-batch audit-${b.status}`}
              data-testid={`audit-batch-${b.index}`}
              data-status={b.status}
            >
              <span className="audit-batch-name">Batch {b.index}</span>
              <span className="small">
                items {b.first + 1}–{b.first + b.count}
              </span>
              <span className="audit-batch-state">{STATE_TEXT[b.status]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
