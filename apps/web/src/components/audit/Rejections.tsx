"use client";
/**
 * Rejected submissions of a task: each BatchRejected event with its bound and transaction, and
 * "Verify in my browser": the proof is not in the event, so it is read from the rejectBatch
 * transaction's calldata and checked with snarkjs against the rule's rejection key.
 */
import { rejectCircuit } from "@zklabel/core/rules";
import { describeError } from "@zklabel/sdk/errors";
import { useState } from "react";
import type { Hash } from "viem";
import { usePublicClient } from "wagmi";
import { type NamedInput, rejectionFromCalldata, rejectionInputs, verifyInBrowser } from "@/lib/audit";
import { useDeployment } from "@/lib/deployment";
import type { Rejection, TaskView } from "@/lib/tasks";
import { Amount, CopyButton } from "./Common";
import { InputsTable } from "./ProofPanel";

export function Rejections({ task: t, batch }: { task: TaskView; batch?: number }) {
  const list = t.rejections.filter((r) => batch === undefined || r.batchIndex === batch);
  if (t.info.goldRoot === 0n) return null;
  return (
    <section className="card" aria-labelledby="audit-rejections-title" data-testid="audit-rejections">
      <div className="section-head">
        <h2 id="audit-rejections-title">Rejected submissions</h2>
        <span className="muted small">{list.length}</span>
      </div>
      <p className="small muted">
        The requester may reject a pending batch within its challenge window with a proof that its accuracy on the
        task&apos;s committed gold items is below a bound (at most the task&apos;s minimum, {t.minAccuracy} %). The
        batch&apos;s reward goes back to the task, the batch reopens, and that identity cannot submit it again.
      </p>
      {list.length === 0 ? (
        <p className="muted small">None{batch === undefined ? "" : " for this batch"}.</p>
      ) : (
        <ul className="audit-rejections">
          {list.map((r) => (
            <RejectionRow key={`${r.event.transactionHash}:${r.event.logIndex}`} task={t} r={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

type State =
  | { status: "idle" }
  | { status: "running" }
  | { status: "done"; valid: boolean; ms: number; named: NamedInput[]; circuit: string }
  | { status: "error"; message: string };

function RejectionRow({ task: t, r }: { task: TaskView; r: Rejection }) {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  const [state, setState] = useState<State>({ status: "idle" });
  const hash = r.event.transactionHash as Hash;

  async function verify() {
    setState({ status: "running" });
    try {
      if (!client) throw new Error("no connection to the chain");
      if (!t.rule) throw new Error(`this app does not know the task's rule (id ${t.info.ruleId})`);
      const circuit = rejectCircuit(t.rule);
      const tx = await client.getTransaction({ hash });
      const call = rejectionFromCalldata(tx.input);
      const { inputs, named } = rejectionInputs(circuit, t, r, call);
      const { valid, ms } = await verifyInBrowser(circuit.name, inputs, call.proof);
      setState({ status: "done", valid, ms, named, circuit: circuit.name });
    } catch (e) {
      setState({ status: "error", message: `The rejection proof could not be checked: ${describeError(e).message}.` });
    }
  }

  const mismatched = state.status === "done" ? state.named.filter((x) => x.matches === false).map((x) => x.name) : [];
  return (
    <li className="audit-rejection" data-testid={`audit-rejection-${r.batchIndex}`} data-bound={r.bound}>
      <p>
        <strong>Batch {r.batchIndex}</strong>: accuracy on gold items proven below <strong>{r.bound} %</strong> ·{" "}
        <Amount value={r.returned} token={t.token} /> back to the task · now{" "}
        {t.batches[r.batchIndex]?.status ?? "unknown"}
      </p>
      <p className="small audit-hex">
        Transaction <code data-testid={`rejection-tx-${r.batchIndex}`}>{hash}</code>{" "}
        <CopyButton value={hash} label="transaction hash" />
      </p>
      <button
        type="button"
        className="btn small"
        data-testid={`verify-rejection-${r.batchIndex}`}
        disabled={state.status === "running"}
        onClick={() => void verify()}
      >
        {state.status === "running" ? "Verifying…" : "Verify in my browser"}
      </button>
      <div aria-live="polite">
        {state.status === "done" && (
          <div
            className={`audit-result ${state.valid && mismatched.length === 0 ? "yes" : "no"}`}
            data-testid={`rejection-result-${r.batchIndex}`}
            data-valid={state.valid ? "true" : "false"}
            data-match={mismatched.length === 0 ? "true" : "false"}
          >
            <p>
              <strong>
                {state.valid
                  ? "Valid: the rejection proof checks against the rejection circuit's key"
                  : "Invalid: the rejection proof does not check against the rejection circuit's key"}
              </strong>{" "}
              <span className="small">
                ({state.circuit}.vkey.json, {state.ms.toFixed(0)} ms; proof taken from the rejectBatch calldata).
              </span>
            </p>
            <p className="small">
              {mismatched.length === 0
                ? "Its public inputs are the task's gold root and threshold, the batch, and the event's labels commitment and bound."
                : `The call does not match the chain's records: ${mismatched.join(", ")}.`}
            </p>
            <InputsTable inputs={state.named} />
          </div>
        )}
        {state.status === "error" && (
          <p className="error small" role="alert">
            {state.message}
          </p>
        )}
      </div>
    </li>
  );
}
