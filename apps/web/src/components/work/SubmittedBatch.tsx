"use client";
/** A batch with an accepted proof: pending until its window ends (anyone may then finalize it), or paid. */
import Link from "next/link";
import { bringDevClockToNow, useTransaction } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import type { BatchView, TaskView } from "@/lib/tasks";
import { timeLeft } from "@/lib/time";

export function SubmittedBatch(props: {
  task: TaskView;
  bv: BatchView;
  chainNow: bigint;
  account: string | undefined;
  /** This page handed the batch's proof to the relayer, which finalizes the batches it submitted. */
  byRelayer?: boolean;
}) {
  const { task, bv, chainNow } = props;
  const d = useDeployment();
  const tx = useTransaction<"finalize">();
  const ends = bv.finalizesAt ?? 0n;
  const due = chainNow >= ends;

  const finalize = () =>
    tx.send(
      "finalize",
      async (client) => {
        await bringDevClockToNow(client, d.chainId);
        await client.finalize(task.id, [bv.index]);
      },
      { done: `Batch ${bv.index} is finalized.` },
    );

  if (bv.status === "verified") {
    return (
      <p className="note ok" data-testid="batch-paid">
        Batch {bv.index} is verified and its reward credited.{" "}
        <Link href={`/audit/${task.id}/batch/${bv.index}`}>See its proof</Link>
      </p>
    );
  }
  return (
    <div className="note" data-testid="batch-pending">
      <p>
        Batch {bv.index}'s proof was accepted. It is pending while the requester may check it against gold items: the
        challenge window {due ? "has ended" : `ends ${timeLeft(ends, Number(chainNow) * 1000)}`} (
        {new Date(Number(ends) * 1000).toLocaleString()}).
      </p>
      {due && (
        <>
          <p>Anyone may now finalize it, which credits the reward.</p>
          <button
            type="button"
            className="btn primary small"
            data-testid="finalize-batch"
            disabled={tx.busy !== null || !props.account}
            onClick={() => void finalize()}
          >
            {tx.busy ? "Finalizing…" : "Finalize and credit the reward"}
          </button>
          {!props.account && (
            <p className="muted small">
              {props.byRelayer
                ? "The relayer that submitted it finalizes it within seconds; or connect a wallet to send the finalize transaction yourself."
                : "Connect a wallet to send the finalize transaction."}
            </p>
          )}
        </>
      )}
      {tx.error && (
        <p className="error small" role="alert" data-testid="finalize-error">
          {tx.error}
        </p>
      )}
    </div>
  );
}
