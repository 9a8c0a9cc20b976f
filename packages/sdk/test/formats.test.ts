/**
 * The SDK's formats and helpers: COCO/CSV/JSONL export, task metadata, gold roots, content-type
 * checks, staged progress with cancellation, batch slices, and the browser export condition.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { BatchSlice } from "@zklabel/core/merkle";
import { bboxRule } from "@zklabel/core/rules/bbox";
import { classificationRule } from "@zklabel/core/rules/classification";
import { sensorRule } from "@zklabel/core/rules/sensor";
import { ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult } from "viem";
import { escrowAbi } from "../src/abi-escrow.ts";
import { buildDataset } from "../src/dataset.ts";
import { describeError } from "../src/errors.ts";
import { exportsCoco, labelRows, toCoco, toCsv, toJsonl } from "../src/export.ts";
import { buildGold, goldLeaf } from "../src/gold.ts";
import { decodeTaskMetadata, encodeTaskMetadata } from "../src/metadata.ts";
import { runStages } from "../src/progress.ts";
import { contentTypeProblem, typeFromName } from "../src/vault.ts";

const enc = new TextEncoder();
const { manifest, tree } = buildDataset(
  demoItems(100).map((x, i) => ({ name: `r${i}.txt`, bytes: enc.encode(x.text) })),
  { depth: 20, batchSize: 64 },
);

describe("label export", () => {
  it("JSONL and CSV rows in item order with class names, CSV quoted", () => {
    const rows = labelRows(
      classificationRule,
      [
        { batchIndex: 1, labels: [2, 0] },
        { batchIndex: 0, labels: [1] },
      ],
      64,
      { ...manifest, items: manifest.items.map((x, i) => (i === 64 ? { ...x, name: 'a "quoted", name' } : x)) },
      ["neg", "neu", "pos"],
    );
    assert.deepEqual(
      rows.map((r) => [r.index, r.className]),
      [
        [0, "neu"],
        [64, "pos"],
        [65, "neg"],
      ],
    );
    assert.equal(toJsonl(rows).trim().split("\n").length, 3);
    const csv = toCsv(rows).split("\n");
    assert.equal(csv[0], "index,name,contentHash,label,className");
    assert.match(csv[2], /^64,"a ""quoted"", name",0x[0-9a-f]+,2,pos$/);
  });
  it("box rows carry the rule's own columns; sensor rows name normal and anomaly", () => {
    const boxes = labelRows(bboxRule, [{ batchIndex: 0, labels: [{ cls: 1, x: 1, y: 2, w: 3, h: 4 }] }], 64, null, [
      "cat",
      "dog",
    ]);
    assert.equal(toCsv(boxes).split("\n")[0], "index,name,contentHash,label,className,x,y,w,h");
    assert.deepEqual(boxes[0], {
      index: 0,
      name: "",
      contentHash: "",
      label: 1,
      className: "dog",
      x: 1,
      y: 2,
      w: 3,
      h: 4,
    });
    const sensor = labelRows(sensorRule, [{ batchIndex: 0, labels: [0, 1] }], 32, null);
    assert.deepEqual(
      sensor.map((r) => r.className),
      ["normal", "anomaly"],
    );
  });
  it("COCO: images, annotations with [x, y, w, h] and 1-based categories; only for box rules", () => {
    const m = {
      ...manifest,
      items: [
        { ...manifest.items[0], name: "a.png", width: 640, height: 480 },
        { ...manifest.items[1], name: "b.png", width: 100, height: 100 },
      ],
    };
    const batches = [
      {
        batchIndex: 0,
        labels: [
          { cls: 1, x: 10, y: 20, w: 30, h: 40 },
          { cls: 0, x: 0, y: 0, w: 5, h: 5 },
        ],
      },
    ];
    assert.ok(exportsCoco(bboxRule) && !exportsCoco(classificationRule));
    const coco = JSON.parse(toCoco(bboxRule, batches, 64, m, ["cat", "dog"]));
    assert.deepEqual(coco.images[0], { id: 1, file_name: "a.png", width: 640, height: 480 });
    assert.deepEqual(coco.annotations[0], {
      id: 1,
      image_id: 1,
      category_id: 2,
      bbox: [10, 20, 30, 40],
      area: 1200,
      iscrowd: 0,
    });
    assert.deepEqual(coco.categories, [
      { id: 1, name: "cat", supercategory: "object" },
      { id: 2, name: "dog", supercategory: "object" },
    ]);
    assert.throws(() => toCoco(bboxRule, batches, 64, m, ["cat"]), /item 1: class 2 has no name/);
    assert.throws(() => toCoco(classificationRule, batches, 64, m, ["cat"]), /COCO holds bounding boxes/);
    assert.throws(() => toCoco(bboxRule, batches, 64, manifest, ["cat", "dog"]), /no image size for item 1/);
  });
});
