import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems, textLeaf } from "@zklabel/core/demo";
import { DatasetTree, rootFromItemProof } from "@zklabel/core/merkle";
import { buildDataset, checkManifest, DatasetError, findItem } from "../src/dataset.ts";
import { itemsFromCsv, itemsFromDirectory, itemsFromJsonl, parseCsv } from "../src/dataset-fs.ts";
import { resolveTaskSpec, SpecError } from "../src/spec.ts";

const enc = new TextEncoder();
const NOW = 1_800_000_000;

const spec = (over: Record<string, unknown> = {}) => ({
  title: "Product review sentiment",
  instructions: "Pick the sentiment of each review.",
  rule: {
    type: "classification",
    classes: ["negative", "neutral", "positive", "off-topic"],
    allowed: ["negative", "neutral", "positive"],
  },
  reward: { perItem: "0.001" },
  deadline: "7d",
  ...over,
});

describe("task specs", () => {
  it("resolves a classification spec to the escrow's parameters", () => {
    const r = resolveTaskSpec(spec(), NOW);
    assert.equal(r.ruleId, 1);
    assert.deepEqual(r.ruleParams, [4n, 0b0111n, 0n, 0n]);
    assert.equal(r.rewardPerItem, 10n ** 15n);
    assert.equal(r.deadline, BigInt(NOW + 7 * 86_400));
    assert.equal(r.token, "0x0000000000000000000000000000000000000000");
    assert.equal(r.challengeWindow, 0);
  });

  it("resolves bounding-box and sensor rules, gold settings and token rewards", () => {
    const box = resolveTaskSpec(
      spec({
        rule: { type: "bbox", classes: ["cat", "dog"], minWidth: 8, minHeight: 10 },
        reward: { perItem: "1.5", token: "0x5FbDB2315678afecb367f032d93F642f64180aa3", decimals: 6 },
        gold: { minAccuracy: 80, challengeWindow: "2h" },
        deadline: "2028-01-01T00:00:00Z",
      }),
      NOW,
    );
    assert.equal(box.ruleId, 2);
    assert.deepEqual(box.ruleParams, [2n, 0b11n, 8n, 10n]);
    assert.equal(box.rewardPerItem, 1_500_000n);
    assert.equal(box.challengeWindow, 7200);
    assert.equal(box.minAccuracy, 80);
    assert.equal(box.deadline, BigInt(Date.parse("2028-01-01T00:00:00Z") / 1000));
    const sensor = resolveTaskSpec(spec({ rule: { type: "sensor", lo: 100, hi: 60_000 } }), NOW);
    assert.deepEqual(sensor.ruleParams, [100n, 60_000n, 0n, 0n]);
    assert.equal(sensor.ruleId, 3);
  });

  it("says what is wrong, where, for every kind of mistake at once", () => {
    const bad = spec({
      title: "",
      rule: { type: "classification", classes: ["a", "a"], allowed: ["b"] },
      reward: { perItem: "1e-3" },
      deadline: "next week",
    });
    assert.throws(
      () => resolveTaskSpec(bad, NOW),
      (err: unknown) => {
        assert.ok(err instanceof SpecError);
        assert.match(err.message, /title: the task needs a title/);
        assert.match(err.message, /rule\.classes: class names must be unique/);
        assert.match(err.message, /reward\.perItem: write the reward as a decimal number/);
        assert.match(err.message, /deadline: deadline must be an ISO date-time/);
        return true;
      },
    );
    assert.throws(
      () => resolveTaskSpec(spec({ rule: { type: "colour" } }), NOW),
      /rule\.type must be one of "classification", "bbox", "sensor"/,
    );
    assert.throws(
      () => resolveTaskSpec(spec({ rule: { type: "sensor", lo: 9, hi: 3 } }), NOW),
      /rule\.hi: lo must not be above hi/,
    );
    assert.throws(() => resolveTaskSpec(spec({ rule: { type: "sensor", lo: 0, hi: 70_000 } }), NOW), /at most 65535/);
    assert.throws(() => resolveTaskSpec(spec({ reward: { perItem: "0" } }), NOW), /more than 0/);
    assert.throws(() => resolveTaskSpec(spec({ deadline: "2001-01-01T00:00:00Z" }), NOW), /not in the future/);
    assert.throws(
      () => resolveTaskSpec(spec({ gold: { minAccuracy: 80, challengeWindow: "90d" } }), NOW),
      /challengeWindow must be a duration from "1m" to "30d"/,
    );
    assert.throws(
      () => resolveTaskSpec(spec({ rule: { type: "classification", classes: ["a", "b"], allowed: [] } }), NOW),
      /allow at least one class/,
    );
  });
});

describe("datasets and manifests", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "zklabel-sdk-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("builds the same root as the core tree, and a manifest that re-checks and finds items", () => {
    const texts = demoItems(100).map((x) => x.text);
    const { manifest, tree } = buildDataset(
      texts.map((t, i) => ({ name: `item ${i}`, bytes: enc.encode(t) })),
      { depth: 20, batchSize: 64 },
    );
    assert.equal(tree.root, new DatasetTree(20, texts.map(textLeaf), 16).root);
    assert.equal(manifest.count, 100);
    const again = checkManifest(JSON.parse(JSON.stringify(manifest)));
    assert.equal(again.tree.root, tree.root);
    const found = findItem(manifest, tree, enc.encode(texts[70]));
    assert.ok(found);
    assert.equal(found.index, 70);
    assert.equal(found.batch, 1);
    assert.ok(found.proof);
    assert.equal(rootFromItemProof(textLeaf(texts[70]), found.proof), tree.root);
    assert.equal(findItem(manifest, tree, enc.encode("not in the dataset")), null);
    const tampered = { ...manifest, items: [...manifest.items] };
    tampered.items[3] = { ...tampered.items[3], contentHash: "0x1" };
    assert.throws(() => checkManifest(tampered), /hash to root .* not to the root it states/);
    assert.throws(() => checkManifest({ version: 2 }), /not a zkLabel manifest/);
  });

  it("refuses duplicates, empty and oversized datasets with the items named", () => {
    assert.throws(
      () =>
        buildDataset(
          [
            { name: "a.txt", bytes: enc.encode("same") },
            { name: "b.txt", bytes: enc.encode("same") },
          ],
          { depth: 20, batchSize: 64 },
        ),
      /item "b\.txt" has the same content as "a\.txt"/,
    );
    assert.throws(() => buildDataset([], { depth: 20, batchSize: 64 }), DatasetError);
    const many = Array.from({ length: 17 }, (_, i) => ({ name: `${i}`, bytes: enc.encode(`${i}`) }));
    assert.throws(() => buildDataset(many, { depth: 4, batchSize: 16 }), /more than a tree of depth 4 holds \(16\)/);
  });

  it("reads a folder of files in code-point order, a JSONL file and a CSV file", async () => {
    const images = join(dir, "images");
    await mkdir(images);
    for (const name of ["b.png", "a.png", "C.png", ".hidden", "notes.txt"]) await writeFile(join(images, name), name);
    const files = await itemsFromDirectory(images, [".png"]);
    assert.deepEqual(
      files.map((f) => f.name),
      ["C.png", "a.png", "b.png"],
    );
    await assert.rejects(itemsFromDirectory(images, [".jpg"]), /has no \.jpg files/);

    const jsonl = join(dir, "items.jsonl");
    await writeFile(jsonl, '{"text":"first"}\n"second"\n\n{"text":"third"}\n');
    assert.deepEqual(
      (await itemsFromJsonl(jsonl)).map((x) => new TextDecoder().decode(x.bytes)),
      ["first", "second", "third"],
    );
    await writeFile(jsonl, '{"text":"ok"}\n{"body":"x"}\n');
    await assert.rejects(itemsFromJsonl(jsonl), /line 2 has no string field "text"/);
    await writeFile(jsonl, "{broken\n");
    await assert.rejects(itemsFromJsonl(jsonl), /line 1 is not valid JSON/);

    const csv = join(dir, "items.csv");
    await writeFile(csv, 'id,review\n1,"Good, really"\n2,"He said ""no"""\n3,"two\nlines"\n');
    assert.deepEqual(
      (await itemsFromCsv(csv, "review")).map((x) => new TextDecoder().decode(x.bytes)),
      ["Good, really", 'He said "no"', "two\nlines"],
    );
    await assert.rejects(itemsFromCsv(csv, "text"), /has no column "text"; its columns are: id, review/);
    assert.throws(() => parseCsv('a\n"open', "x.csv"), /never closed/);
    await assert.rejects(itemsFromCsv(join(dir, "missing.csv"), "a"), /cannot read .*ENOENT/);
  });

  it("builds a 100,000-item dataset from a JSONL file", async () => {
    const jsonl = join(dir, "big.jsonl");
    await writeFile(
      jsonl,
      `${Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ text: `item ${i}` })).join("\n")}\n`,
    );
    const { manifest, tree } = buildDataset(await itemsFromJsonl(jsonl), { depth: 20, batchSize: 64 });
    assert.equal(manifest.count, 100_000);
    const i = 99_999;
    assert.equal(rootFromItemProof(tree.node(0, i), tree.itemProof(i)), tree.root);
  });
});
