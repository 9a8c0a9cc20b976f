/**
 * Dataset kinds: a sensor dataset (leaf = Poseidon of the readings) and a bounding-box dataset
 * (pairs of content hash and image size), built from bytes, round-tripped through a manifest,
 * refused when an item cannot be read or a manifest was tampered with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contentHash } from "@zklabel/core/field";
import { boxDatasetTree } from "@zklabel/core/rules/bbox";
import { sensorDatasetTree } from "@zklabel/core/rules/sensor";
import { pngHeader as png } from "@zklabel/testkit/images";
import { batchShape, buildDataset, checkManifest, findItem, itemFacts, kindOfRule } from "../src/dataset.ts";

const enc = new TextEncoder();

const windows = Array.from({ length: 40 }, (_, i) => Array.from({ length: 16 }, (_, j) => (i * 997 + j * 131) % 65536));

describe("dataset kinds", () => {
  it("maps rules to kinds and batches to tree shapes", () => {
    assert.equal(kindOfRule(1), "content");
    assert.equal(kindOfRule(2), "box");
    assert.equal(kindOfRule(3), "sensor");
    assert.deepEqual(batchShape("box", 20, 64), { leaves: 32, itemsPerLeaf: 2, depth: 19, chunk: 16 });
    assert.deepEqual(batchShape("sensor", 20, 32), { leaves: 32, itemsPerLeaf: 1, depth: 20, chunk: 16 });
  });

  it("builds a sensor dataset from JSON and CSV windows; the root is the circuit's tree", () => {
    const items = windows.map((w, i) => ({
      name: `w${i}.${i % 2 ? "csv" : "json"}`,
      bytes: enc.encode(i % 2 ? w.join(",") : JSON.stringify(w)),
    }));
    const { manifest, tree } = buildDataset(items, { depth: 20, batchSize: 32, kind: "sensor" });
    assert.equal(manifest.kind, "sensor");
    assert.equal(tree.root, sensorDatasetTree(20, windows, 16).root);
    assert.equal(checkManifest(JSON.parse(JSON.stringify(manifest))).tree.root, tree.root);
    const tampered = structuredClone(manifest);
    tampered.items[3].leaf = "0x5";
    assert.throws(() => checkManifest(tampered), /not to the root it states/);
    const noLeaf = structuredClone(manifest);
    delete noLeaf.items[2].leaf;
    assert.throws(() => checkManifest(noLeaf), /item 3 .* lacks its leaf/);
    assert.equal(findItem(manifest, tree, items[5].bytes)?.index, 5);
    assert.throws(
      () =>
        buildDataset([{ name: "bad.json", bytes: enc.encode("[1, 2, 70000]") }], {
          depth: 20,
          batchSize: 32,
          kind: "sensor",
        }),
      /bad\.json/,
    );
  });

  it("builds a box dataset from image headers; pairs of (hash, size) make the tree", () => {
    const sizes = Array.from({ length: 7 }, (_, i) => ({ width: 100 + i, height: 50 + 3 * i }));
    const items = sizes.map((s, i) => ({ name: `img${i}.png`, bytes: png(s.width, s.height, i) }));
    const { manifest, tree } = buildDataset(items, { depth: 20, batchSize: 64, kind: "box" });
    assert.equal(manifest.kind, "box");
    assert.deepEqual(
      manifest.items.map((x) => [x.width, x.height]),
      sizes.map((s) => [s.width, s.height]),
    );
    const expected = boxDatasetTree(
      20,
      items.map((x, i) => ({ contentHash: contentHash(x.bytes), ...sizes[i] })),
      16,
    );
    assert.equal(tree.root, expected.root);
    const resized = structuredClone(manifest);
    resized.items[4].width = 999;
    assert.throws(() => checkManifest(resized), /not to the root it states/);
    assert.throws(() => itemFacts("box", "notes.txt", enc.encode("hello"), "text/plain"), /notes\.txt|image/);
  });
});
