"use client";

import type { RuleIssue } from "@zklabel/core/rules";
import type { Box, BoxParams } from "@zklabel/core/rules/bbox";
import { type PointerEvent as ReactPointerEvent, useCallback, useEffect, useRef, useState } from "react";
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
  quotedClass,
  useLabelerKeys,
} from "./LabelerParts";
import "./work.css";
import "./labelers.css";

/** An image's natural size in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * `labels`: per item, its one box or null; `params`: the classes and the smallest accepted box
 * (image pixels); each item comes with its pixel size (the size the rule checks boxes against).
 */
export type BoxLabelerProps = LabelerProps<BoxParams, Box>;

/** A bounding-box issue in words, from its fields. */
export function boxIssueText(issue: RuleIssue, ctx: IssueContext<BoxParams>): string {
  const n = (k: string) => String(issue[k]);
  switch (issue.code) {
    case "not_a_pixel":
      return `box ${n("field")} = ${n("value")} is not a pixel coordinate`;
    case "past_right_edge":
      return `the box's right edge (${n("edge")}) is past the image's width (${n("width")} px)`;
    case "past_bottom_edge":
      return `the box's bottom edge (${n("edge")}) is past the image's height (${n("height")} px)`;
    case "too_narrow":
      return `the box is ${n("w")} px wide; the minimum is ${n("minWidth")} px`;
    case "too_short":
      return `the box is ${n("h")} px high; the minimum is ${n("minHeight")} px`;
    default:
      return classIssueText(issue, ctx.classes) ?? issue.message;
  }
}

/** What to do about a box issue. */
const boxHint = (code: string): string =>
  code === "too_narrow" || code === "too_short"
    ? "Make it larger."
    : code.startsWith("class") || code === "not_a_class"
      ? CLASS_HINT
      : "Move the box inside the image.";

/** Largest size of the image on screen, in CSS pixels. */
const MAX_W = 860;
const MAX_H = 480;

type Edges = { l: boolean; r: boolean; t: boolean; b: boolean };
type DragMode = "draw" | "move" | "nw" | "ne" | "sw" | "se" | "n" | "s" | "e" | "w";
interface Drag {
  mode: DragMode;
  pointerId: number;
  /** Where the pointer went down, in image pixels. */
  x0: number;
  y0: number;
  /** The box when the drag started (for move and resize). */
  box: Box | null;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The box moved and cut to lie inside a W×H image, at least 1×1. */
function fit(b: Box, W: number, H: number): Box {
  const w = clamp(Math.round(b.w), 1, W);
  const h = clamp(Math.round(b.h), 1, H);
  return { cls: b.cls, w, h, x: clamp(Math.round(b.x), 0, W - w), y: clamp(Math.round(b.y), 0, H - h) };
}

const edgesOf = (mode: DragMode): Edges => ({
  l: mode.includes("w"),
  r: mode.includes("e"),
  t: mode.includes("n"),
  b: mode.includes("s"),
});

/**
 * One image at a time, large, with one bounding box drawn over it: drag on the image to draw the
 * box, drag its body to move it, its corners or edges to resize it. Number keys set its class,
 * arrows nudge it, Alt+arrows and +/− resize it, Enter or B adds a default box (a keyboard-only
 * path), Delete removes it, [ and ] (or PageUp/PageDown) move between items.
 */
export function BoxLabeler(p: BoxLabelerProps) {
  const { items, classes, allowed, labels, issues, current, readOnly, onCurrent, onLabel } = p;
  const { minWidth, minHeight } = p.params;
  const item = items[current];
  const box = labels[current] ?? null;
  const issue = issues[current]?.[0];

  const firstAllowed = allowed[0] ?? 0;
  /** The class the next drawn box gets (the last one chosen). */
  const [pendingCls, setPendingCls] = useState(firstAllowed);
  const [draft, setDraft] = useState<Box | null>(null);
  const drag = useRef<Drag | null>(null);

  const url = item ? itemImageUrl(item) : undefined;
  const [natural, setNatural] = useState<ImageSize | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new item starts without a draft or drag
  useEffect(() => {
    setNatural(null);
    setDraft(null);
    drag.current = null;
  }, [item]);

  const size: ImageSize | null =
    item?.width !== undefined && item.height !== undefined ? { width: item.width, height: item.height } : natural;
  const W = size?.width ?? 1;
  const H = size?.height ?? 1;
  const scale = Math.min(MAX_W / W, MAX_H / H);

  // Image pixels per CSS pixel as shown now (the frame shrinks on narrow screens).
  const [frame, setFrame] = useState<HTMLDivElement | null>(null);
  const [shownWidth, setShownWidth] = useState(0);
  useEffect(() => {
    if (!frame) return;
    const ro = new ResizeObserver(() => setShownWidth(frame.clientWidth));
    ro.observe(frame);
    setShownWidth(frame.clientWidth);
    return () => ro.disconnect();
  }, [frame]);
  const k = W / (shownWidth > 0 ? shownWidth : W * scale);

  const shown = draft ?? box;
  const cls = shown?.cls ?? pendingCls;
  const tooSmall = shown !== null && (shown.w < minWidth || shown.h < minHeight);
  const forbidden = shown !== null && !allowed.includes(shown.cls);

  const commit = useCallback(
    (b: Box | null) => {
      if (readOnly) return;
      onLabel(current, b && fit(b, W, H));
    },
    [H, W, current, onLabel, readOnly],
  );

  const chooseClass = useCallback(
    (c: number) => {
      setPendingCls(c);
      if (box) commit({ ...box, cls: c });
    },
    [box, commit],
  );

  const defaultBox = useCallback((): Box => {
    const w = clamp(Math.max(minWidth, Math.round(W / 3)), 1, W);
    const h = clamp(Math.max(minHeight, Math.round(H / 3)), 1, H);
    return { cls: pendingCls, x: Math.floor((W - w) / 2), y: Math.floor((H - h) / 2), w, h };
  }, [H, W, minHeight, minWidth, pendingCls]);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      const arrow = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
      const step = e.shiftKey ? 10 : 1;
      const onButton = target?.tagName === "BUTTON" || target?.tagName === "A";
      const n = Number(e.key);

      if (e.key === "Escape" && drag.current) {
        drag.current = null;
        setDraft(null);
      } else if (e.altKey) {
        // Alt+arrows resize (right and bottom edges); anything else with Alt is not ours.
        if (!arrow || readOnly || !box) return;
        e.preventDefault();
        commit({ ...box, w: box.w + arrow[0] * step, h: box.h + arrow[1] * step });
      } else if (/^[1-9]$/.test(e.key) && n <= classes.length) {
        if (readOnly) return;
        e.preventDefault();
        chooseClass(n - 1);
      } else if ((e.key === "Enter" && !onButton) || e.key === "b" || e.key === "B") {
        if (readOnly || box || !size) return;
        e.preventDefault();
        commit(defaultBox());
      } else if (e.key === "Delete" || e.key === "Backspace") {
        if (readOnly) return;
        e.preventDefault();
        commit(null);
      } else if (arrow) {
        if (readOnly || !box) return;
        e.preventDefault();
        commit({ ...box, x: box.x + arrow[0] * step, y: box.y + arrow[1] * step });
      } else if (e.key === "+" || e.key === "=" || e.key === "-" || e.key === "_") {
        if (readOnly || !box) return;
        e.preventDefault();
        const d = e.key === "+" || e.key === "=" ? 10 : -10;
        const g = { ...box, x: box.x - d / 2, y: box.y - d / 2, w: box.w + d, h: box.h + d };
        commit(fit({ ...g, w: Math.min(g.w, W), h: Math.min(g.h, H) }, W, H));
      } else if (e.key === "]" || e.key === "." || e.key === "PageDown") {
        e.preventDefault();
        onCurrent(Math.min(current + 1, items.length - 1));
      } else if (e.key === "[" || e.key === "," || e.key === "PageUp") {
        e.preventDefault();
        onCurrent(Math.max(current - 1, 0));
      }
    },
    [H, W, box, chooseClass, classes.length, commit, current, defaultBox, items.length, onCurrent, readOnly, size],
  );
  useLabelerKeys(onKey);

  // Pointer dragging, in image pixels.
  const svg = useRef<SVGSVGElement>(null);
  const toImage = (e: ReactPointerEvent) => {
    const r = (svg.current as SVGSVGElement).getBoundingClientRect();
    return {
      x: clamp(((e.clientX - r.left) / Math.max(r.width, 1)) * W, 0, W),
      y: clamp(((e.clientY - r.top) / Math.max(r.height, 1)) * H, 0, H),
    };
  };
  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (readOnly || !size || (e.pointerType === "mouse" && e.button !== 0)) return;
    const part = (e.target as Element).closest("[data-drag]")?.getAttribute("data-drag") as DragMode | null;
    const mode: DragMode = part && box ? part : "draw";
    const { x, y } = toImage(e);
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { mode, pointerId: e.pointerId, x0: x, y0: y, box };
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const { x, y } = toImage(e);
    if (d.mode === "draw") {
      // Ignore a click or a tiny wobble: drawing starts after 4 CSS px.
      if (!draft && Math.hypot(x - d.x0, y - d.y0) < 4 * k) return;
      const l = Math.round(Math.min(x, d.x0));
      const t = Math.round(Math.min(y, d.y0));
      const r = Math.round(Math.max(x, d.x0));
      const b = Math.round(Math.max(y, d.y0));
      setDraft({ cls: pendingCls, x: l, y: t, w: r - l, h: b - t });
      return;
    }
    const b0 = d.box as Box;
    const dx = Math.round(x - d.x0);
    const dy = Math.round(y - d.y0);
    if (d.mode === "move") {
      setDraft({
        ...b0,
        x: b0.x + clamp(dx, -b0.x, W - b0.x - b0.w),
        y: b0.y + clamp(dy, -b0.y, H - b0.y - b0.h),
      });
      return;
    }
    const ed = edgesOf(d.mode);
    let l = b0.x;
    let t = b0.y;
    let r = b0.x + b0.w;
    let b = b0.y + b0.h;
    if (ed.l) l = clamp(l + dx, 0, r - 1);
    if (ed.r) r = clamp(r + dx, l + 1, W);
    if (ed.t) t = clamp(t + dy, 0, b - 1);
    if (ed.b) b = clamp(b + dy, t + 1, H);
    setDraft({ ...b0, x: l, y: t, w: r - l, h: b - t });
  };
  const endDrag = (e: ReactPointerEvent<SVGSVGElement>, keep: boolean) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (keep && draft && draft.w >= 1 && draft.h >= 1) commit(draft);
    setDraft(null);
  };

  if (!item) return null;

  // Overlay sizes are given in CSS px and converted to image px (the SVG's units).
  const px = (css: number) => css * k;
  const tagFont = px(13);
  const tag = shown ? (classes[shown.cls] ?? quotedClass(classes, shown.cls)) : "";
  const tagW = px(12) + tag.length * tagFont * 0.62;
  const tagH = px(20);
  const tagAbove = shown ? shown.y >= tagH : true;
  const handle = (mode: "nw" | "ne" | "sw" | "se", hx: number, hy: number) => (
    <g key={mode} className={`box-handle ${mode}`} data-drag={mode} data-testid={`box-handle-${mode}`}>
      <rect className="box-handle-hit" x={hx - px(12)} y={hy - px(12)} width={px(24)} height={px(24)} />
      <rect className="box-handle-knob" x={hx - px(6)} y={hy - px(6)} width={px(12)} height={px(12)} />
    </g>
  );
  const edge = (mode: "n" | "s" | "e" | "w", x: number, y: number, w: number, h: number) => (
    <rect key={mode} className={`box-edge ${mode}`} data-drag={mode} x={x} y={y} width={w} height={h} />
  );

  const sizeText = shown ? `${shown.w}×${shown.h} px` : "";
  const boxWords = shown
    ? `Box ${sizeText} at (${shown.x}, ${shown.y}), class ${tag}${tooSmall ? `, smaller than the minimum ${minWidth}×${minHeight}` : ""}`
    : readOnly
      ? "No box"
      : "No box yet: drag on the image to draw one, or press Enter to add one";

  return (
    <div className="labeler box-labeler" data-testid="labeler">
      <LabelerHead labeler={p} />
      <div
        className={`item-stage ${issue ? "invalid" : box ? "labeled" : ""}`}
        data-testid="item-stage"
        data-item={item.index}
        data-box={box ? `${box.x},${box.y},${box.w},${box.h},${box.cls}` : ""}
      >
        <div
          ref={setFrame}
          className={`box-frame ${scale > 2 ? "pixelated" : ""}`}
          style={{ width: `min(100%, ${Math.round(W * scale)}px)`, aspectRatio: `${W} / ${H}` }}
        >
          {url && (
            // biome-ignore lint/performance/noImgElement: a blob: URL of a vault item, nothing for next/image to optimize
            <img
              className="box-image"
              src={url}
              alt={`Item ${current + 1} (${item.name}), ${W}×${H} px`}
              draggable={false}
              onLoad={(e) => setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
            />
          )}
          {size && (
            <svg
              ref={svg}
              className={`box-canvas ${readOnly ? "read-only" : ""} ${draft ? "dragging" : ""}`}
              data-testid="box-canvas"
              viewBox={`0 0 ${W} ${H}`}
              preserveAspectRatio="none"
              role="img"
              aria-label={boxWords}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={(e) => endDrag(e, true)}
              onPointerCancel={(e) => endDrag(e, false)}
              onLostPointerCapture={(e) => endDrag(e, true)}
            >
              {shown && (
                <g className={`box ${tooSmall || forbidden ? "bad" : ""} ${tooSmall ? "too-small" : ""}`}>
                  <rect
                    className="box-rect"
                    data-testid="box-rect"
                    data-drag="move"
                    x={shown.x}
                    y={shown.y}
                    width={shown.w}
                    height={shown.h}
                    vectorEffect="non-scaling-stroke"
                  />
                  <rect
                    className="box-outline"
                    x={shown.x}
                    y={shown.y}
                    width={shown.w}
                    height={shown.h}
                    vectorEffect="non-scaling-stroke"
                  />
                  <g className="box-tag" data-drag="move">
                    <rect x={shown.x} y={tagAbove ? shown.y - tagH : shown.y} width={tagW} height={tagH} rx={px(3)} />
                    <text x={shown.x + px(6)} y={(tagAbove ? shown.y - tagH : shown.y) + px(14.5)} fontSize={tagFont}>
                      {tag}
                    </text>
                  </g>
                  {!readOnly && (
                    <>
                      {edge("n", shown.x, shown.y - px(5), shown.w, px(10))}
                      {edge("s", shown.x, shown.y + shown.h - px(5), shown.w, px(10))}
                      {edge("w", shown.x - px(5), shown.y, px(10), shown.h)}
                      {edge("e", shown.x + shown.w - px(5), shown.y, px(10), shown.h)}
                      {handle("nw", shown.x, shown.y)}
                      {handle("ne", shown.x + shown.w, shown.y)}
                      {handle("sw", shown.x, shown.y + shown.h)}
                      {handle("se", shown.x + shown.w, shown.y + shown.h)}
                    </>
                  )}
                </g>
              )}
            </svg>
          )}
        </div>
      </div>
      <p className={`box-status small ${tooSmall ? "bad" : "muted"}`} data-testid="box-size" aria-live="polite">
        {shown ? (
          <>
            {tag} · {sizeText} at ({shown.x}, {shown.y}){tooSmall && `, minimum ${minWidth}×${minHeight}`}
          </>
        ) : !size ? (
          "Reading the image size…"
        ) : readOnly ? (
          "No box."
        ) : (
          `No box yet: drag on the image to draw one, or press Enter. New box: ${classes[pendingCls] ?? ""}.`
        )}
      </p>
      <ItemProblem
        text={issue ? `${boxIssueText(issue, { classes, params: p.params })}. ${boxHint(issue.code)}` : null}
      />
      <ClassButtons
        classes={classes}
        allowed={allowed}
        selected={cls}
        readOnly={readOnly}
        legend={`Class of the box on item ${current + 1}`}
        onChoose={chooseClass}
      >
        {!readOnly && (
          <button
            type="button"
            className="btn small box-remove"
            data-testid="remove-box"
            disabled={!box}
            aria-keyshortcuts="Delete"
            onClick={() => commit(null)}
          >
            Remove box
          </button>
        )}
      </ClassButtons>
      {!readOnly && (
        <p className="labeler-keys muted small" data-testid="keyboard-hint">
          Keys: <kbd>1</kbd>–<kbd>9</kbd> class · <kbd>Enter</kbd> or <kbd>B</kbd> add a box · arrows move it (
          <kbd>Shift</kbd> ×10) · <kbd>Alt</kbd>+arrows resize (<kbd>Shift</kbd> ×10) · <kbd>+</kbd>/<kbd>−</kbd> grow
          or shrink · <kbd>Delete</kbd> remove · <kbd>[</kbd>/<kbd>]</kbd> or <kbd>PgUp</kbd>/<kbd>PgDn</kbd> previous
          or next item
        </p>
      )}
      <LabelerNav
        labeler={p}
        openWords="no box"
        labeledWords={(i) => `${classes[(labels[i] as Box).cls]} box`}
        prevKeys="[ PageUp"
        nextKeys="] PageDown"
      />
    </div>
  );
}
