"use client";
/** Where posting is: the steps, what the wallet is asked now, the upload's progress, and a failure with what is kept. */
import type { PostRun, PostStep } from "@/lib/post-run";
import { UploadBar, type UploadProgress } from "./UploadBar";

export const STEP_LABELS: Record<PostStep, string> = {
  key: "Sign key",
  check: "Check",
  gold: "Gold",
  upload: "Upload",
  approve: "Approve",
  create: "Create",
};

const STEP_WORDS: Record<PostStep, string> = {
  key: "Sign the key message in your wallet (free, no transaction)…",
  check: "Checking the dataset, the worker group and your balance…",
  gold: "Committing to the gold answers…",
  upload: "Uploading the items to the vault…",
  approve: "Approve the escrow to take the total in your wallet…",
  create: "Confirm the transaction that creates and funds the task…",
};

export function PostProgress(props: {
  run: PostRun | null;
  steps: readonly PostStep[];
  upload: UploadProgress | null;
  /** "Fix these fields" (the form's invalid fields, live), or null. */
  invalidFields: string | null;
  onStopUpload(): void;
}) {
  const { run, steps, upload } = props;
  const stepIndex = run ? steps.indexOf(run.step) : -1;
  const running = run?.status === "running";
  return (
    <>
      {run && !run.invalid && (
        <div className={`run rq-run ${run.status}`} aria-live="polite" data-step={run.step}>
          <ol className="steps">
            {steps.map((s, i) => (
              <li
                key={s}
                className={i < stepIndex ? "done" : i === stepIndex ? "current" : ""}
                aria-current={i === stepIndex ? "step" : undefined}
              >
                {STEP_LABELS[s]}
              </li>
            ))}
          </ol>
          {running && (
            <p className="small" data-testid="post-stage">
              {STEP_WORDS[run.step]}
            </p>
          )}
        </div>
      )}
      {upload && run && (run.step === "upload" || stepIndex > steps.indexOf("upload")) && (
        <UploadBar upload={upload}>
          {running && run.step === "upload" && (
            <>
              {" "}
              <button type="button" className="btn ghost small" onClick={props.onStopUpload}>
                Stop upload
              </button>
            </>
          )}
        </UploadBar>
      )}
      {run?.status === "failed" && (!run.invalid || props.invalidFields) && (
        <div className="rq-failed" role="alert" data-testid="post-error">
          <p>
            {!run.invalid && run.step !== "check" && <strong>{STEP_LABELS[run.step]} failed: </strong>}
            {run.invalid ? props.invalidFields : run.error}
          </p>
          {!run.invalid && run.step !== "check" && run.step !== "key" && (
            <p className="small muted">
              Nothing is lost: your form, the signed key and any uploaded items are kept, so posting again continues
              where it stopped.
            </p>
          )}
        </div>
      )}
    </>
  );
}
