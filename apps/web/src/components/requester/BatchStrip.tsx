"use client";

import { itemNumber } from "@zklabel/core/display";
import { plural } from "@/lib/format";
import type { BatchView } from "@/lib/tasks";
import "./requester.css";

const SHOWN = 512;
const WORDS = { open: "open", pending: "pending (challenge window)", verified: "verified, paid" } as const;

/** One small cell per batch, coloured by state (open, pending, verified), with a legend. */
export function BatchStrip({ batches, testId }: { batches: readonly BatchView[]; testId?: string }) {
  const counts = { open: 0, pending: 0, verified: 0 };
  for (const b of batches) counts[b.status]++;
  const summary = `${plural(batches.length, "batch", "batches")}: ${counts.verified} verified, ${counts.pending} pending, ${counts.open} open`;
  return (
    <div className="rq-strip-wrap">
      <div className="rq-strip" role="img" aria-label={summary} data-testid={testId}>
        {batches.slice(0, SHOWN).map((b) => (
          <span
            key={b.index}
            className={`rq-cell ${b.status}`}
            title={`Batch ${b.index} (items ${itemNumber(b.first)}–${itemNumber(b.first + b.count - 1)}): ${WORDS[b.status]}`}
            data-status={b.status}
          />
        ))}
        {batches.length > SHOWN && <span className="muted small">+{batches.length - SHOWN} more</span>}
      </div>
      <p className="rq-legend small muted" aria-hidden="true">
        <span className="rq-cell verified" /> {counts.verified} verified <span className="rq-cell pending" />{" "}
        {counts.pending} pending <span className="rq-cell open" /> {counts.open} open
      </p>
    </div>
  );
}
