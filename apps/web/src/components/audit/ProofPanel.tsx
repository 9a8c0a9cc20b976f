"use client";
/** A batch's Groth16 proof and named public inputs, and "Verify in my browser" against the verification key. */
import type { CircuitInfo } from "@zklabel/core/registry";
import { ruleCircuit } from "@zklabel/core/rules";
import { describeError } from "@zklabel/sdk/errors";
import type { DecodedLog } from "@zklabel/sdk/events";
import { useMemo, useState } from "react";
import { hex, type NamedInput, namedInputs, type SubmittedProof, verifyInBrowser } from "@/lib/audit";
import { deployedRule, useDeployment } from "@/lib/deployment";
import { ruleTitle, type TaskView } from "@/lib/tasks";
import { Hex } from "./Common";

const WORD_NAMES = ["A.x", "A.y", "B.x[1]", "B.x[0]", "B.y[1]", "B.y[0]", "C.x", "C.y"] as const;

/** The proof's eight words, its public inputs by name (checked against the event) and the in-browser check. */
export function ProofPanel({
  task,
  submitted,
  proof,
}: {
  task: TaskView;
  submitted: DecodedLog;
  proof: SubmittedProof;
}) {
  const d = useDeployment();
  const circuit = task.rule ? ruleCircuit(task.rule) : undefined;
  const taskVerifier = (task.created.args.rule as { verifier: string }).verifier;
  // The key this app serves is the deployment's for the rule: it speaks for the task when the task's verifier is that one.
  const served = task.rule ? deployedRule(d, task.rule)?.verifier : undefined;
  const keyIsTasks = served?.toLowerCase() === taskVerifier.toLowerCase();
  const named = useMemo(() => {
    if (!circuit)
      return {
        problem: `this app has no circuit for this task's rule (${ruleTitle(task)}), so it cannot name the inputs`,
      };
    try {
      return { inputs: namedInputs(circuit, proof.inputs, submitted, task.info.taskHash) };
    } catch (e) {
      return { problem: describeError(e).message };
    }
  }, [circuit, proof.inputs, submitted, task]);

  return (
    <section className="card" aria-labelledby="audit-proof-title">
      <div className="section-head">
        <h2 id="audit-proof-title">Proof</h2>
        <span className="muted small">
          Groth16 on BN254 · taken from the {proof.functionName} calldata
          {circuit && (
            <>
              {" "}
              · circuit <code>{circuit.name}</code>
            </>
          )}
        </span>
      </div>
      {circuit ? (
        <VerifyButton circuit={circuit} proof={proof} inputs={named.inputs} keyIsTasks={keyIsTasks} />
      ) : (
        <p className="error">
          This app serves no verification key for this task&apos;s rule ({ruleTitle(task)}), so the proof cannot be
          checked here: verify it with snarkjs and the rule&apos;s key.
        </p>
      )}
      {!keyIsTasks && circuit && (
        <p className="error small">
          This task&apos;s verifier ({taskVerifier}) is not the one this app&apos;s verification key was deployed with (
          {served ?? "none for this rule"}): a result here does not speak for the key the escrow used.
        </p>
      )}
      <h3 className="audit-subhead">Proof words (uint256[8])</h3>
      <ol className="audit-words audit-proof-words">
        {proof.proof.map((w, i) => (
          <li key={WORD_NAMES[i]}>
            <span className="muted">{WORD_NAMES[i]}</span> <code>{hex(w)}</code>
          </li>
        ))}
      </ol>
      <h3 className="audit-subhead">Public inputs ({proof.inputs.length})</h3>
      {named.inputs ? (
        <InputsTable inputs={named.inputs} />
      ) : (
        <p className="error">The public inputs could not be named: {named.problem}.</p>
      )}
    </section>
  );
}

export function InputsTable({ inputs }: { inputs: NamedInput[] }) {
  return (
    <div className="audit-table-wrap">
      <table className="audit-table audit-inputs">
        <caption className="visually-hidden">The proof&apos;s public inputs, in the circuit&apos;s order</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            <th scope="col">Matches</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((x, i) => (
            <tr key={x.name} data-testid={`public-input-${x.name}`}>
              <td className="num muted">{i}</td>
              <th scope="row">
                <code>{x.name}</code>
              </th>
              <td>
                <code className="audit-full" title={x.value < 1n << 64n ? hex(x.value) : x.value.toString()}>
                  {x.value < 1n << 64n ? x.value.toString() : hex(x.value)}
                </code>
              </td>
              <td>
                {x.matches === undefined ? (
                  <span className="muted small">—</span>
                ) : x.matches ? (
                  <span className="ok small">✓ {x.source}</span>
                ) : (
                  <span className="bad small">
                    ✗ {x.source} says <Hex value={hex(x.expected ?? 0n)} keep={6} />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Verify =
  | { status: "idle" }
  | { status: "running" }
  | { status: "done"; valid: boolean; ms: number }
  | { status: "error"; message: string };

function VerifyButton({
  circuit,
  proof,
  inputs,
  keyIsTasks,
}: {
  circuit: CircuitInfo;
  proof: SubmittedProof;
  inputs: NamedInput[] | undefined;
  keyIsTasks: boolean;
}) {
  const [state, setState] = useState<Verify>({ status: "idle" });
  const mismatched = inputs?.filter((x) => x.matches === false).map((x) => x.name) ?? [];

  const run = async () => {
    setState({ status: "running" });
    try {
      const { valid, ms } = await verifyInBrowser(circuit.name, proof.inputs, proof.proof);
      setState({ status: "done", valid, ms });
    } catch (e) {
      setState({
        status: "error",
        message: `The proof could not be checked: ${describeError(e).message}. Reload the page and try again.`,
      });
    }
  };

  return (
    <div className="audit-verify">
      <button
        type="button"
        className="btn primary"
        data-testid="verify-in-browser"
        onClick={run}
        disabled={state.status === "running"}
      >
        {state.status === "running" ? "Verifying…" : "Verify in my browser"}
      </button>
      <div aria-live="polite" className="audit-verify-out">
        {state.status === "done" && (
          <div
            className={`audit-result ${state.valid ? "yes" : "no"}`}
            data-testid="verify-result"
            data-valid={state.valid ? "true" : "false"}
          >
            <p>
              <strong>
                {state.valid
                  ? "Valid: the proof checks against the verification key"
                  : "Invalid: the proof does not check against the verification key"}
              </strong>{" "}
              <span className="small">
                ({circuit.name}.vkey.json, {state.ms.toFixed(0)} ms{keyIsTasks ? "" : ", not this task's key"}).
              </span>
            </p>
            <p className="small" data-testid="inputs-match" data-match={mismatched.length === 0 ? "true" : "false"}>
              {mismatched.length === 0
                ? "The public inputs match the BatchSubmitted event and the task's hash."
                : `The public inputs do not match the chain's records: ${mismatched.join(", ")}.`}
            </p>
          </div>
        )}
        {state.status === "error" && (
          <p className="error" role="alert">
            {state.message}
          </p>
        )}
      </div>
    </div>
  );
}
