"use client";

import { useCallback, useEffect, useMemo, useRef } from "react";
import type { ItemWire } from "@/lib/prove-protocol";

/** Whether class `c` is allowed by the rule's mask. */
export const isAllowed = (mask: bigint, c: number) => ((mask >> BigInt(c)) & 1n) === 1n;

export interface ClassificationLabelerProps {
  items: readonly ItemWire[];
  classes: readonly string[];
  allowedMask: bigint;
  labels: readonly (number | null)[];
  /** Per item: the rule violation in words, or null. */
  problems: readonly (string | null)[];
  current: number;
  readOnly: boolean;
  onCurrent(i: number): void;
  onLabel(i: number, label: number | null): void;
}

/**
 * One item at a time, large, with a class button per class: number keys label the item and move
 * on, arrows (or J/K) move, Backspace clears. A strip below shows every item's state.
 */
export function ClassificationLabeler(p: ClassificationLabelerProps) {
  const { items, classes, labels, problems, current, readOnly, onCurrent, onLabel } = p;
  const item = items[current];
  const label = labels[current] ?? null;
  const problem = problems[current] ?? null;
  const stage = useRef<HTMLDivElement>(null);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
      const n = Number(e.key);
      if (!readOnly && /^[1-9]$/.test(e.key) && n <= classes.length) {
        e.preventDefault();
        onLabel(current, n - 1);
        if (current < items.length - 1) onCurrent(current + 1);
      } else if (!readOnly && (e.key === "Backspace" || e.key === "Delete")) {
        e.preventDefault();
        onLabel(current, null);
      } else if (e.key === "ArrowRight" || e.key === "j") {
        e.preventDefault();
        onCurrent(Math.min(current + 1, items.length - 1));
      } else if (e.key === "ArrowLeft" || e.key === "k") {
        e.preventDefault();
        onCurrent(Math.max(current - 1, 0));
      }
    },
    [classes.length, current, items.length, onCurrent, onLabel, readOnly],
  );
  useEffect(() => {
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onKey]);

  const done = labels.filter((l) => l !== null).length;
  if (!item) return null;
  return (
    <div className="labeler" data-testid="labeler">
      <div className="labeler-head">
        <span data-testid="item-position">
          Item <strong>{current + 1}</strong> of {items.length}
          <span className="muted"> · dataset item #{item.index + 1}</span>
        </span>
        <span className="muted small" data-testid="batch-progress">
          {done} of {items.length} labeled
        </span>
      </div>
      <div
        ref={stage}
        className={`item-stage ${problem ? "invalid" : label !== null ? "labeled" : ""}`}
        data-testid="item-stage"
        data-item={item.index}
        data-label={label ?? ""}
      >
        <ItemView item={item} />
      </div>
      {problem && label !== null && (
        <p className="item-problem" role="alert" data-testid="item-problem">
          Rule: “{classes[label]}” is not accepted in this task. Choose another class.
        </p>
      )}
      <fieldset className="class-buttons">
        <legend className="visually-hidden">Class of item {current + 1}</legend>
        {classes.map((c, k) => (
          <button
            type="button"
            key={c}
            className={`choice ${label === k ? "selected" : ""} ${isAllowed(p.allowedMask, k) ? "" : "forbidden"}`}
            aria-pressed={label === k}
            aria-keyshortcuts={k < 9 ? String(k + 1) : undefined}
            data-testid={`class-${k}`}
            disabled={readOnly}
            onClick={() => {
              onLabel(current, k);
              if (current < items.length - 1) onCurrent(current + 1);
            }}
          >
            {k < 9 && <kbd>{k + 1}</kbd>}
            {c}
          </button>
        ))}
      </fieldset>
      <div className="labeler-nav">
        <button
          type="button"
          className="btn small"
          data-testid="prev-item"
          disabled={current === 0}
          onClick={() => onCurrent(current - 1)}
          aria-keyshortcuts="ArrowLeft"
        >
          ← Previous
        </button>
        <ol className="item-strip" aria-label="Items of this batch">
          {items.map((it, i) => {
            const state = problems[i] ? "invalid" : labels[i] !== null && labels[i] !== undefined ? "labeled" : "open";
            return (
              <li key={it.index}>
                <button
                  type="button"
                  className={`dot ${state} ${i === current ? "current" : ""}`}
                  aria-label={`Item ${i + 1}: ${state === "open" ? "not labeled" : state === "invalid" ? "breaks the rule" : classes[labels[i] as number]}`}
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
          aria-keyshortcuts="ArrowRight"
        >
          Next →
        </button>
      </div>
    </div>
  );
}

/** An item as the vault sent it: text shown as text, images as images. */
function ItemView({ item }: { item: ItemWire }) {
  const url = useMemo(
    () =>
      item.type.startsWith("image/")
        ? URL.createObjectURL(new Blob([item.bytes as BlobPart], { type: item.type }))
        : undefined,
    [item],
  );
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  const text = useMemo(
    () => (url ? "" : new TextDecoder("utf-8", { fatal: false }).decode(item.bytes)),
    [item.bytes, url],
  );
  // biome-ignore lint/performance/noImgElement: a blob: URL of a vault item, nothing for next/image to optimize
  if (url) return <img className="item-image" src={url} alt={`Item ${item.index + 1} (${item.name})`} />;
  return (
    <p className="item-text-large" data-testid="item-text">
      {text}
    </p>
  );
}
