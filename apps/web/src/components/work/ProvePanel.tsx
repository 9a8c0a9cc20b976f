"use client";
/** "Prove and get paid": how far the batch is labeled, the labels the rule refuses, the prove button and the run. */
import type { RuleIssue } from "@zklabel/core/rules";
import type { ReactNode } from "react";
import type { Run } from "@/lib/work/job";
import type { IssueContext } from "./LabelerParts";
import type { RuleScreens } from "./labelers";
import { RunView } from "./RunView";

export function ProvePanel(props: {
  batch: number;
  /** The batch's items are downloaded (labels and counts are shown). */
  open: boolean;
  labeled: number;
  total: number;
  /** Per item of the batch: the rule's issues with its label. */
  issues: readonly (readonly RuleIssue[])[];
  screens: RuleScreens;
  issueContext: IssueContext<unknown>;
  /** Why the batch cannot be proven now, or null. */
  blocker: string | null;
  /** What the last Ctrl+Enter could not do, or null. */
  keyNote: string | null;
  /** Shown above the button: the anonymity set and how the proof will be submitted. */
  notes?: ReactNode;
  busy: boolean;
  run: Run | null;
  now: number;
  onProve(): void;
  onCancel(): void;
}) {
  const violations = props.issues.filter((x) => x.length > 0).length;
  return (
    <section className="card prove" aria-labelledby="prove-heading">
      <h2 id="prove-heading">Prove and get paid</h2>
      {props.open && (
        <>
          <p className="progress-count" data-testid="labeled-count">
            <strong>{props.labeled}</strong> of {props.total} labeled
            {violations > 0 && (
              <span className="bad" data-testid="violation-count">
                {" "}
                · {violations} breaking the rule
              </span>
            )}
          </p>
          <meter className="label-meter" min={0} max={props.total} value={props.labeled} aria-label="Items labeled" />
        </>
      )}
      {violations > 0 && (
        <div className="violations" role="alert" data-testid="rule-violations">
          <strong>The rule refuses these labels; they cannot be proven:</strong>
          <ul>
            {props.issues.map((list, i) =>
              list.length ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the item's position in the batch is its identity
                <li key={i}>
                  Item {i + 1}: {list.map((x) => props.screens.issueText(x, props.issueContext)).join("; ")}
                </li>
              ) : null,
            )}
          </ul>
        </div>
      )}
      {props.notes}
      <button
        type="button"
        className="btn primary wide"
        data-testid="prove-submit"
        disabled={props.blocker !== null || props.busy}
        onClick={props.onProve}
        aria-keyshortcuts="Control+Enter"
      >
        {props.busy && props.run?.kind === "prove" ? "Working…" : `Prove and submit batch ${props.batch}`}
      </button>
      {props.keyNote ? (
        <p className="note small" role="alert" data-testid="prove-key-note">
          {props.keyNote}
        </p>
      ) : (
        props.blocker &&
        !props.busy && (
          <p className="muted small" data-testid="prove-blocker">
            {props.blocker}
          </p>
        )
      )}
      {props.run && props.run.batch === props.batch && (
        <RunView run={props.run} now={props.now} onCancel={props.onCancel} />
      )}
    </section>
  );
}
