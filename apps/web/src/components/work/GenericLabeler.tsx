"use client";
/**
 * The labeler of any rule made with the rule authoring kit (packages/core/src/rules/kit.ts) that
 * ships no labeler of its own: a form from the rule's label fields, numbers as number inputs, enums
 * as buttons, booleans as a checkbox, beside the item (text or image). The label is set once every
 * field holds a value; the rule's check marks it as the other labelers do.
 */
import type { RuleIssue } from "@zklabel/core/rules";
import { isKitRule, type KitLabel, type KitParams, type LabelField } from "@zklabel/core/rules/kit";
import { useCallback, useEffect, useId, useState } from "react";
import { ItemView } from "./ClassificationLabeler";
import "./work.css";
import "./labelers.css";
import {
  ClassButtons,
  classIssueText,
  ItemProblem,
  LabelerHead,
  LabelerNav,
  type LabelerProps,
  useLabelerKeys,
} from "./LabelerParts";

export type GenericLabelerProps = LabelerProps<KitParams, KitLabel>;

const NO_FIELDS: readonly LabelField[] = [];

/** A kit rule's issue in words: the class checks' words, else its own message without the item (the list names it). */
export const genericIssueText = (issue: RuleIssue, ctx?: { classes: readonly string[] }): string =>
  (ctx ? classIssueText(issue, ctx.classes) : undefined) ?? issue.message.replace(/^item \d+: /, "");

type Draft = Record<string, string>;

const draftOf = (fields: readonly LabelField[], label: KitLabel | null): Draft =>
  Object.fromEntries(fields.map((f) => [f.name, label ? String(label[f.name]) : f.type === "boolean" ? "0" : ""]));

/** The label a draft makes, or null while a field is empty or not a whole number. */
function labelOf(fields: readonly LabelField[], d: Draft): KitLabel | null {
  const out: KitLabel = {};
  for (const f of fields) {
    const v = d[f.name];
    if (v === undefined || v.trim() === "" || !/^\d+$/.test(v.trim())) return null;
    out[f.name] = Number(v);
  }
  return out;
}

export function GenericLabeler(p: GenericLabelerProps) {
  const { items, labels, issues, current, readOnly, onCurrent, onLabel } = p;
  const fields = p.rule && isKitRule(p.rule) ? p.rule.description.label : NO_FIELDS;
  const item = items[current];
  const label = labels[current] ?? null;
  const issue = issues[current]?.[0];
  const ids = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(fields, label));
  // A new item (or a label set elsewhere) starts the form from its label.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the label is read when the item changes, not on every edit
  useEffect(() => setDraft(draftOf(fields, labels[current] ?? null)), [current, fields]);

  const edit = (name: string, value: string) => {
    const next = { ...draft, [name]: value };
    setDraft(next);
    onLabel(current, labelOf(fields, next));
  };

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowRight" || e.key === "j") {
        e.preventDefault();
        onCurrent(Math.min(current + 1, items.length - 1));
      } else if (e.key === "ArrowLeft" || e.key === "k") {
        e.preventDefault();
        onCurrent(Math.max(current - 1, 0));
      }
    },
    [current, items.length, onCurrent],
  );
  useLabelerKeys(onKey);

  if (!item) return null;
  return (
    <div className="labeler generic-labeler" data-testid="labeler">
      <LabelerHead labeler={p}>
        <span className="muted small"> · {item.name}</span>
      </LabelerHead>
      <div
        className={`item-stage ${issue ? "invalid" : label !== null ? "labeled" : ""}`}
        data-testid="item-stage"
        data-item={item.index}
        data-label={label ? JSON.stringify(label) : ""}
      >
        <ItemView item={item} />
        {item.fields && (
          <p className="muted small" data-testid="item-fields">
            {"Item fields: "}
            {Object.entries(item.fields)
              .map(([k, v]) => `${k} ${v}`)
              .join(" · ")}
          </p>
        )}
      </div>
      <ItemProblem text={issue ? genericIssueText(issue, { classes: p.classes }) : null} />
      <form
        className="generic-fields"
        onSubmit={(e) => {
          e.preventDefault();
          if (labelOf(fields, draft) && current < items.length - 1) onCurrent(current + 1);
        }}
      >
        {fields.map((f) => {
          const id = `${ids}-${f.name}`;
          const title = f.title ?? f.name;
          if (f.type === "class")
            return (
              <ClassButtons
                key={f.name}
                classes={p.classes}
                allowed={p.allowed}
                selected={draft.cls === "" || draft.cls === undefined ? null : Number(draft.cls)}
                readOnly={readOnly}
                legend={title === "cls" ? `Class of item ${current + 1}` : title}
                onChoose={(k) => edit("cls", String(k))}
              />
            );
          if (f.type === "enum")
            return (
              <fieldset key={f.name} className="class-buttons">
                <legend>{title}</legend>
                {f.values.map((v, k) => (
                  <button
                    type="button"
                    key={v}
                    className={`choice ${draft[f.name] === String(k) ? "selected" : ""}`}
                    aria-pressed={draft[f.name] === String(k)}
                    data-testid={`field-${f.name}-${v}`}
                    disabled={readOnly}
                    onClick={() => edit(f.name, String(k))}
                  >
                    {v}
                  </button>
                ))}
              </fieldset>
            );
          if (f.type === "boolean")
            return (
              <label key={f.name} htmlFor={id} className="generic-field">
                <input
                  id={id}
                  type="checkbox"
                  data-testid={`field-${f.name}`}
                  checked={draft[f.name] === "1"}
                  disabled={readOnly}
                  onChange={(e) => edit(f.name, e.target.checked ? "1" : "0")}
                />{" "}
                {title}
              </label>
            );
          return (
            <label key={f.name} htmlFor={id} className="generic-field">
              {title}
              <input
                id={id}
                type="number"
                inputMode="numeric"
                min={0}
                max={2 ** f.bits - 1}
                step={1}
                data-testid={`field-${f.name}`}
                value={draft[f.name] ?? ""}
                disabled={readOnly}
                onChange={(e) => edit(f.name, e.target.value)}
              />
            </label>
          );
        })}
        {!readOnly && (
          <button type="submit" className="secondary" data-testid="label-next">
            Next item
          </button>
        )}
      </form>
      <LabelerNav
        labeler={p}
        openWords="not labeled"
        labeledWords={(i) => {
          const l = labels[i] as KitLabel | null;
          return l
            ? fields
                .map((f) =>
                  f.type === "enum" ? f.values[l[f.name]] : f.type === "class" ? p.classes[l.cls] : l[f.name],
                )
                .join(" ")
            : "";
        }}
        prevKeys="ArrowLeft"
        nextKeys="ArrowRight"
      />
    </div>
  );
}
