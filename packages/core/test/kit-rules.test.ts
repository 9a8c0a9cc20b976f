/**
 * The rule modules made with the rule authoring kit, as the other layers use them: parameters from a
 * spec (classes included), label packing, the checker's words, export columns and COCO segmentation.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { polygonRule, twiceSignedArea } from "../src/rules/polygon.ts";
import { spansRule } from "../src/rules/spans.ts";

const triangle = {
  cls: 1,
  n: 3,
  x0: 10,
  y0: 10,
  x1: 60,
  y1: 10,
  x2: 10,
  y2: 50,
  x3: 0,
  y3: 0,
  x4: 0,
  y4: 0,
  x5: 0,
  y5: 0,
};

describe("polygons (rule 4)", () => {
  it("takes its classes and allowed classes from the spec into slots 0 and 1, minArea into slot 2", () => {
    const spec = polygonRule.spec.parse({
      type: "polygon",
      classes: ["car", "bike", "bus"],
      allowed: ["car", "bike"],
      minArea: 500,
    });
    const r = polygonRule.fromSpec(spec);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.classes, ["car", "bike", "bus"]);
    assert.deepEqual(polygonRule.encodeParams(r.params), [3n, 3n, 500n, 0n]);
    assert.deepEqual(polygonRule.decodeParams([3n, 3n, 500n, 0n]), r.params);
    assert.deepEqual(polygonRule.allowedClasses(r.params), [0, 1]);
    const bad = polygonRule.fromSpec(
      polygonRule.spec.parse({ type: "polygon", classes: ["a", "b"], allowed: ["c"], minArea: 0 }),
    );
    assert.match(bad.problems.join(), /allowed: class "c" is not one of the classes/);
  });

  it("packs a label into 200 bits and back; the area either way round", () => {
    assert.equal(polygonRule.labelBits, 200);
    assert.deepEqual(polygonRule.labelFromValue(polygonRule.labelValue(triangle)), triangle);
    assert.equal(twiceSignedArea(triangle), 2000);
    const reversed = { ...triangle, x1: 10, y1: 50, x2: 60, y2: 10 };
    assert.equal(twiceSignedArea(reversed), -2000);
  });

  it("names each broken label's problem, class checks first", () => {
    const params = { numClasses: 3, allowedMask: 3, minArea: 1500 };
    const item = { contentHash: 1n, width: 50, height: 80 };
    const issues = polygonRule.checkLabels(
      [triangle, { ...triangle, cls: 2 }, { ...triangle, n: 2 }, { ...triangle, x3: 4 }],
      [item, item, item, item],
      params,
      10,
    );
    assert.deepEqual(
      issues.map((i) => [i.item, i.code]),
      [
        [10, "outside_image"],
        [10, "too_small"],
        [11, "class_not_allowed"],
        [12, "vertex_count"],
        [13, "outside_image"],
        [13, "extra_vertex"],
        [13, "too_small"],
      ],
    );
    assert.match(issues[0].message, /^item 11: vertex 2 \(60, 10\) is outside the 50×80 image$/);
    assert.match(issues[1].message, /the polygon's area is 1000 square pixels, under the minimum 1500/);
  });

  it("exports COCO segmentation: the vertices, the area and the bounding box", () => {
    const coco = JSON.parse(
      polygonRule.toCoco?.([{ index: 4, name: "a.png", width: 100, height: 80, label: triangle }], ["car", "bike"]) ??
        "",
    );
    assert.deepEqual(coco.annotations, [
      {
        id: 5,
        image_id: 5,
        category_id: 2,
        segmentation: [[10, 10, 60, 10, 10, 50]],
        area: 1000,
        bbox: [10, 10, 50, 40],
        iscrowd: 0,
      },
    ]);
    assert.deepEqual(coco.images, [{ id: 5, file_name: "a.png", width: 100, height: 80 }]);
    assert.deepEqual(
      coco.categories.map((c: { name: string }) => c.name),
      ["car", "bike"],
    );
  });
});

describe("entity spans (rule 5)", () => {
  it("exports the class and every field; shows the span in words", () => {
    const label = { start: 4, end: 12, kind: 1 };
    const names = spansRule.classNames({ minLength: 3 });
    assert.deepEqual(names, ["person", "place", "organisation", "other"]);
    assert.deepEqual(spansRule.exportFields(label, names), {
      label: 1,
      className: "place",
      start: 4,
      end: 12,
      kind: 1,
    });
    assert.equal(spansRule.showLabel(label, names), 'start 4, end 12, "place"');
    assert.deepEqual(spansRule.label.parse({ start: 4, end: 12, kind: "place" }), label);
  });
});
