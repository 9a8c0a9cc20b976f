"use client";
/**
 * The polygon labeler (rule 4, made with the rule authoring kit; its own screen instead of the
 * generic form): click on the image to place vertices, click the first vertex or press Enter to close
 * the polygon, drag a vertex to move it, Backspace (or U) to undo the last vertex, Delete to start
 * over. Number keys set the class, [ and ] move between items, and Enter on an empty image places a
 * triangle (a keyboard-only path), which arrows then move.
 */
import type { RuleIssue } from "@zklabel/core/rules";
import type { KitLabel, KitParams } from "@zklabel/core/rules/kit";
import { polygonVertices, twiceSignedArea, VERTICES } from "@zklabel/core/rules/polygon";
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
  useLabelerKeys,
} from "./LabelerParts";
import "./work.css";
import "./labelers.css";

export type PolygonLabelerProps = LabelerProps<KitParams, KitLabel>;
type Point = [number, number];

/** A polygon issue in words, from its fields. */
export function polygonIssueText(issue: RuleIssue, ctx: IssueContext<KitParams>): string {
  switch (issue.code) {
    case "too_small":
      return `the polygon's area is ${String(issue.area)} px²; the minimum is ${String(issue.minArea)} px²`;
    case "outside_image":
    case "vertex_count":
    case "extra_vertex":
      return issue.message.replace(/^item \d+: /, "");
    default:
      return classIssueText(issue, ctx.classes) ?? issue.message.replace(/^item \d+: /, "");
  }
}

/** The label of a closed polygon: its class, vertex count and vertices, unused ones (0, 0). */
function labelOf(points: readonly Point[], cls: number): KitLabel {
  const l: KitLabel = { cls, n: points.length };
  for (let i = 0; i < VERTICES; i++) {
    l[`x${i}`] = points[i]?.[0] ?? 0;
    l[`y${i}`] = points[i]?.[1] ?? 0;
  }
  return l;
}

const MAX_W = 860;
const MAX_H = 480;
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

export function PolygonLabeler(p: PolygonLabelerProps) {
  const { items, classes, allowed, labels, issues, current, readOnly, onCurrent, onLabel } = p;
  const item = items[current];
  const label = labels[current] ?? null;
  const issue = issues[current]?.[0];
  const [cls, setCls] = useState(allowed[0] ?? 0);
  /** Vertices placed while the polygon is open (not a label yet). */
  const [open, setOpen] = useState<Point[]>([]);
  const drag = useRef<{ vertex: number; pointerId: number } | null>(null);
  const [dragged, setDragged] = useState<Point[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new item starts with nothing open
  useEffect(() => {
    setOpen([]);
    setDragged(null);
    drag.current = null;
  }, [item]);

  const W = item?.width ?? 1;
  const H = item?.height ?? 1;
  const scale = Math.min(MAX_W / W, MAX_H / H);
  const closed = label ? polygonVertices(label) : null;
  const points: Point[] = dragged ?? closed ?? open;
  const shownCls = label?.cls ?? cls;

  const commit = useCallback(
    (pts: readonly Point[], c: number) => {
      if (!readOnly) onLabel(current, labelOf(pts, c));
    },
    [current, onLabel, readOnly],
  );
  const close = useCallback(() => {
    if (open.length >= 3) {
      commit(open, cls);
      setOpen([]);
    }
  }, [cls, commit, open]);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || !item) return;
      const n = Number(e.key);
      const arrow = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
      if (/^[1-9]$/.test(e.key) && n <= classes.length) {
        if (readOnly) return;
        e.preventDefault();
        setCls(n - 1);
        if (closed) commit(closed, n - 1);
      } else if (e.key === "Enter") {
        if (readOnly || closed) return;
        e.preventDefault();
        if (open.length >= 3) close();
        else if (open.length === 0) {
          // A triangle in the middle third of the image.
          const [a, b, c, d] = [W / 3, H / 3, (2 * W) / 3, (2 * H) / 3].map(Math.round);
          commit(
            [
              [a, b],
              [c, b],
              [a, d],
            ],
            cls,
          );
        }
      } else if (e.key === "Backspace" || e.key === "u" || e.key === "U") {
        if (readOnly) return;
        e.preventDefault();
        if (open.length) setOpen(open.slice(0, -1));
        else if (closed) {
          // Undo reopens the closed polygon without its last vertex.
          onLabel(current, null);
          setOpen(closed.slice(0, -1));
        }
      } else if (e.key === "Delete" || e.key === "Escape") {
        if (readOnly) return;
        e.preventDefault();
        setOpen([]);
        onLabel(current, null);
      } else if (arrow && closed) {
        if (readOnly) return;
        e.preventDefault();
        const step = e.shiftKey ? 10 : 1;
        const xs = closed.map(([x]) => x);
        const ys = closed.map(([, y]) => y);
        const dx = clamp(arrow[0] * step, -Math.min(...xs), W - Math.max(...xs));
        const dy = clamp(arrow[1] * step, -Math.min(...ys), H - Math.max(...ys));
        commit(
          closed.map(([x, y]) => [x + dx, y + dy]),
          closed ? (label?.cls ?? cls) : cls,
        );
      } else if (e.key === "]" || e.key === "PageDown") {
        e.preventDefault();
        onCurrent(Math.min(current + 1, items.length - 1));
      } else if (e.key === "[" || e.key === "PageUp") {
        e.preventDefault();
        onCurrent(Math.max(current - 1, 0));
      }
    },
    [
      H,
      W,
      classes.length,
      close,
      closed,
      cls,
      commit,
      current,
      item,
      items.length,
      label,
      onCurrent,
      onLabel,
      open,
      readOnly,
    ],
  );
  useLabelerKeys(onKey);

  const svg = useRef<SVGSVGElement>(null);
  const toImage = (e: ReactPointerEvent): Point => {
    const r = (svg.current as SVGSVGElement).getBoundingClientRect();
    return [
      Math.round(clamp(((e.clientX - r.left) / Math.max(r.width, 1)) * W, 0, W)),
      Math.round(clamp(((e.clientY - r.top) / Math.max(r.height, 1)) * H, 0, H)),
    ];
  };
  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (readOnly || (e.pointerType === "mouse" && e.button !== 0)) return;
    e.preventDefault();
    const v = (e.target as Element).closest("[data-vertex]")?.getAttribute("data-vertex");
    if (v !== null && v !== undefined) {
      const vertex = Number(v);
      // Clicking the first vertex of an open polygon closes it.
      if (!closed && vertex === 0 && open.length >= 3) return close();
      if (closed) {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { vertex, pointerId: e.pointerId };
      }
      return;
    }
    if (closed || open.length >= VERTICES) return;
    setOpen([...open, toImage(e)]);
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId || !closed) return;
    const next = closed.slice();
    next[d.vertex] = toImage(e);
    setDragged(next);
  };
  const endDrag = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    if (dragged && label) commit(dragged, label.cls);
    setDragged(null);
  };

  if (!item) return null;
  const url = itemImageUrl(item);
  const k = W / (W * scale);
  const area = points.length >= 3 ? Math.abs(twiceSignedArea(labelOf(points, shownCls))) / 2 : 0;
  const words = closed
    ? `Polygon of ${closed.length} vertices, ${area} px², class ${classes[shownCls] ?? shownCls}`
    : open.length
      ? `${open.length} of at most ${VERTICES} vertices placed: click the first vertex or press Enter to close`
      : "No polygon yet: click on the image to place vertices, or press Enter for a triangle";

  return (
    <div className="labeler box-labeler polygon-labeler" data-testid="labeler">
      <LabelerHead labeler={p}>
        <span className="muted small"> · {item.name}</span>
      </LabelerHead>
      <div
        className={`item-stage ${issue ? "invalid" : label ? "labeled" : ""}`}
        data-testid="item-stage"
        data-item={item.index}
        data-polygon={closed ? closed.map((q) => q.join(",")).join(" ") : ""}
      >
        <div
          className="box-frame"
          style={{ width: `min(100%, ${Math.round(W * scale)}px)`, aspectRatio: `${W} / ${H}` }}
        >
          {url && (
            // biome-ignore lint/performance/noImgElement: a blob: URL of a vault item, nothing for next/image to optimize
            <img
              className="box-image"
              src={url}
              alt={`Item ${current + 1} (${item.name}), ${W}×${H} px`}
              draggable={false}
            />
          )}
          <svg
            ref={svg}
            className={`box-canvas ${readOnly ? "read-only" : ""}`}
            viewBox={`0 0 ${W} ${H}`}
            preserveAspectRatio="none"
            role="img"
            aria-label={words}
            data-testid="polygon-canvas"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={endDrag}
            onPointerCancel={endDrag}
          >
            {points.length > 1 && (
              <polyline
                className={`polygon-shape ${closed ? "closed" : ""}`}
                points={[...points, ...(closed ? [points[0]] : [])].map((q) => q.join(",")).join(" ")}
              />
            )}
            {points.map(([x, y], i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: vertices are positional
              <g key={i} data-vertex={i} data-testid={`vertex-${i}`} className="polygon-vertex">
                <circle cx={x} cy={y} r={8 * k} className="hit" />
                <circle cx={x} cy={y} r={4 * k} />
              </g>
            ))}
          </svg>
        </div>
        <p className="muted small" data-testid="polygon-words">
          {words}
        </p>
      </div>
      <ItemProblem
        text={
          issue
            ? `${polygonIssueText(issue, { classes, params: p.params })}. ${issue.code.startsWith("class") ? CLASS_HINT : ""}`
            : null
        }
      />
      <ClassButtons
        classes={classes}
        allowed={allowed}
        selected={shownCls}
        readOnly={readOnly}
        legend={`Class of item ${current + 1}`}
        onChoose={(c) => {
          setCls(c);
          if (closed) commit(closed, c);
        }}
      />
      <LabelerNav
        labeler={p}
        openWords="no polygon"
        labeledWords={(i) => {
          const l = labels[i] as KitLabel | null;
          return l ? `${classes[l.cls] ?? l.cls}, ${l.n} vertices` : "";
        }}
        prevKeys="[ PageUp"
        nextKeys="] PageDown"
      />
    </div>
  );
}
