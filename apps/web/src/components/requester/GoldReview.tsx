"use client";
/**
 * The requester's review of a gold task's pending batches: decrypted with the wallet-derived key,
 * scored against the gold openings in this browser, a countdown to each window's end, and
 * "Reject with proof" for a batch under the task's minimum accuracy while its window is open.
 * The proof is made in the prover thread; the transaction goes through the SDK client.
 */
import type { ReviewedBatch } from "@zklabel/sdk/review";
import { useId, useState } from "react";
import type { Address } from "viem";
import { TxOutcome } from "@/components/common/TxOutcome";
import { useTransaction } from "@/lib/client";
import { messageFor } from "@/lib/errors";
import { duration, plural } from "@/lib/format";
import { accuracyText, useReview, windowOpen } from "@/lib/gold-review";
import type { ProverProgress } from "@/lib/prover-client";
import { startRejecting } from "@/lib/prover-client";
import type { RequesterKey } from "@/lib/requester-key";
import type { GoldRecord } from "@/lib/requester-store";
import type { TaskView } from "@/lib/tasks";
import { timeLeft } from "@/lib/time";
import { formatAmount, type TokenInfo } from "@/lib/tokens";
import "./requester.css";

type Step =
  | { batch: number; phase: "circuit"; loaded?: number; total?: number | null }
  | { batch: number; phase: "proof" }
  | { batch: number; phase: "send"; provingMs: number }
  | { batch: number; phase: "done" };

const STEP_WORDS: Record<Step["phase"], string> = {
  circuit: "Loading the rejection circuit",
  proof: "Proving in the prover thread (the page stays usable)",
  send: "Sending the rejection",
  done: "Rejected",
};

export function GoldReview(props: {
  task: TaskView;
  token: TokenInfo | undefined;
  gold: { gold: GoldRecord | null | undefined; load(file: File): Promise<void>; problem: string | null };
  requesterKey: RequesterKey;
  account: Address | undefined;
  isRequester: boolean;
  blocked: string | null;
  chainNow: number;
  nowMs: number;
  onChanged(): void;
}) {
  const t = props.task;
  const id = useId();
  const { gold } = props.gold;
  const review = useReview(t, props.requesterKey.skR, gold);
  const tx = useTransaction<number>();
  const [step, setStep] = useState<Step | null>(null);
  const [proveError, setProveError] = useState<string | null>(null);
  const pending = t.batches.filter((b) => b.status === "pending");
  const clock = Math.max(props.nowMs, props.chainNow * 1000);
  const reward = (count: number) => formatAmount(BigInt(count) * t.info.rewardPerItem, props.token);

  async function reject(b: ReviewedBatch) {
    if (!gold || props.blocked || !props.isRequester) return;
    setProveError(null);
    setStep({ batch: b.batchIndex, phase: "circuit" });
    const job = startRejecting(
      {
        kind: "reject",
        task: t.info,
        batch: b,
        openings: gold.openings,
        minAccuracy: t.minAccuracy,
        goldThreshold: t.goldThreshold,
      },
      (e: ProverProgress) => {
        if (e.type === "stage" && e.stage === "proof") setStep({ batch: b.batchIndex, phase: "proof" });
        else if (e.type === "download")
          setStep((s) => (s?.phase === "circuit" ? { ...s, loaded: e.loaded, total: e.total } : s));
      },
    );
    let proved: Awaited<typeof job.result>;
    try {
      proved = await job.result;
    } catch (e) {
      setStep(null);
      setProveError(`The rejection could not be proved: ${messageFor(e)}`);
      return;
    }
    setStep({ batch: b.batchIndex, phase: "send", provingMs: proved.timings.provingMs });
    const ok = await tx.send(
      b.batchIndex,
      (client) =>
        client.rejectBatch(
          t.id,
          { batchIndex: b.batchIndex, nullifier: b.nullifier, labelsCommitment: b.labelsCommitment },
          { proof: proved.proof, bound: proved.bound },
        ),
      {
        done: `Batch ${b.batchIndex} rejected with a proof (${proved.correct} of ${proved.gold} gold items right, below ${proved.bound} %; proved in ${duration(proved.timings.provingMs)}): ${reward(b.count)} went back to the task and the batch is open to other workers.`,
        onSent: props.onChanged,
      },
    );
    setStep(ok ? { batch: b.batchIndex, phase: "done" } : null);
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="gold-review">
      <div className="section-head">
        <h2 id={`${id}-h`}>Gold review</h2>
        <span className="muted small" data-testid="rejected-count" data-count={t.rejections.length}>
          {plural(t.rejections.length, "batch", "batches")} rejected · {plural(pending.length, "pending")}
        </span>
      </div>
      <p className="small" data-testid="review-duty">
        <strong>Your duty:</strong> a batch you do not review and reject before its challenge window ends is paid,
        whatever its labels. A batch can be rejected only when its accuracy on gold items is below the task&apos;s
        minimum ({t.minAccuracy} %)
        {t.goldThreshold > 0 && t.rule?.gold ? ` (${t.rule.gold.threshold}: ${t.goldThreshold} %)` : ""}; workers see
        only that it was rejected, never which items were gold.
      </p>

      {gold === undefined ? (
        <p className="muted small">Looking for the gold openings in this browser…</p>
      ) : gold === null ? (
        <div data-testid="gold-needed">
          <p className="small">
            The gold answers and salts of this task are not in this browser, so its batches cannot be scored here. Load
            the file you downloaded when posting (task-{t.id.toString()}-gold-openings.json); it stays in this browser.
          </p>
          <label className="field" htmlFor={`${id}-file`}>
            <span>Gold openings file</span>
            <input
              id={`${id}-file`}
              type="file"
              accept="application/json,.json"
              data-testid="gold-file-input"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void props.gold.load(f);
                e.target.value = "";
              }}
            />
          </label>
        </div>
      ) : props.requesterKey.skR === null ? (
        <>
          <p className="small muted">
            Scoring decrypts the pending batches with your key: your wallet signs the same free message as when posting.
          </p>
          <button
            type="button"
            className="btn primary"
            data-testid="review-decrypt"
            disabled={props.requesterKey.busy || pending.length === 0}
            onClick={() => void props.requesterKey.derive()}
          >
            {props.requesterKey.busy
              ? "Waiting for the signature…"
              : pending.length === 0
                ? "No batch to review"
                : `Decrypt and score ${plural(pending.length, "pending batch", "pending batches")}`}
          </button>
          {props.requesterKey.error && (
            <p className="error small" role="alert">
              {props.requesterKey.error}
            </p>
          )}
        </>
      ) : null}
      {props.gold.problem && (
        <p className="error small" role="alert" data-testid="gold-file-error">
          {props.gold.problem}
        </p>
      )}
      {review && "error" in review && (
        <p className="error small" role="alert">
          {review.error}
        </p>
      )}
      {review &&
        "batches" in review &&
        (review.batches.length === 0 ? (
          <p className="muted small">No batch is waiting for review.</p>
        ) : (
          <ul className="rq-pending-list" aria-label="Pending batches scored against gold">
            {review.batches.map((b) => {
              const open = windowOpen(b, Math.floor(clock / 1000));
              const below = b.gold > 0 && 100 * b.correct < t.minAccuracy * b.gold;
              const can = b.rejectable && open;
              const busy = tx.busy !== null || (step !== null && step.phase !== "done");
              return (
                <li
                  key={b.batchIndex}
                  className="rq-pending-row"
                  data-testid={`review-batch-${b.batchIndex}`}
                  data-gold={b.gold}
                  data-correct={b.correct}
                  data-rejectable={can ? "true" : "false"}
                >
                  <span>
                    <strong>Batch {b.batchIndex}</strong> · {plural(b.count, "item")} ·{" "}
                    <span data-testid={`accuracy-${b.batchIndex}`} className={below ? "bad" : "ok"}>
                      {accuracyText(b)}
                    </span>
                  </span>
                  <span className="muted small" data-testid={`review-window-${b.batchIndex}`}>
                    {open
                      ? `window ends ${timeLeft(BigInt(b.endsAt), clock)}`
                      : `window ended ${timeLeft(BigInt(b.endsAt), clock)}: it is paid`}
                  </span>
                  {can ? (
                    <button
                      type="button"
                      className="btn small rq-danger"
                      data-testid={`reject-${b.batchIndex}`}
                      disabled={busy || props.blocked !== null || !props.isRequester}
                      title={props.blocked ?? (props.isRequester ? undefined : "Only the task's requester may reject")}
                      onClick={() => void reject(b)}
                    >
                      {step?.batch === b.batchIndex && step.phase !== "done" ? "Rejecting…" : "Reject with proof"}
                    </button>
                  ) : (
                    <span className="small muted" data-testid={`not-rejectable-${b.batchIndex}`}>
                      {b.gold === 0
                        ? "cannot be rejected: no gold item"
                        : !below
                          ? `at or above the minimum ${t.minAccuracy} %: it will be paid`
                          : "cannot be rejected any more"}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        ))}
      {step && step.phase !== "done" && (
        <p className="small" role="status" data-testid="reject-progress" data-phase={step.phase}>
          Batch {step.batch}: {STEP_WORDS[step.phase]}
          {step.phase === "circuit" && step.loaded !== undefined
            ? ` (${(step.loaded / 1e6).toFixed(1)}${step.total ? ` of ${(step.total / 1e6).toFixed(1)}` : ""} MB)`
            : ""}
          {step.phase === "send" ? ` (proved in ${duration(step.provingMs)})` : ""}…
        </p>
      )}
      {proveError && (
        <p className="error small" role="alert" data-testid="reject-error">
          {proveError}
        </p>
      )}
      <div data-testid="reject-outcome">
        <TxOutcome done={tx.done} error={tx.error} />
      </div>

      {t.rejections.length > 0 && (
        <>
          <h3 className="rq-h3">Rejected</h3>
          <ul className="rq-pending-list" data-testid="rejections">
            {t.rejections.map((r) => (
              <li
                key={`${r.event.transactionHash}:${r.event.logIndex}`}
                className="rq-pending-row"
                data-testid={`rejected-${r.batchIndex}`}
              >
                <span>
                  <strong>Batch {r.batchIndex}</strong> · rejected: accuracy on gold items below {r.bound} %
                </span>
                <span className="muted small">
                  {formatAmount(r.returned, props.token)} back to the task ·{" "}
                  {t.batches[r.batchIndex]?.status === "open" ? "open again" : t.batches[r.batchIndex]?.status}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
