"use client";
/** Pieces every labeler shares: its props, head, class buttons, navigation, keys, class-rule words, image URLs. */
import { classNumber, itemNumber } from "@zklabel/core/display";
import type { AnyRule, RuleIssue } from "@zklabel/core/rules";
import { b64encode } from "@zklabel/sdk/vault";
import { type ReactNode, useEffect } from "react";
import type { ItemWire } from "@/lib/prover-protocol";

/**
 * The props every labeler takes: the batch's items (bytes and what the rule reads of them), the
 * task's decoded rule parameters P, its classes, and per item its label L and the rule's issues
 * with it (the checker's typed issues, empty when the label keeps the rule).
 */
export interface LabelerProps<P, L> {
  /** The task's rule module (the generic labeler reads its label fields). */
  rule?: AnyRule;
  items: readonly ItemWire[];
  params: P;
  /** Class names by class index (the rule's classNames). */
  classes: readonly string[];
  /** The classes workers may use. */
  allowed: readonly number[];
  labels: readonly (L | null)[];
  issues: readonly (readonly RuleIssue[])[];
  current: number;
  readOnly: boolean;
  onCurrent(i: number): void;
  onLabel(i: number, label: L | null): void;
}

/** What an issue's words need besides its own fields. */
export interface IssueContext<P> {
  classes: readonly string[];
  params: P;
}

/** A class in quotes, by name ("off-topic"), or by its number when it has none. */
export const quotedClass = (classes: readonly string[], c: number): string =>
  classes[c] !== undefined ? `“${classes[c]}”` : `class ${classNumber(c)}`;

/** The words of the class checks every class-based rule makes (undefined for other codes). */
export function classIssueText(issue: RuleIssue, classes: readonly string[]): string | undefined {
  const label = Number(issue.label);
  switch (issue.code) {
    case "class_not_allowed":
      return `${quotedClass(classes, label)} is not accepted in this task`;
    case "class_out_of_range":
      return `class ${classNumber(label)} is beyond the task's ${String(issue.numClasses)} classes`;
    case "not_a_class":
      return `${String(issue.label)} is not a class of this task`;
    default:
      return undefined;
  }
}

/** What to do about a class issue. */
export const CLASS_HINT = "Choose another class.";

/**
 * Calls `onKey` for every key pressed anywhere in the window, except keys typed into a text input,
 * a textarea, editable content or (when `withSelect`) a select, which keep their keys.
 */
export function useLabelerKeys(onKey: (e: KeyboardEvent) => void, withSelect = true) {
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (
        target &&
        (target.tagName === "INPUT" ||
          target.tagName === "TEXTAREA" ||
          (withSelect && target.tagName === "SELECT") ||
          target.isContentEditable)
      )
        return;
      onKey(e);
    };
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, [onKey, withSelect]);
}

/** The labeler's head line: which item is shown (plus `children`) and how many items are labeled. */
export function LabelerHead(props: { labeler: LabelerProps<unknown, unknown>; children?: ReactNode }) {
  const { items, current, labels } = props.labeler;
  const done = labels.filter((l) => l !== null && l !== undefined).length;
  return (
    <div className="labeler-head">
      <span data-testid="item-position">
        Item <strong>{current + 1}</strong> of {items.length}
        <span className="muted"> · dataset item #{itemNumber(items[current].index)}</span>
        {props.children}
      </span>
      <span className="muted small" data-testid="batch-progress">
        {done} of {items.length} labeled
      </span>
    </div>
  );
}

/** The rule's words on the item shown, when its label breaks the rule. */
export function ItemProblem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="item-problem" role="alert" data-testid="item-problem">
      Rule: {text}
    </p>
  );
}

/** One button per class of the task (number keys 1–9, class 1 = key 1), forbidden classes marked; `children` go after them. */
export function ClassButtons(props: {
  classes: readonly string[];
  allowed: readonly number[];
  /** The selected class, or null. */
  selected: number | null;
  readOnly: boolean;
  legend: string;
  onChoose(k: number): void;
  children?: ReactNode;
}) {
  const { classes, selected } = props;
  return (
    <fieldset className="class-buttons">
      <legend className="visually-hidden">{props.legend}</legend>
      {classes.map((c, k) => (
        <button
          type="button"
          key={c}
          className={`choice ${selected === k ? "selected" : ""} ${props.allowed.includes(k) ? "" : "forbidden"}`}
          aria-pressed={selected === k}
          aria-keyshortcuts={k < 9 ? String(classNumber(k)) : undefined}
          data-testid={`class-${k}`}
          disabled={props.readOnly}
          onClick={() => props.onChoose(k)}
        >
          {k < 9 && <kbd>{classNumber(k)}</kbd>}
          {c}
        </button>
      ))}
      {props.children}
    </fieldset>
  );
}

/**
 * The Previous / item strip / Next row under a labeler: one `dot-<i>` button per item, in state
 * "invalid" (its label breaks the rule), "labeled" or "open".
 */
export function LabelerNav(props: {
  labeler: LabelerProps<unknown, unknown>;
  /** Words for an item without a label, and for labeled item `i`. */
  openWords: string;
  labeledWords(i: number): string;
  /** aria-keyshortcuts of the Previous and Next buttons. */
  prevKeys: string;
  nextKeys: string;
}) {
  const { items, labels, issues, current, onCurrent } = props.labeler;
  return (
    <div className="labeler-nav">
      <button
        type="button"
        className="btn small"
        data-testid="prev-item"
        disabled={current === 0}
        onClick={() => onCurrent(current - 1)}
        aria-keyshortcuts={props.prevKeys}
      >
        ← Previous
      </button>
      <ol className="item-strip" aria-label="Items of this batch">
        {items.map((it, i) => {
          const state = issues[i]?.length ? "invalid" : (labels[i] ?? null) !== null ? "labeled" : "open";
          return (
            <li key={it.index}>
              <button
                type="button"
                className={`dot ${state} ${i === current ? "current" : ""}`}
                aria-label={`Item ${i + 1}: ${state === "open" ? props.openWords : state === "invalid" ? "breaks the rule" : props.labeledWords(i)}`}
                aria-current={i === current ? "true" : undefined}
                data-testid={`dot-${i}`}
                data-state={state}
                onClick={() => onCurrent(i)}
              />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="btn small"
        data-testid="next-item"
        disabled={current === items.length - 1}
        onClick={() => onCurrent(current + 1)}
        aria-keyshortcuts={props.nextKeys}
      >
        Next →
      </button>
    </div>
  );
}

const imageUrls = new WeakMap<ItemWire, string>();

/**
 * An image item's data: URL (made once per item and kept with it). Not a blob: URL: one revoked
 * while the browser still loads it (moving fast through a batch) fails with a console error.
 */
export function itemImageUrl(item: ItemWire): string | undefined {
  if (!item.type.startsWith("image/")) return undefined;
  let url = imageUrls.get(item);
  if (!url) {
    url = `data:${item.type};base64,${b64encode(item.bytes)}`;
    imageUrls.set(item, url);
  }
  return url;
}
