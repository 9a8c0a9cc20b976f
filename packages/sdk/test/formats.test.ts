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
import { bboxRule, boxLabelValue } from "@zklabel/core/rules/bbox";
import { classificationRule } from "@zklabel/core/rules/classification";
import { polygonLabel, polygonRule } from "@zklabel/core/rules/polygon";
import { sensorRule } from "@zklabel/core/rules/sensor";
import { ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult } from "viem";
import { escrowAbi } from "../src/abi-escrow.ts";
import { buildDataset } from "../src/dataset.ts";
import { describeError } from "../src/errors.ts";
import { exportsCoco, labelRows, toCoco, toCsv, toJsonl } from "../src/export.ts";
import { buildGold, goldAdvice, goldLeaf, goldTreeOf } from "../src/gold.ts";
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

describe("task metadata", () => {
  it("round-trips through a data: URI bound by its hash; a changed byte is refused", () => {
    const m = {
      version: 1 as const,
      title: "Réviews ✓",
      instructions: "i",
      rule: { type: "classification" as const, classes: ["a", "b"] },
      vault: "http://127.0.0.1:8787",
    };
    const { uri, hash } = encodeTaskMetadata(m);
    assert.match(uri, /^data:application\/json;base64,/);
    assert.deepEqual(decodeTaskMetadata(uri, hash), m);
    assert.equal(decodeTaskMetadata("", hash), null);
    assert.throws(() => decodeTaskMetadata(uri, `0x${"00".repeat(32)}`), /does not match its on-chain metadataHash/);
    assert.throws(() => decodeTaskMetadata("ipfs://x", hash), /not an inline data: URI/);
  });
});

describe("gold items", () => {
  it("commits to every item, hides which are gold, and names each problem", () => {
    const g = buildGold(
      manifest,
      classificationRule,
      ["neg", "neu", "pos"],
      [
        { item: "r3.txt", label: "pos" },
        { item: 70, label: "neg" },
      ],
    );
    assert.equal(g.openings.items.length, 100);
    assert.equal(g.openings.rule, "classification");
    assert.deepEqual(
      g.openings.items.filter((x) => x.isGold).map((x) => [x.index, x.label, x.value]),
      [
        [3, 2, "2"],
        [70, 0, "0"],
      ],
    );
    assert.equal(goldTreeOf(classificationRule, g.openings).root, g.goldRoot, "the openings rebuild the root");
    assert.equal(goldLeaf(1, 2, BigInt(g.openings.items[3].salt)) === goldLeaf(1, 2, 0n), false, "salted");
    const again = buildGold(manifest, classificationRule, ["neg", "neu", "pos"], [{ item: "r3.txt", label: "pos" }]);
    assert.notEqual(again.goldRoot, g.goldRoot, "fresh salts");
    assert.throws(
      () =>
        buildGold(
          manifest,
          classificationRule,
          ["neg", "neu"],
          [
            { item: "nope.txt", label: "neg" },
            { item: 1, label: "zzz" },
            { item: 2, label: "neg" },
            { item: 2, label: "neu" },
          ],
        ),
      /"nope.txt" is not in the dataset[\s\S]*"zzz" is not one of the classes[\s\S]*listed twice/,
    );
  });
  it("box answers carry their box; a rule without gold answers refuses a gold file", () => {
    const g = buildGold(manifest, bboxRule, ["cat", "dog"], [{ item: 5, label: "dog", box: [10, 20, 30, 40] }]);
    const five = g.openings.items[5];
    assert.equal(BigInt(five.value), boxLabelValue({ cls: 1, x: 10, y: 20, w: 30, h: 40 }));
    assert.throws(
      () => buildGold(manifest, bboxRule, ["cat", "dog"], [{ item: 5, label: "dog" }]),
      /gold item 5: a box gold answer needs "box": \[x, y, w, h\]/,
    );
    assert.throws(() => buildGold(manifest, sensorRule, [], [{ item: 1, label: "anomaly" }]), /take no gold items/);
    // Polygons: the answer is the polygon; a batch of 32 takes at most 3 gold items.
    const p = buildGold(
      manifest,
      polygonRule,
      ["cat", "dog"],
      [
        {
          item: 5,
          label: "dog",
          polygon: [
            [10, 10],
            [60, 10],
            [35, 50],
          ],
        },
      ],
    );
    assert.deepEqual(
      polygonRule.labelFromValue(BigInt(p.openings.items[5].value)),
      polygonLabel(1, [
        [10, 10],
        [60, 10],
        [35, 50],
      ]),
    );
    const four = [1, 2, 3, 4].map((item) => ({
      item,
      label: "cat",
      polygon: [
        [0, 0],
        [20, 0],
        [0, 20],
      ],
    }));
    assert.throws(
      () =>
        buildGold(
          manifest,
          polygonRule,
          ["cat", "dog"],
          [
            ...four,
            {
              item: 40,
              label: "cat",
              polygon: [
                [0, 0],
                [20, 0],
                [0, 20],
              ],
            },
          ],
        ),
      /batch 0 \(items 0..31\) holds 4 gold items \(1, 2, 3, 4\), but a polygon rejection compares at most 3 per batch[\s\S]*drop 1$/,
    );
    assert.throws(
      () =>
        buildGold(
          manifest,
          polygonRule,
          ["cat"],
          [
            {
              item: 5,
              label: "cat",
              polygon: [
                [1, 1],
                [2, 2],
              ],
            },
          ],
        ),
      /gold item 5: a polygon gold answer needs "polygon"/,
    );
  });
  it("advises 5-10 % gold and at least one per batch, and names the batches that would hold none", () => {
    const a = goldAdvice(1000, 64, [0, 70, 130]);
    assert.equal(a.batches, 16);
    assert.deepEqual(a.advised, { low: 50, high: 100 });
    assert.deepEqual(a.batchesWithoutGold, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert.deepEqual(goldAdvice(100, 64).advised, { low: 5, high: 10 });
    assert.deepEqual(goldAdvice(100, 64, [1, 64]).batchesWithoutGold, []);
    // Polygons compare at most 3 gold items a batch: the advice stays under 3 per batch, and names batches over it.
    const p = goldAdvice(1000, 32, [0, 1, 2, 3, 40, 70, 71, 72, 73], 3);
    assert.deepEqual(p.advised, { low: 50, high: 96 });
    assert.deepEqual(p.batchesOverMax, [0, 2]);
    assert.deepEqual(goldAdvice(1000, 64, [0, 1, 2, 3]).batchesOverMax, []);
  });
});

describe("vault helpers", () => {
  it("checks content against its declared type", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    assert.equal(contentTypeProblem(png, "image/png"), null);
    assert.equal(contentTypeProblem(enc.encode("hello"), "image/png"), "is not a PNG image");
    assert.equal(contentTypeProblem(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), "image/jpeg"), null);
    assert.equal(contentTypeProblem(new Uint8Array([0xff, 0xfe, 0xfd]), "text/plain"), "is not UTF-8 text");
    assert.equal(contentTypeProblem(enc.encode("{"), "application/json"), "is not valid JSON");
    assert.match(String(contentTypeProblem(png, "application/x-sh")), /does not store/);
    assert.equal(typeFromName("Cat.JPG"), "image/jpeg");
    assert.equal(typeFromName("notes"), "text/plain");
  });
  it("a batch slice checks its leaves and path against the root", () => {
    const ok = new BatchSlice({
      depth: 20,
      chunk: 16,
      size: 100,
      root: tree.root,
      batchIndex: 1,
      leaves: tree.batchLeaves(1, 64),
      path: tree.batchPath(1, 64),
    });
    assert.deepEqual(ok.batchLeaves(1, 64), tree.batchLeaves(1, 64));
    assert.throws(() => ok.batchPath(0, 64), /holds batch 1 of 64, not batch 0/);
    const leaves = tree.batchLeaves(1, 64);
    leaves[3] += 1n;
    assert.throws(
      () =>
        new BatchSlice({
          depth: 20,
          chunk: 16,
          size: 100,
          root: tree.root,
          batchIndex: 1,
          leaves,
          path: tree.batchPath(1, 64),
        }),
      /not the dataset root/,
    );
    assert.throws(
      () =>
        new BatchSlice({
          depth: 20,
          chunk: 16,
          size: 100,
          root: tree.root,
          batchIndex: 0,
          leaves: tree.batchLeaves(1, 64),
          path: tree.batchPath(1, 64),
        }),
      /not the dataset root/,
    );
  });
});

describe("staged work", () => {
  it("reports each stage, passes results along, and stops between stages when cancelled", async () => {
    const seen: string[] = [];
    const out = await runStages<number>(
      [
        ["a", () => 1],
        ["b", async (x: number) => x + 1],
      ],
      { onProgress: (p) => seen.push(`${p.stage}:${p.phase}:${p.index}/${p.total}`) },
    );
    assert.equal(out, 2);
    assert.deepEqual(seen, ["a:start:0/2", "a:done:0/2", "b:start:1/2", "b:done:1/2"]);
    const ctl = new AbortController();
    let ranB = false;
    await assert.rejects(
      runStages(
        [
          ["a", () => ctl.abort()],
          ["b", () => (ranB = true)],
        ],
        { signal: ctl.signal },
      ),
      { name: "AbortError" },
    );
    assert.equal(ranB, false);
  });
});

describe("package exports", () => {
  it("the browser condition resolves to an entry without the Node-only file readers; Node has them", async () => {
    const probe = (conditions: string[]) =>
      execFileSync(
        process.execPath,
        [
          ...conditions,
          "--input-type=module",
          "-e",
          "let fs = 'yes'; try { import.meta.resolve('@zklabel/sdk/dataset-fs'); } catch { fs = 'no'; } console.log(import.meta.resolve('@zklabel/sdk').split('/').pop(), fs)",
        ],
        { cwd: new URL("../../..", import.meta.url).pathname, encoding: "utf8" },
      ).trim();
    assert.equal(probe([]), "index.ts yes");
    assert.equal(probe(["--conditions=browser"]), "index.browser.ts no");
    // Nothing the browser entry reaches imports a Node built-in.
    const src = new URL("../src/", import.meta.url);
    const seen = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = await readFile(new URL(file, src), "utf8");
      assert.doesNotMatch(text, /from "node:/, `${file} imports a Node built-in`);
      for (const [, rel] of text.matchAll(/from "\.\/([\w.-]+\.ts)"/g)) await visit(rel);
    };
    await visit("index.browser.ts");
    assert.ok(seen.size > 10);
  });
});

describe("contract errors in words", () => {
  it("decodes a revert that viem could not (a call made with a trimmed ABI) against the escrow's errors", () => {
    const data = encodeErrorResult({ abi: escrowAbi, errorName: "BatchIsPending", args: [1n, 3n] });
    const raw = new ContractFunctionRevertedError({ abi: [], data, functionName: "submitBatch" });
    assert.equal(raw.data, undefined, "viem alone cannot name it");
    const d = describeError(new ContractFunctionExecutionError(raw, { abi: [], functionName: "submitBatch" }));
    assert.equal(d.errorName, "BatchIsPending");
    assert.match(d.message, /already submitted and waits out its challenge window.*\[BatchIsPending\(1, 3\)\]/);
  });
});
