"use client";
/** Where the worker's current run is: its steps, stage in words, elapsed time, progress and outcome. */
import { duration, megabytes } from "@/lib/format";
import { CANCELLABLE, type Phase, type Run, WORKING } from "@/lib/work/job";

const FETCH_STEPS: { phases: Phase[]; label: string }[] = [
  { phases: ["circuit"], label: "Access circuit" },
  { phases: ["challenge", "prove"], label: "Prove membership" },
  { phases: ["download"], label: "Download items" },
];
const PROVE_STEPS: { phases: Phase[]; label: string }[] = [
  { phases: ["circuit"], label: "Circuit" },
  { phases: ["input", "witness"], label: "Witness" },
  { phases: ["proof"], label: "Proof" },
  { phases: ["submitting", "queued", "confirming"], label: "Submit" },
];

function stageText(r: Run): string {
  switch (r.phase) {
    case "circuit": {
      const dl = r.download;
      const what = r.kind === "fetch" ? "the access circuit" : "the rule circuit";
      if (!dl) return `Fetching ${what}`;
      if (dl.fromCache) return `Loading ${what} from the browser cache`;
      if (!dl.total) return `Downloading ${what} (${megabytes(dl.loaded)})`;
      return `Downloading ${what}: ${Math.floor((dl.loaded / dl.total) * 100)}% of ${megabytes(dl.total)}`;
    }
    case "challenge":
      return "Asking the vault for a one-time challenge";
    case "prove":
      return "Proving anonymously that you are a member of the worker group";
    case "download":
      return "Downloading the batch and checking every item against the dataset root";
    case "input":
      return "Checking the labels against the rule";
    case "witness":
      return "Computing the witness";
    case "proof":
      return "Generating the zero-knowledge proof";
    case "submitting":
      return r.via === "relayer"
        ? "Handing the proof to the relayer (it checks the proof before spending any gas)"
        : "Submitting the proof to the escrow (confirm in your wallet)";
    case "queued":
      return "Queued at the relayer: it sends the proof with others in one transaction within seconds";
    case "confirming":
      return r.via === "relayer"
        ? "The relayer sent the proof; waiting for the transaction to be mined"
        : "Waiting for the transaction to be mined";
    case "done":
      return r.kind === "fetch"
        ? "Batch downloaded"
        : r.via === "relayer"
          ? "Proof accepted on-chain, submitted by the relayer"
          : "Proof accepted on-chain";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
  }
}

export function RunView({ run, now, onCancel }: { run: Run; now: number; onCancel(): void }) {
  const busy = WORKING.includes(run.phase);
  const elapsed = (run.endedAt ?? now) - run.startedAt;
  const steps = run.kind === "fetch" ? FETCH_STEPS : PROVE_STEPS;
  const stepIndex = steps.findIndex((s) => s.phases.includes(run.phase));
  const fraction =
    run.phase === "circuit" && run.download?.total
      ? run.download.loaded / run.download.total
      : run.phase === "done"
        ? 1
        : undefined;
  return (
    <div
      className={`run phase-${run.phase}`}
      data-testid="run"
      data-kind={run.kind}
      data-phase={run.phase}
      data-via={run.via ?? ""}
      data-ticket={run.ticket?.status ?? ""}
      data-from-cache={run.download?.fromCache ?? ""}
      aria-live="polite"
    >
      <ol className="steps">
        {steps.map((s, i) => (
          <li
            key={s.label}
            className={run.phase === "done" || i < stepIndex ? "done" : i === stepIndex ? "current" : ""}
            aria-current={i === stepIndex ? "step" : undefined}
          >
            {s.label}
          </li>
        ))}
      </ol>
      <div className="stage-row">
        <span data-testid="run-stage">{stageText(run)}</span>
        <span className="elapsed" data-testid="run-elapsed">
          {duration(elapsed)}
        </span>
      </div>
      {(busy || run.phase === "done") &&
        (fraction === undefined ? (
          <progress aria-label="Progress" />
        ) : (
          <progress aria-label="Progress" max={1} value={fraction} />
        ))}
      {CANCELLABLE.includes(run.phase) && (
        <button type="button" className="btn ghost small" data-testid="run-cancel" onClick={onCancel}>
          Cancel
        </button>
      )}
      {run.provingMs !== undefined && (
        <p className="muted small" data-testid="proving-time" data-ms={Math.round(run.provingMs)}>
          Proof generated in {duration(run.provingMs)}
        </p>
      )}
      {run.hash && (
        <p className="small">
          Transaction{" "}
          <code data-testid="tx-hash" data-hash={run.hash} title={run.hash}>
            {`${run.hash.slice(0, 12)}…${run.hash.slice(-10)}`}
          </code>
        </p>
      )}
      {run.ticket && (
        <p className="muted small" data-testid="relayer-ticket" data-status={run.ticket.status}>
          Relayer ticket <code title={run.ticket.id}>{`${run.ticket.id.slice(0, 12)}…`}</code>: {run.ticket.status}
        </p>
      )}
      {run.phase === "failed" && (
        <p className="error" role="alert" data-testid="run-error">
          {run.error}
        </p>
      )}
      {run.phase === "cancelled" && <p className="muted small">Cancelled. Your labels are kept.</p>}
    </div>
  );
}
