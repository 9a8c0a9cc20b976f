"use client";

import type { RuleIssue } from "@zklabel/core/rules";
import type { SensorParams } from "@zklabel/core/rules/sensor";
import { useCallback, useEffect, useId, useState } from "react";
import {
  type IssueContext,
  ItemProblem,
  LabelerHead,
  LabelerNav,
  type LabelerProps,
  useLabelerKeys,
} from "./LabelerParts";
import "./work.css";
import "./labelers.css";

/**
 * `labels`: per item, 0 = normal, 1 = anomaly, or null; `params`: the task's band (a window is an
 * anomaly iff some reading is outside [lo, hi]); each item's readings come with it.
 */
export type SensorLabelerProps = LabelerProps<SensorParams, number>;

/** A sensor-range issue in words, from its fields and the task's band. */
export function sensorIssueText(issue: RuleIssue, { params: { lo, hi } }: IssueContext<SensorParams>): string {
  const band = `[${lo}, ${hi}]`;
  switch (issue.code) {
    case "missed_anomaly":
      return `labeled normal but reading ${String(issue.reading)} = ${String(issue.value)} is outside ${band}`;
    case "false_anomaly":
      return `labeled anomaly but every reading is inside ${band}`;
    case "not_a_label":
      return `${String(issue.label)} is neither normal nor anomaly`;
    case "reading_not_comparable":
      return `reading ${String(issue.reading)} = ${String(issue.value)} cannot be compared with ${band}: no label can be proven for this window`;
    case "bad_range":
      return `the task's band ${band} is not made of 16-bit values: no label can be proven`;
    default:
      return issue.message;
  }
}

/** What the right label is, for the issues that have one. */
const SENSOR_HINTS: Record<string, string> = {
  missed_anomaly: "A reading outside the band makes the window an anomaly.",
  false_anomaly: "With every reading inside the band, the window is normal.",
};

const CHART_H = 320;
const PAD = { left: 64, right: 78, top: 16, bottom: 44 };

/** About `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  const span = Math.max(hi - lo, 1);
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
  return out;
}

/**
 * One sensor window at a time, drawn as a line chart with the task's band [lo, hi] shaded, and
 * two buttons: Normal (1 or N) and Anomaly (2 or A) label the item and move on, arrows (or J/K)
 * move, Backspace clears. A strip below shows every item's state.
 */
export function SensorLabeler(p: SensorLabelerProps) {
  const { items, labels, issues, current, readOnly, onCurrent, onLabel } = p;
  const { lo, hi } = p.params;
  const item = items[current];
  const readings = item?.readings;
  const label = labels[current] ?? null;
  const issue = issues[current]?.[0];
  const ids = useId();
  /** The rule's two classes (normal, anomaly), as button words. */
  const names = p.classes.map((c) => c[0].toUpperCase() + c.slice(1));

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.toLowerCase();
      const choice = key === "1" || key === "n" ? 0 : key === "2" || key === "a" ? 1 : null;
      if (!readOnly && choice !== null) {
        e.preventDefault();
        onLabel(current, choice);
        if (current < items.length - 1) onCurrent(current + 1);
      } else if (!readOnly && (e.key === "Backspace" || e.key === "Delete")) {
        e.preventDefault();
        onLabel(current, null);
      } else if (e.key === "ArrowRight" || key === "j") {
        e.preventDefault();
        onCurrent(Math.min(current + 1, items.length - 1));
      } else if (e.key === "ArrowLeft" || key === "k") {
        e.preventDefault();
        onCurrent(Math.max(current - 1, 0));
      }
    },
    [current, items.length, onCurrent, onLabel, readOnly],
  );
  useLabelerKeys(onKey);

  // The chart is drawn in CSS pixels at the width of its box.
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    if (!box) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(box.clientWidth, 280)));
    ro.observe(box);
    setWidth(Math.max(box.clientWidth, 280));
    return () => ro.disconnect();
  }, [box]);

  if (!item) return null;

  const outside = readings ? readings.map((r) => r < lo || r > hi) : [];
  const nOut = outside.filter(Boolean).length;
  const T = readings?.length ?? 0;
  const summary = readings
    ? `${nOut} of ${T} readings ${nOut === 1 ? "is" : "are"} outside [${lo}, ${hi}]`
    : "This item's readings could not be read";

  return (
    <div className="labeler sensor-labeler" data-testid="labeler">
      <LabelerHead labeler={p}>
        <span className="muted small"> · {item.name}</span>
      </LabelerHead>
      <div
        className={`item-stage sensor-stage ${issue ? "invalid" : label !== null ? "labeled" : ""}`}
        data-testid="item-stage"
        data-item={item.index}
        data-label={label ?? ""}
      >
        <p className={`sensor-summary ${nOut > 0 ? "has-outside" : ""}`} id={`${ids}-summary`}>
          {summary}
        </p>
        <div ref={setBox} className="sensor-chart-box">
          {readings && (
            <Chart
              readings={readings}
              lo={lo}
              hi={hi}
              width={width}
              titleId={`${ids}-title`}
              descId={`${ids}-summary`}
              name={`Readings of item ${current + 1} (${item.name})`}
            />
          )}
        </div>
        {readings && (
          <table className="visually-hidden">
            <caption>
              Readings of item {current + 1} ({item.name}); band [{lo}, {hi}]
            </caption>
            <thead>
              <tr>
                <th scope="col">Reading</th>
                <th scope="col">Value</th>
                <th scope="col">Band</th>
              </tr>
            </thead>
            <tbody>
              {readings.map((r, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: readings are positional
                <tr key={j}>
                  <th scope="row">{j}</th>
                  <td>{r}</td>
                  <td>{r < lo ? "below lo" : r > hi ? "above hi" : "inside"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <ItemProblem
        text={
          issue
            ? `${sensorIssueText(issue, { classes: p.classes, params: p.params })}. ${SENSOR_HINTS[issue.code] ?? ""}`
            : null
        }
      />
      <fieldset className="class-buttons">
        <legend className="visually-hidden">Label of item {current + 1}</legend>
        {names.map((name, k) => (
          <button
            type="button"
            key={name}
            className={`choice ${label === k ? "selected" : ""}`}
            aria-pressed={label === k}
            aria-keyshortcuts={k === 0 ? "1 N" : "2 A"}
            data-testid={k === 0 ? "label-normal" : "label-anomaly"}
            disabled={readOnly}
            onClick={() => {
              onLabel(current, k as 0 | 1);
              if (current < items.length - 1) onCurrent(current + 1);
            }}
          >
            <kbd>{k + 1}</kbd>
            {name}
          </button>
        ))}
      </fieldset>
      {!readOnly && (
        <p className="labeler-keys muted small" data-testid="keyboard-hint">
          Keys: <kbd>1</kbd> or <kbd>N</kbd> normal · <kbd>2</kbd> or <kbd>A</kbd> anomaly · <kbd>Backspace</kbd> clear
          · <kbd>←</kbd>/<kbd>→</kbd> previous or next item
        </p>
      )}
      <LabelerNav
        labeler={p}
        openWords="not labeled"
        labeledWords={(i) => p.classes[labels[i] as number] ?? String(labels[i])}
        prevKeys="ArrowLeft"
        nextKeys="ArrowRight"
      />
    </div>
  );
}

/** The line chart of one window: readings, the band [lo, hi] shaded, readings outside it marked. */
function Chart(props: {
  readings: readonly number[];
  lo: number;
  hi: number;
  width: number;
  titleId: string;
  descId: string;
  name: string;
}) {
  const { readings, lo, hi, width, titleId, descId, name } = props;
  const T = readings.length;
  const values = [...readings, lo, hi];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = Math.max((max - min) * 0.08, 1);
  const y0 = Math.max(0, min - pad);
  const y1 = Math.min(0xffff, max + pad);
  const plotW = width - PAD.left - PAD.right;
  const plotH = CHART_H - PAD.top - PAD.bottom;
  const sx = (j: number) => PAD.left + (T > 1 ? (j / (T - 1)) * plotW : plotW / 2);
  const sy = (v: number) => PAD.top + (1 - (v - y0) / Math.max(y1 - y0, 1)) * plotH;
  const yTicks = ticks(y0, y1);
  const xEvery = plotW / Math.max(T - 1, 1) < 22 ? 2 : 1;
  const bandTop = sy(Math.min(hi, y1));
  const bandBottom = sy(Math.max(lo, y0));
  const path = readings.map((r, j) => `${j === 0 ? "M" : "L"}${sx(j).toFixed(1)},${sy(r).toFixed(1)}`).join(" ");
  // Keep the lo and hi labels apart when the band is thin.
  const hiLabelY = Math.min(sy(hi), sy(lo) - 14);
  const loLabelY = Math.max(sy(lo), hiLabelY + 14);

  return (
    <svg
      className="sensor-chart"
      data-testid="sensor-chart"
      width={width}
      height={CHART_H}
      viewBox={`0 0 ${width} ${CHART_H}`}
      role="img"
      aria-labelledby={titleId}
      aria-describedby={descId}
    >
      <title id={titleId}>{name}</title>
      <rect className="sensor-band" x={PAD.left} y={bandTop} width={plotW} height={Math.max(bandBottom - bandTop, 0)} />
      <g className="sensor-grid">
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={PAD.left + plotW} y1={sy(v)} y2={sy(v)} />
            <text className="tick" x={PAD.left - 8} y={sy(v)} dy="0.32em" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
      </g>
      <g className="sensor-axis">
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} />
        <line x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        {readings.map((_, j) =>
          j % xEvery === 0 ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: readings are positional
            <g key={j}>
              <line x1={sx(j)} x2={sx(j)} y1={PAD.top + plotH} y2={PAD.top + plotH + 5} />
              <text className="tick" x={sx(j)} y={PAD.top + plotH + 18} textAnchor="middle">
                {j}
              </text>
            </g>
          ) : null,
        )}
        <text className="axis-title" x={PAD.left + plotW / 2} y={CHART_H - 6} textAnchor="middle">
          reading
        </text>
      </g>
      <g className="sensor-threshold">
        <line x1={PAD.left} x2={PAD.left + plotW} y1={sy(hi)} y2={sy(hi)} />
        <line x1={PAD.left} x2={PAD.left + plotW} y1={sy(lo)} y2={sy(lo)} />
        <text x={PAD.left + plotW + 6} y={hiLabelY} dy="0.32em">
          hi {hi}
        </text>
        <text x={PAD.left + plotW + 6} y={loLabelY} dy="0.32em">
          lo {lo}
        </text>
      </g>
      <path className="sensor-line" d={path} />
      <g className="sensor-points">
        {readings.map((r, j) => {
          const x = sx(j);
          const y = sy(r);
          const out = r < lo || r > hi;
          const tip = `reading ${j}: ${r}${r > hi ? ` (above hi ${hi})` : r < lo ? ` (below lo ${lo})` : ""}`;
          return out ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: readings are positional
            <g key={j} className="sensor-point outside" data-testid={`reading-${j}`} data-outside="true">
              <title>{tip}</title>
              <circle cx={x} cy={y} r={11} className="hit" />
              <path d={`M${x},${y - 7} L${x + 7},${y} L${x},${y + 7} L${x - 7},${y} Z`} />
            </g>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: readings are positional
            <g key={j} className="sensor-point" data-testid={`reading-${j}`} data-outside="false">
              <title>{tip}</title>
              <circle cx={x} cy={y} r={11} className="hit" />
              <circle cx={x} cy={y} r={4.5} />
            </g>
          );
        })}
      </g>
    </svg>
  );
}
