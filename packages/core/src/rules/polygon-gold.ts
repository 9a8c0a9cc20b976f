/**
 * Gold polygons and their rejection (circuits/polygon_reject.circom, docs/protocol.md §3.5): a
 * polygon matches its gold polygon when the classes are equal and their IoU, measured on a
 * GRID × GRID raster of the two polygons' joint bounding box, is at least the task's threshold.
 * Everything here is the circuit's twin, in the same integer arithmetic.
 */
import { z } from "zod";
import { itemName } from "../display.ts";
import { ZkLabelError } from "../errors.ts";
import { goldRejectInput, type RejectInput, type RejectRequest } from "../gold.ts";
import type { KitLabel } from "./kit.ts";
import type { GoldSpec } from "./types.ts";

/** Vertices a polygon label holds (the x0, y0 ... fields; n of them are the polygon). */
export const VERTICES = 6;

/** The raster a gold match is measured on: GRID × GRID cell centres of the joint bounding box (the circuit's GRID). */
export const POLYGON_GOLD_GRID = 8;

/**
 * Gold items a polygon rejection compares per batch (the circuit's SLOTS): a match costs about 13,800
 * constraints, so the rejection opens only the gold items, at most this many per batch.
 */
export const POLYGON_GOLD_PER_BATCH = 3;

/** The polygon's vertices, in order. */
export const polygonVertices = (l: KitLabel): [number, number][] =>
  Array.from({ length: l.n }, (_, i) => [l[`x${i}`], l[`y${i}`]] as [number, number]);

/** The joint bounding box [x0, y0, x1, y1] of the polygons' vertices ([0, 0, 0, 0] for none). */
function jointBox(polygons: readonly [number, number][][]): [number, number, number, number] {
  const all = polygons.flat();
  if (all.length === 0) return [0, 0, 0, 0];
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * Which of the grid × grid sample points lie inside the polygon (even-odd rule), row by row. With
 * S = 2 grid, the point of cell (r, c) is (S x0 + (2c + 1) w, S y0 + (2r + 1) h) in 1/S pixels, and
 * an edge from a to b crosses its rightward ray when it straddles the row ((S ya > PY) !== (S yb >
 * PY)) and sign(dY) · D > 0, D = (PY − S ya) dX − (PX − S xa) dY: PolygonRaster, exactly. Every
 * product is below 2^42, so JavaScript numbers hold it exactly.
 */
export function polygonRaster(
  vertices: readonly [number, number][],
  box: readonly [number, number, number, number],
  grid: number,
): boolean[] {
  const S = 2 * grid;
  const [x0, y0, x1, y1] = box;
  const [w, h] = [x1 - x0, y1 - y0];
  const inside: boolean[] = [];
  for (let r = 0; r < grid; r++) {
    const py = S * y0 + (2 * r + 1) * h;
    for (let c = 0; c < grid; c++) {
      const px = S * x0 + (2 * c + 1) * w;
      let crossings = 0;
      vertices.forEach(([xa, ya], i) => {
        const [xb, yb] = vertices[(i + 1) % vertices.length];
        const above = S * ya > py;
        if (above === S * yb > py) return;
        const dX = S * (xb - xa);
        const dY = S * (yb - ya);
        const d = (py - S * ya) * dX - (px - S * xa) * dY;
        if ((dY > 0 ? d : -d) > 0) crossings++;
      });
      inside.push(crossings % 2 === 1);
    }
  }
  return inside;
}

/**
 * Whether the polygons' raster IoU is at least t percent: of the grid × grid sample points of their
 * joint bounding box, 100 · (inside both) >= t · (inside either), and at least one point is inside
 * either (otherwise the raster saw neither polygon, and nothing was measured: no match).
 */
export function polygonIoUAtLeast(a: KitLabel, b: KitLabel, t: number, grid = POLYGON_GOLD_GRID): boolean {
  const [va, vb] = [polygonVertices(a), polygonVertices(b)];
  const box = jointBox([va, vb]);
  const [ra, rb] = [polygonRaster(va, box, grid), polygonRaster(vb, box, grid)];
  let inter = 0;
  let union = 0;
  ra.forEach((inA, k) => {
    if (inA && rb[k]) inter++;
    if (inA || rb[k]) union++;
  });
  return union > 0 && 100 * inter >= t * union;
}

/**
 * The sample points a polygon covers on the raster of its own bounding box. A gold polygon must
 * cover at least MIN_GOLD_COVERAGE of them: a thinner one (a sliver along a diagonal) may fall
 * between the sample points, and a label that equals it would not be seen to match.
 */
export const rasterCoverage = (l: KitLabel, grid = POLYGON_GOLD_GRID): number => {
  const v = polygonVertices(l);
  return polygonRaster(v, jointBox([v]), grid).filter(Boolean).length;
};

/** Sample points of its own raster a gold polygon must cover: a quarter of them. */
export const MIN_GOLD_COVERAGE = (POLYGON_GOLD_GRID * POLYGON_GOLD_GRID) / 4;

/** A polygon label matches its gold polygon: the same class and raster IoU >= t percent. */
export const polygonGoldMatches = (label: KitLabel, answer: KitLabel, t: number, grid = POLYGON_GOLD_GRID): boolean =>
  label.cls === answer.cls && polygonIoUAtLeast(label, answer, t, grid);

const checkThreshold = (t: number): string | undefined =>
  Number.isInteger(t) && t >= 0 && t <= 100 ? undefined : `the minimum IoU must be 0..100 percent, got ${t}`;

const point = z.tuple([z.number().int().min(0).max(65535), z.number().int().min(0).max(65535)]);

/** What a polygon rule gives the gold part: its packing. */
interface PolygonPacking {
  labelValue(l: KitLabel): bigint;
  labelFromValue(v: bigint): KitLabel;
}

/** A polygon label from its vertices (3..VERTICES of them) and class; the unused vertices are (0, 0). */
export function polygonLabel(cls: number, vertices: readonly [number, number][]): KitLabel {
  const label: KitLabel = { cls, n: vertices.length };
  for (let k = 0; k < VERTICES; k++) {
    label[`x${k}`] = vertices[k]?.[0] ?? 0;
    label[`y${k}`] = vertices[k]?.[1] ?? 0;
  }
  return label;
}

/** The problem of a gold polygon in words, if any: 3..6 vertices of 16-bit coordinates, a class of 5 bits, the rest (0, 0). */
function polygonProblem(l: KitLabel): string | undefined {
  if (!Number.isInteger(l.cls) || l.cls < 0 || l.cls > 31) return `class ${l.cls} does not fit a polygon label (0..31)`;
  if (!Number.isInteger(l.n) || l.n < 3 || l.n > VERTICES)
    return `a gold polygon has 3 to ${VERTICES} vertices, not ${l.n}`;
  for (let k = 0; k < VERTICES; k++) {
    for (const v of [l[`x${k}`], l[`y${k}`]]) {
      if (!Number.isInteger(v) || v < 0 || v > 65535) return `vertex ${k + 1} has a coordinate ${v} outside 0..65535`;
      if (k >= l.n && v !== 0) return `vertex ${k + 1} is set, but the polygon has ${l.n} vertices`;
    }
  }
  return undefined;
}

/** A gold polygon too thin for the raster, in words. */
function thinProblem(l: KitLabel): string | undefined {
  const covered = rasterCoverage(l);
  if (covered >= MIN_GOLD_COVERAGE) return undefined;
  const all = POLYGON_GOLD_GRID * POLYGON_GOLD_GRID;
  return `the polygon covers ${covered} of the ${all} sample points of its bounding box, fewer than ${MIN_GOLD_COVERAGE}: gold polygons are compared on a ${POLYGON_GOLD_GRID}×${POLYGON_GOLD_GRID} raster, which cannot measure one this thin (draw it fuller, or make another item gold)`;
}

/**
 * The gold part of the polygon rule: answers are polygon labels (a gold file gives
 * `"polygon": [[x, y], ...]`), a label matches by class and raster IoU, and the rejection is
 * PolygonReject, which compares at most POLYGON_GOLD_PER_BATCH gold items per batch.
 */
export function polygonGold(pack: PolygonPacking): GoldSpec<KitLabel, KitLabel> {
  const goldValue = (a: KitLabel): bigint => {
    const problem = polygonProblem(a) ?? thinProblem(a);
    if (problem) throw new ZkLabelError("invalid_input", problem);
    return pack.labelValue(a);
  };
  return {
    answer: z.record(z.string(), z.number().int().min(0)),
    goldValue,
    answerFromValue: pack.labelFromValue,
    goldMatches: (label, answer, t) => polygonGoldMatches(label, answer, t),
    defaultThreshold: 50,
    checkThreshold,
    maxPerBatch: POLYGON_GOLD_PER_BATCH,
    answerFromFile: (cls, entry) => {
      const p = z.array(point).min(3).max(VERTICES).safeParse(entry.polygon);
      if (!p.success)
        return `a polygon gold answer needs "polygon": [[x, y], ...] with 3 to ${VERTICES} vertices in pixels (${p.error.issues[0]?.message})`;
      const label = polygonLabel(cls, p.data as [number, number][]);
      return polygonProblem(label) ?? thinProblem(label) ?? label;
    },
    fileEntry: '{"item": name or index, "label": class name, "polygon": [[x, y], ...] (3 to 6 vertices)}',
    threshold: `the minimum intersection over union, in percent, measured on a ${POLYGON_GOLD_GRID}×${POLYGON_GOLD_GRID} raster of the two polygons' joint bounding box: a polygon matches its gold polygon when it has the same class and IoU >= the threshold`,
    rejectInput: (r) => polygonRejectInput(r, pack, goldValue),
  };
}

/**
 * Witness input and public signals of PolygonReject: GoldBatch's (goldRejectInput) and the slots,
 * pick[s][i] = 1 when item i is the batch's s-th gold item. Refuses a batch with more gold items
 * than the circuit's SLOTS (code "unprovable").
 */
function polygonRejectInput(
  r: RejectRequest<KitLabel>,
  pack: PolygonPacking,
  goldValue: (a: KitLabel) => bigint,
): RejectInput {
  const { N, SLOTS, GRID } = r.circuit.params;
  if (!SLOTS || !GRID) throw new Error(`${r.circuit.name} is not a polygon rejection circuit (no SLOTS, GRID)`);
  const goldItems = r.openings.flatMap((o, i) => (o.isGold === 1 ? [i] : []));
  if (goldItems.length > SLOTS)
    throw new ZkLabelError(
      "unprovable",
      `batch ${r.batchIndex} has ${goldItems.length} gold items; a polygon rejection compares at most ${SLOTS} per batch, so this batch cannot be rejected`,
    );
  // The commitment's label width is the circuit's (circuits/circuits.json), the rule's packing.
  const bits = r.circuit.labelBits;
  if (!bits) throw new Error(`${r.circuit.name} has no labelBits in circuits/circuits.json`);
  const base = goldRejectInput(r, {
    labelBits: bits,
    labelValue: pack.labelValue,
    matchesValue: (l, v, t) => polygonGoldMatches(l, pack.labelFromValue(v), t, GRID),
    checkThreshold,
    // 0 is a non-gold item's value; a gold item's is checked below.
    checkValue: (v) => {
      if (v === 0n) return undefined;
      if (v < 0n || v >= 1n << BigInt(bits)) return `gold value ${v} is not a ${bits}-bit polygon label`;
      const label = pack.labelFromValue(v);
      const problem = polygonProblem(label);
      if (problem) return `the gold polygon: ${problem}`;
      return goldValue(label) === v ? undefined : `gold value ${v} is not a polygon label`;
    },
  });
  for (const i of goldItems) {
    const answer = polygonProblem(pack.labelFromValue(r.openings[i].value));
    if (answer)
      throw new ZkLabelError("invalid_input", `${itemName(r.batchIndex * N + i)}: the gold polygon: ${answer}`);
    const problem = polygonProblem(r.labels[i]);
    if (problem) throw new ZkLabelError("invalid_input", `${itemName(r.batchIndex * N + i)}: the label: ${problem}`);
  }
  const pick = Array.from({ length: SLOTS }, (_, s) =>
    Array.from({ length: N }, (_, i) => (goldItems[s] === i ? "1" : "0")),
  );
  return { ...base, input: { ...base.input, pick: pick.flat() } };
}
