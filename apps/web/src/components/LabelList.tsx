"use client";

import { type KeyboardEvent, memo, useCallback, useRef } from "react";
import { isAllowed } from "./TaskCard";

export interface LabelListProps {
  /** Dataset index of the batch's first item. */
  firstItem: number;
  items: readonly string[];
  labels: readonly (number | null)[];
  classes: readonly string[];
  allowedMask: bigint;
  /** Per item: the rule violation in words, or null. */
  problems: readonly (string | null)[];
  readOnly: boolean;
  onLabel(i: number, label: number | null): void;
}

/** The batch's items with one class button each; keys 1..K label the focused item and move on. */
export function LabelList({
  firstItem,
  items,
  labels,
  classes,
  allowedMask,
  problems,
  readOnly,
  onLabel,
}: LabelListProps) {
  const rows = useRef<(HTMLLIElement | null)[]>([]);
  const focusRow = useCallback((i: number) => {
    const row = rows.current[i];
    const target = row?.querySelector<HTMLButtonElement>('button[aria-pressed="true"]') ?? row?.querySelector("button");
    if (target && !target.disabled) {
      target.focus();
      row?.scrollIntoView({ block: "nearest" });
    }
  }, []);

  const onKeyDown = useCallback(
    (i: number, e: KeyboardEvent<HTMLFieldSetElement>) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (!readOnly && /^[1-9]$/.test(e.key) && n <= classes.length) {
        e.preventDefault();
        onLabel(i, n - 1);
        focusRow(Math.min(i + 1, items.length - 1));
      } else if (!readOnly && (e.key === "Backspace" || e.key === "Delete")) {
        e.preventDefault();
        onLabel(i, null);
      } else if (e.key === "ArrowDown" || e.key === "j") {
        e.preventDefault();
        focusRow(Math.min(i + 1, items.length - 1));
      } else if (e.key === "ArrowUp" || e.key === "k") {
        e.preventDefault();
        focusRow(Math.max(i - 1, 0));
      }
    },
    [classes.length, focusRow, items.length, onLabel, readOnly],
  );

  return (
    <ol className="items" aria-label="Items of this batch">
      {items.map((text, i) => (
        <ItemRow
          // biome-ignore lint/suspicious/noArrayIndexKey: the dataset index is the item's identity
          key={firstItem + i}
          index={i}
          item={firstItem + i}
          text={text}
          label={labels[i] ?? null}
          classes={classes}
          allowedMask={allowedMask}
          problem={problems[i] ?? null}
          readOnly={readOnly}
          onLabel={onLabel}
          onKeyDown={onKeyDown}
          rowRef={(el) => {
            rows.current[i] = el;
          }}
        />
      ))}
    </ol>
  );
}

interface ItemRowProps {
  index: number;
  item: number;
  text: string;
  label: number | null;
  classes: readonly string[];
  allowedMask: bigint;
  problem: string | null;
  readOnly: boolean;
  onLabel(i: number, label: number | null): void;
  onKeyDown(i: number, e: KeyboardEvent<HTMLFieldSetElement>): void;
  rowRef(el: HTMLLIElement | null): void;
}

const ItemRow = memo(function ItemRow({
  index,
  item,
  text,
  label,
  classes,
  allowedMask,
  problem,
  readOnly,
  onLabel,
  onKeyDown,
  rowRef,
}: ItemRowProps) {
  const state = problem ? "invalid" : label === null ? "unlabeled" : "labeled";
  const name = `Item #${item + 1}`;
  return (
    <li
      ref={rowRef}
      className={`item ${state}`}
      data-testid={`item-${item}`}
      data-label={label ?? ""}
      data-state={state}
    >
      <p className="item-text">{text}</p>
      <fieldset className="choices" onKeyDown={(e) => onKeyDown(index, e)}>
        <legend className="visually-hidden">Label for {name}</legend>
        {classes.map((c, k) => (
          <button
            type="button"
            key={c}
            className={`choice ${label === k ? "selected" : ""} ${isAllowed(allowedMask, k) ? "" : "forbidden"}`}
            aria-pressed={label === k}
            data-testid={`label-${item}-${k}`}
            disabled={readOnly}
            onClick={() => onLabel(index, k)}
          >
            <kbd>{k + 1}</kbd>
            {c}
          </button>
        ))}
      </fieldset>
      {problem && label !== null && (
        <p className="item-problem" data-testid={`item-problem-${item}`} title={problem}>
          “{classes[label]}” is not accepted in this task: choose another class.
        </p>
      )}
    </li>
  );
});
