/**
 * Polygons (rule 4): each image gets one polygon of 3 to 6 vertices, of an allowed class, with every vertex inside the image and at least the minimum area.
 *
 * Made with the rule authoring kit (`zklabel rule new polygon`, docs/writing-rules.md). The kit derives
 * everything from the description: parameters and their slots, label packing, item leaves, the circuit
 * input, export. Yours are `check`, the TypeScript twin of PolygonItem in circuits/polygon.circom,
 * and `sample`; `zklabel rule test polygon` checks them against the circuit and the examples in
 * circuits/examples/polygon/.
 */
import { className, classNumber, itemName } from "../display.ts";
import { ZkLabelError } from "../errors.ts";
import { defineKitRule, type KitIssue, type KitLabel } from "./kit.ts";
import { polygonGold, polygonVertices, VERTICES } from "./polygon-gold.ts";
import type { CocoItem } from "./types.ts";

export const polygonRule = defineKitRule(
  {
    name: "polygon",
    id: 4,
    title: "Polygons",
    noun: "polygon",
    summary:
      "each image gets one polygon of 3 to 6 vertices, of an allowed class, with every vertex inside the image and at least the minimum area",
    items: {
      kind: "image",
    },
    label: [
      {
        name: "cls",
        type: "class",
        title: "Class",
      },
      {
        name: "n",
        type: "number",
        bits: 3,
        title: "Vertices (3 to 6)",
      },
      {
        name: "x0",
        type: "number",
        bits: 16,
        title: "Vertex 1 x",
      },
      {
        name: "y0",
        type: "number",
        bits: 16,
        title: "Vertex 1 y",
      },
      {
        name: "x1",
        type: "number",
        bits: 16,
        title: "Vertex 2 x",
      },
      {
        name: "y1",
        type: "number",
        bits: 16,
        title: "Vertex 2 y",
      },
      {
        name: "x2",
        type: "number",
        bits: 16,
        title: "Vertex 3 x",
      },
      {
        name: "y2",
        type: "number",
        bits: 16,
        title: "Vertex 3 y",
      },
      {
        name: "x3",
        type: "number",
        bits: 16,
        title: "Vertex 4 x",
      },
      {
        name: "y3",
        type: "number",
        bits: 16,
        title: "Vertex 4 y",
      },
      {
        name: "x4",
        type: "number",
        bits: 16,
        title: "Vertex 5 x",
      },
      {
        name: "y4",
        type: "number",
        bits: 16,
        title: "Vertex 5 y",
      },
      {
        name: "x5",
        type: "number",
        bits: 16,
        title: "Vertex 6 x",
      },
      {
        name: "y5",
        type: "number",
        bits: 16,
        title: "Vertex 6 y",
      },
    ],
    params: [
      {
        name: "minArea",
        bits: 32,
        title: "Minimum area (square pixels)",
      },
    ],
    batch: 32,
    budget: {
      perLabel: 1000,
    },
  },
  {
    check: ({ label, item, params }) => {
      const issues: KitIssue[] = [];
      if (label.n < 3 || label.n > VERTICES)
        return [
          { code: "vertex_count", n: label.n, message: `a polygon has 3 to ${VERTICES} vertices, not ${label.n}` },
        ];
      for (let i = 0; i < VERTICES; i++) {
        const [x, y] = [label[`x${i}`], label[`y${i}`]];
        if (i >= label.n) {
          if (x !== 0 || y !== 0)
            issues.push({
              code: "extra_vertex",
              vertex: i,
              message: `vertex ${i + 1} is set, but the polygon has ${label.n} vertices (leave it at 0, 0)`,
            });
        } else if (x > item.width || y > item.height)
          issues.push({
            code: "outside_image",
            vertex: i,
            message: `vertex ${i + 1} (${x}, ${y}) is outside the ${item.width}×${item.height} image`,
          });
      }
      const area2 = Math.abs(twiceSignedArea(label));
      if (area2 < 2 * params.minArea)
        issues.push({
          code: "too_small",
          area: area2 / 2,
          minArea: params.minArea,
          message: `the polygon's area is ${area2 / 2} square pixels, under the minimum ${params.minArea}`,
        });
      return issues;
    },
    // Triangles and quadrilaterals inside 640×480 images, each of area at least 800.
    sample: (i) => {
      const n = 3 + (i % 2);
      const square = [
        [20 + i, 30],
        [80 + i, 30],
        [80 + i, 90],
        [20 + i, 90],
      ];
      const label: KitLabel = { cls: i % 2, n };
      for (let k = 0; k < VERTICES; k++) {
        label[`x${k}`] = k < n ? square[k][0] : 0;
        label[`y${k}`] = k < n ? square[k][1] : 0;
      }
      return { item: { width: 640, height: 480 }, label, params: { numClasses: 3, allowedMask: 3, minArea: 800 } };
    },
    showLabel: (l, classes) =>
      `${className(l.cls, classes)}: ${polygonVertices(l)
        .map(([x, y]) => `(${x}, ${y})`)
        .join(" ")}`,
    toCoco: polygonsToCoco,
    // Gold polygons, matched by class and raster IoU through PolygonReject (./polygon-gold.ts).
    gold: polygonGold({
      labelValue: (l) => polygonRule.labelValue(l),
      labelFromValue: (v) => polygonRule.labelFromValue(v),
    }),
  },
);

export {
  POLYGON_GOLD_GRID,
  POLYGON_GOLD_PER_BATCH,
  polygonGoldMatches,
  polygonIoUAtLeast,
  polygonLabel,
  polygonVertices,
  VERTICES,
} from "./polygon-gold.ts";

/** Twice the signed area (shoelace), exactly as PolygonItem sums it: the last vertex closes on the first. */
export function twiceSignedArea(l: KitLabel): number {
  const v = polygonVertices(l);
  return v.reduce((s, [x, y], i) => {
    const [nx, ny] = v[(i + 1) % v.length];
    return s + x * ny - nx * y;
  }, 0);
}

/**
 * COCO instances JSON with segmentation polygons: one image and one annotation per item (ids from
 * 1), the polygon as [x0, y0, x1, y1, ...], its area and bounding box.
 */
export function polygonsToCoco(items: readonly CocoItem<KitLabel>[], classes: readonly string[]): string {
  for (const r of items) {
    if (r.label.cls >= classes.length)
      throw new ZkLabelError("invalid_input", `${itemName(r.index)}: class ${classNumber(r.label.cls)} has no name`);
  }
  const coco = {
    info: { description: "zkLabel polygons", version: "1.0" },
    images: items.map((r) => ({ id: r.index + 1, file_name: r.name, width: r.width, height: r.height })),
    annotations: items.map((r) => {
      const v = polygonVertices(r.label);
      const xs = v.map(([x]) => x);
      const ys = v.map(([, y]) => y);
      const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
      return {
        id: r.index + 1,
        image_id: r.index + 1,
        category_id: r.label.cls + 1,
        segmentation: [v.flat()],
        area: Math.abs(twiceSignedArea(r.label)) / 2,
        bbox: [x0, y0, Math.max(...xs) - x0, Math.max(...ys) - y0],
        iscrowd: 0,
      };
    }),
    categories: classes.map((name, i) => ({ id: i + 1, name, supercategory: "object" })),
  };
  return `${JSON.stringify(coco, null, 2)}\n`;
}
