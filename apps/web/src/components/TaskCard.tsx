"use client";

import type { DeploymentFile } from "@zklabel/core/deployment";
import { eth, shortAddress } from "@/lib/format";

export const isAllowed = (mask: bigint, c: number) => ((mask >> BigInt(c)) & 1n) === 1n;

/** Title, instructions, reward and classes of the demo task. */
export function TaskCard({
  deployment: d,
  escrowLeft,
}: {
  deployment: DeploymentFile;
  escrowLeft: bigint | undefined;
}) {
  const t = d.demoTask;
  const mask = BigInt(t.allowedMask);
  const reward = BigInt(t.rewardPerItem);
  const deadline = new Date(Number(t.deadline) * 1000);
  return (
    <section className="card task" aria-labelledby="task-title">
      <div className="task-head">
        <div>
          <p className="eyebrow">
            Task #{t.taskId} · {t.items.length} items · classification
          </p>
          <h1 id="task-title" data-testid="task-title">
            {t.title}
          </h1>
        </div>
        <div className="reward" data-testid="reward-per-item" data-wei={reward.toString()}>
          <span className="reward-value">{eth(reward)} ETH</span>
          <span className="muted small">per item</span>
        </div>
      </div>
      <p className="instructions" data-testid="task-instructions">
        {t.instructions}
      </p>
      <ul className="classes" aria-label="Classes">
        {t.classes.map((name, c) => {
          const ok = isAllowed(mask, c);
          return (
            <li
              key={name}
              className={`class-chip ${ok ? "" : "forbidden"}`}
              title={ok ? undefined : "This task does not accept this class"}
            >
              <kbd>{c + 1}</kbd> {name}
              {!ok && <span className="small"> · not accepted</span>}
            </li>
          );
        })}
      </ul>
      <dl className="facts">
        <div>
          <dt>Escrow</dt>
          <dd title={d.escrow}>{shortAddress(d.escrow)}</dd>
        </div>
        <div>
          <dt>Left in escrow</dt>
          <dd data-testid="escrow-left">{escrowLeft === undefined ? "…" : `${eth(escrowLeft)} ETH`}</dd>
        </div>
        <div>
          <dt>Deadline</dt>
          <dd>{deadline.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })}</dd>
        </div>
        <div>
          <dt>Circuit</dt>
          <dd>{d.circuit}</dd>
        </div>
      </dl>
    </section>
  );
}
