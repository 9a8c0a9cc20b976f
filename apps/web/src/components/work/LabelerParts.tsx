"use client";
/** Pieces the three labelers (classification, box, sensor) share: head, class buttons, navigation, keys. */
import { b64encode } from "@zklabel/sdk/vault";
import { type ReactNode, useEffect } from "react";
import type { ItemWire } from "@/lib/prove-protocol";

/** The props every labeler takes: the batch's items, their labels (L) and rule problems, the item shown. */
export interface LabelerProps<L, Chosen = L> {
  items: readonly ItemWire[];
  labels: readonly (L | null)[];
  /** Per item: the rule violation in words, or null. */
  problems: readonly (string | null)[];
  current: number;
  readOnly: boolean;
  onCurrent(i: number): void;
  onLabel(i: number, label: Chosen | null): void;
}

/** Whether class `c` is allowed by the rule's mask. */
export const isAllowed = (mask: bigint, c: number) => ((mask >> BigInt(c)) & 1n) === 1n;

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
export function LabelerHead(props: { labeler: LabelerProps<unknown, never>; children?: ReactNode }) {
  const { items, current, labels } = props.labeler;
  const done = labels.filter((l) => l !== null && l !== undefined).length;
  return (
    <div className="labeler-head">
      <span data-testid="item-position">
        Item <strong>{current + 1}</strong> of {items.length}
        <span className="muted"> · dataset item #{(items[current] as ItemWire).index + 1}</span>
        {props.children}
      </span>
      <span className="muted small" data-testid="batch-progress">
        {done} of {items.length} labeled
      </span>
    </div>
  );
}

/** One button per class of the task (number keys 1–9 shown), forbidden classes marked; `children` go after them. */
export function ClassButtons(props: {
  classes: readonly string[];
  allowedMask: bigint;
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
          className={`choice ${selected === k ? "selected" : ""} ${isAllowed(props.allowedMask, k) ? "" : "forbidden"}`}
          aria-pressed={selected === k}
          aria-keyshortcuts={k < 9 ? String(k + 1) : undefined}
          data-testid={`class-${k}`}
          disabled={props.readOnly}
          onClick={() => props.onChoose(k)}
        >
          {k < 9 && <kbd>{k + 1}</kbd>}
          {c}
        </button>
      ))}
      {props.children}
    </fieldset>
  );
}

/**
 * The Previous / item strip / Next row under a labeler: one `dot-<i>` button per item, in state
 * "invalid" (it has a problem), "labeled" or "open".
 */
export function LabelerNav(props: {
  labeler: LabelerProps<unknown, never>;
  /** Words for an item without a label, and for labeled item `i`. */
  openWords: string;
  labeledWords(i: number): string;
  /** aria-keyshortcuts of the Previous and Next buttons. */
  prevKeys: string;
  nextKeys: string;
}) {
  const { items, labels, problems, current, onCurrent } = props.labeler;
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
          const state = problems[i] ? "invalid" : (labels[i] ?? null) !== null ? "labeled" : "open";
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
