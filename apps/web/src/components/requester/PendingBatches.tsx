"use client";

import type { Address } from "viem";
import { TxOutcome } from "@/components/common/TxOutcome";
import { bringDevClockToNow, useTransaction } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { plural } from "@/lib/format";
import type { TaskView } from "@/lib/tasks";
import { timeLeft, useNow } from "@/lib/time";
import { formatAmount, type TokenInfo } from "@/lib/tokens";
import "./requester.css";

/**
 * A task's pending batches (submitted, waiting out the challenge window) with a countdown each,
 * and a Finalize button once the window has passed (anyone may finalize; it pays the worker).
 */
export function PendingBatches(props: {
  task: TaskView;
  token: TokenInfo | undefined;
  account: Address | undefined;
  /** Why the wallet cannot send (null when it can). */
  blocked: string | null;
  onChanged(): void;
  /** Test ids per batch ("finalize-<batch>") or per task ("finalize-ready-<task>") only. */
  compact?: boolean;
}) {
  const d = useDeployment();
  const now = useNow(1000);
  const { busy, error, done, send } = useTransaction<string>();
  const t = props.task;
  const pending = t.batches.filter((b) => b.status === "pending");
  if (pending.length === 0) return null;
  const nowS = BigInt(Math.floor(now / 1000));
  const ready = pending.filter((b) => b.finalizesAt !== undefined && b.finalizesAt <= nowS);

  async function finalize(indexes: number[], key: string) {
    if (!props.account || props.blocked) return;
    await send(
      key,
      async (client) => {
        await bringDevClockToNow(client, d.chainId);
        await client.finalize(t.id, indexes);
      },
      {
        done: `Finalized batch${indexes.length === 1 ? "" : "es"} ${indexes.join(", ")}: the workers are credited.`,
        onSent: props.onChanged,
      },
    );
  }

  const reward = (count: number) => formatAmount(BigInt(count) * t.info.rewardPerItem, props.token);
  return (
    <div className="rq-pending" data-testid={`pending-${t.id}`}>
      <div className="section-head">
        <h3 className="rq-h3">
          Pending batches <span className="badge">{pending.length}</span>
        </h3>
        {ready.length > 1 || (props.compact && ready.length > 0) ? (
          <button
            type="button"
            className="btn small"
            data-testid={`finalize-ready-${t.id}`}
            disabled={busy !== null || props.blocked !== null}
            title={props.blocked ?? undefined}
            onClick={() =>
              void finalize(
                ready.map((b) => b.index),
                "ready",
              )
            }
          >
            {busy === "ready" ? "Finalizing…" : `Finalize ${ready.length} ready`}
          </button>
        ) : null}
      </div>
      {!props.compact && (
        <ul className="rq-pending-list">
          {pending.map((b) => {
            const open = b.finalizesAt === undefined || b.finalizesAt > nowS;
            return (
              <li key={b.index} className="rq-pending-row">
                <span>
                  <strong>Batch {b.index}</strong> · {plural(b.count, "item")} · {reward(b.count)} reserved
                </span>
                <span className="muted small" data-testid={`window-${b.index}`}>
                  {b.finalizesAt === undefined
                    ? ""
                    : open
                      ? `challenge window ends ${timeLeft(b.finalizesAt, now)}`
                      : `challenge window ended ${timeLeft(b.finalizesAt, now)}`}
                </span>
                <button
                  type="button"
                  className="btn small"
                  data-testid={`finalize-${b.index}`}
                  disabled={open || busy !== null || props.blocked !== null}
                  title={open ? "The challenge window is still open" : (props.blocked ?? undefined)}
                  onClick={() => void finalize([b.index], `b${b.index}`)}
                >
                  {busy === `b${b.index}` ? "Finalizing…" : "Finalize"}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {props.compact && (
        <p className="small muted">
          {ready.length > 0
            ? `${ready.length} of ${pending.length} past the challenge window, ready to finalize.`
            : `Next window ends ${timeLeft(
                pending.reduce(
                  (m, b) => (b.finalizesAt !== undefined && b.finalizesAt < m ? b.finalizesAt : m),
                  pending[0].finalizesAt ?? 0n,
                ),
                now,
              )}.`}
        </p>
      )}
      {props.blocked && ready.length > 0 && <p className="small muted">{props.blocked}</p>}
      <TxOutcome done={done} error={error} />
    </div>
  );
}
