"use client";

import { itemNumber } from "@zklabel/core/display";
import type { RuleIssue } from "@zklabel/core/rules";
import type { ClassificationParams } from "@zklabel/core/rules/classification";
import { useCallback, useMemo, useRef } from "react";
import type { ItemWire } from "@/lib/prover-protocol";
import {
  CLASS_HINT,
  ClassButtons,
  classIssueText,
  type IssueContext,
  ItemProblem,
  itemImageUrl,
  LabelerHead,
  LabelerNav,
  type LabelerProps,
  useLabelerKeys,
} from "./LabelerParts";

/** A classification label is a class index. */
export type ClassificationLabelerProps = LabelerProps<ClassificationParams, number>;

/** A classification issue in words, from its fields. */
export const classificationIssueText = (issue: RuleIssue, ctx: IssueContext<ClassificationParams>): string =>
  classIssueText(issue, ctx.classes) ?? issue.message;

/**
 * One item at a time, large, with a class button per class: number keys label the item and move
 * on, arrows (or J/K) move, Backspace clears. A strip below shows every item's state.
 */
export function ClassificationLabeler(p: ClassificationLabelerProps) {
  const { items, classes, labels, issues, current, readOnly, onCurrent, onLabel } = p;
  const item = items[current];
  const label = labels[current] ?? null;
  const issue = issues[current]?.[0];
  const stage = useRef<HTMLDivElement>(null);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
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
  // This labeler has always taken keys pressed in a <select> too (the others leave them to it).
  useLabelerKeys(onKey);

  if (!item) return null;
  return (
    <div className="labeler" data-testid="labeler">
      <LabelerHead labeler={p} />
      <div
        ref={stage}
        className={`item-stage ${issue ? "invalid" : label !== null ? "labeled" : ""}`}
        data-testid="item-stage"
        data-item={item.index}
        data-label={label ?? ""}
      >
        <ItemView item={item} />
      </div>
      <ItemProblem
        text={issue ? `${classificationIssueText(issue, { classes, params: p.params })}. ${CLASS_HINT}` : null}
      />
      <ClassButtons
        classes={classes}
        allowed={p.allowed}
        selected={label}
        readOnly={readOnly}
        legend={`Class of item ${current + 1}`}
        onChoose={(k) => {
          onLabel(current, k);
          if (current < items.length - 1) onCurrent(current + 1);
        }}
      />
      <LabelerNav
        labeler={p}
        openWords="not labeled"
        labeledWords={(i) => classes[labels[i] as number]}
        prevKeys="ArrowLeft"
        nextKeys="ArrowRight"
      />
    </div>
  );
}

/** An item as the vault sent it: text shown as text, images as images. */
export function ItemView({ item }: { item: ItemWire }) {
  const url = itemImageUrl(item);
  const text = useMemo(
    () => (url ? "" : new TextDecoder("utf-8", { fatal: false }).decode(item.bytes)),
    [item.bytes, url],
  );
  // biome-ignore lint/performance/noImgElement: a blob: URL of a vault item, nothing for next/image to optimize
  if (url) return <img className="item-image" src={url} alt={`Item ${itemNumber(item.index)} (${item.name})`} />;
  return (
    <p className="item-text-large" data-testid="item-text">
      {text}
    </p>
  );
}
