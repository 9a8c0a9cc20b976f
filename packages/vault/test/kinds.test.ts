/**
 * The vault with datasets of every rule, against the real contracts: a sensor-range task (windows
 * of readings) and a bounding-box task (images, paired with their sizes in the tree). Uploads check
 * what the rule reads of each item (the readings' leaf, the image's size) against the manifest; a
 * member downloads a batch with an access proof, the client re-checks it against the on-chain
 * root, and the slice proves and is accepted by the escrow. The same for a rule made with the rule
 * authoring kit (entity spans), whose items commit a field read off their bytes (the text's length).
 */

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ACCESS_CIRCUIT } from "@zklabel/core/access";
import { expectedRuleEntry } from "@zklabel/core/deployment";
import { RuleViolationError } from "@zklabel/core/errors";
import { workerGroup } from "@zklabel/core/group";
import { Identity } from "@zklabel/core/identity";
import { bboxRule } from "@zklabel/core/rules/bbox";
import { polygonRule } from "@zklabel/core/rules/polygon";
import { sensorLabel, sensorLeaf } from "@zklabel/core/rules/sensor";
import { ZkLabelClient } from "@zklabel/sdk/client";
import { buildDataset, datasetTree, type Manifest } from "@zklabel/sdk/dataset";
import { buildGold, type GoldOpenings } from "@zklabel/sdk/gold";
import { openSubmittedBatches } from "@zklabel/sdk/open";
import { proveBatch } from "@zklabel/sdk/prove";
import { proveRejection, reviewPending } from "@zklabel/sdk/review";
import { resolveTaskSpec, type TaskSpec } from "@zklabel/sdk/spec";
import { escrowReader, readTaskInfo, type TaskInfo } from "@zklabel/sdk/task-info";
import { VaultClient, VaultError } from "@zklabel/sdk/vault";
import { artifacts, DEMO_REQUESTER_KEY, releaseSnarkjs } from "@zklabel/testkit/classification";
import { checkGasSnapshot } from "@zklabel/testkit/gas";
import { pngHeader as png } from "@zklabel/testkit/images";
import { deployZkLabel } from "@zklabel/testkit/repo";
import { network } from "hardhat";
import type { PublicClient } from "viem";
import { escrowChain } from "../src/chain.ts";
import { startVault } from "../src/server.ts";
import { EmbeddedStorage } from "../src/storage.ts";

after(releaseSnarkjs);

/** Gas of one verified batch per rule (13 public inputs for sensor, 34 for boxes), into the snapshot. */
const gas: Record<string, bigint> = {};

const connection = await network.create();
const { viem } = connection;
const publicClient = (await viem.getPublicClient()) as unknown as PublicClient;
const [requesterWallet, workerWallet] = await viem.getWalletClients();
const enc = new TextEncoder();
const accessVkey = JSON.parse(await readFile(artifacts(ACCESS_CIRCUIT).vkey, "utf8"));
const me = new Identity("kinds test worker");

const LO = 1000;
const HI = 50000;
const windows = Array.from({ length: 40 }, (_, i) =>
  Array.from({ length: 16 }, (_, j) => (i % 3 === 0 && j === 7 ? 60000 : 2000 + ((i * 131 + j * 17) % 40000))),
);
const sensorItems = windows.map((w, i) => ({ name: `w${i}.json`, bytes: enc.encode(JSON.stringify(w)) }));
const boxSizes = Array.from({ length: 70 }, (_, i) => ({ width: 64 + (i % 5), height: 48 + (i % 3) }));
const boxItems = boxSizes.map((s, i) => ({ name: `img${i}.png`, bytes: png(s.width, s.height, i) }));
const sensorSet = buildDataset(sensorItems, { depth: 20, batchSize: 32, kind: "sensor" });
// Entity spans (rule 5, made with the rule authoring kit): texts whose length in characters is in the leaf.
const spanTexts = Array.from(
  { length: 36 },
  (_, i) => `Item ${i}: Grace Hopper visited ${["Paris", "Oslo", "Lima"][i % 3]}.`,
);
const spanItems = spanTexts.map((t, i) => ({ name: `s${i}.txt`, bytes: enc.encode(t) }));
const spanSet = buildDataset(spanItems, { depth: 20, batchSize: 32, kind: "fields:spans" });
const boxSet = buildDataset(boxItems, { depth: 20, batchSize: 64, kind: "box" });
// The same images for polygons (rule 4, made with the kit), in batches of 32: the tree is the box
// dataset's (same depth and chunk), so the vault serves the one stored dataset to both tasks.
const polygonSet = buildDataset(boxItems, { depth: 20, batchSize: 32, kind: "box" });

let dir: string;
let vault: Awaited<ReturnType<typeof startVault>>;
let client: VaultClient;
let worker: ZkLabelClient;
let sensorTask: TaskInfo;
let spanTask: TaskInfo;
let polygonTask: TaskInfo;
let boxTask: TaskInfo;
let goldBoxTask: TaskInfo;
let goldOpenings: GoldOpenings;
let goldPolygonTask: TaskInfo;
let polygonGoldOpenings: GoldOpenings;
let requester: ZkLabelClient;
let reader: ReturnType<typeof escrowReader>;
const BOX_CLASSES = ["car", "bike", "bus"];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "zklabel-vault-kinds-"));
  const d = await deployZkLabel(connection);
  const contracts = { escrow: d.escrow, groups: d.groups, chainId: d.chainId };
  requester = new ZkLabelClient({
    publicClient: publicClient as never,
    wallet: requesterWallet as never,
    contracts,
  });
  worker = new ZkLabelClient({ publicClient: publicClient as never, wallet: workerWallet as never, contracts });
  await worker.joinOpenGroup(me.commitment);
  const now = Number((await publicClient.getBlock()).timestamp);
  const spec = (rule: TaskSpec["rule"], gold?: TaskSpec["gold"]) =>
    resolveTaskSpec({ title: "t", instructions: "i", rule, reward: { perItem: "0.0001" }, deadline: "7d", gold }, now);
  reader = escrowReader({ client: publicClient as never, address: d.escrow, fromBlock: 0n });
  const s = await requester.createTask({
    spec: spec({ type: "sensor", lo: LO, hi: HI }),
    manifest: sensorSet.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 3),
  });
  sensorTask = await readTaskInfo(reader, s.taskId);
  const sp = await requester.createTask({
    spec: spec({ type: "spans", minLength: 3 } as unknown as TaskSpec["rule"]),
    manifest: spanSet.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 5),
  });
  spanTask = await readTaskInfo(reader, sp.taskId);
  const pg = await requester.createTask({
    spec: spec({
      type: "polygon",
      classes: BOX_CLASSES,
      allowed: ["car", "bike"],
      minArea: 500,
    } as unknown as TaskSpec["rule"]),
    manifest: polygonSet.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 4),
  });
  polygonTask = await readTaskInfo(reader, pg.taskId);
  const b = await requester.createTask({
    spec: spec({ type: "bbox", classes: ["car", "bike", "bus"], allowed: ["car", "bike"], minWidth: 8, minHeight: 6 }),
    manifest: boxSet.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 2),
  });
  boxTask = await readTaskInfo(reader, b.taskId);
  // The same images with gold answers for batch 1's six items: a car box at (2, 3), 20 x 10.
  const gold = buildGold(
    boxSet.manifest,
    bboxRule,
    BOX_CLASSES,
    Array.from({ length: 6 }, (_, i) => ({ item: `img${64 + i}.png`, label: "car", box: [2, 3, 20, 10] })),
  );
  goldOpenings = gold.openings;
  const g = await requester.createTask({
    spec: spec(
      { type: "bbox", classes: BOX_CLASSES, allowed: ["car", "bike"], minWidth: 8, minHeight: 6 },
      { minAccuracy: 80, challengeWindow: "1h", threshold: 50 },
    ),
    manifest: boxSet.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 2),
    goldRoot: gold.goldRoot,
  });
  goldBoxTask = await readTaskInfo(reader, g.taskId);
  // Polygons with gold answers for three items of batch 2 (of 32): item 65's is the triangle the
  // worker draws below, items 64 and 66 a small triangle in the corner.
  const corner = [
    [2, 2],
    [30, 2],
    [2, 30],
  ];
  const polygonGold = buildGold(polygonSet.manifest, polygonRule, BOX_CLASSES, [
    { item: 64, label: "car", polygon: corner },
    {
      item: "img65.png",
      label: "car",
      polygon: [
        [2, 2],
        [62, 2],
        [2, 48],
      ],
    },
    { item: 66, label: "car", polygon: corner },
  ]);
  polygonGoldOpenings = polygonGold.openings;
  const pgg = await requester.createTask({
    spec: spec(
      { type: "polygon", classes: BOX_CLASSES, allowed: ["car", "bike"], minArea: 500 } as unknown as TaskSpec["rule"],
      { minAccuracy: 80, challengeWindow: "1h", threshold: 50 },
    ),
    manifest: polygonSet.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 4),
    goldRoot: polygonGold.goldRoot,
  });
  goldPolygonTask = await readTaskInfo(reader, pgg.taskId);
  vault = await startVault({
    storage: await EmbeddedStorage.open(join(dir, "store")),
    chain: escrowChain({ client: publicClient, escrow: d.escrow, groups: d.groups, deployBlock: 0n }),
    accessVkey,
  });
  client = new VaultClient(vault.url);
});
after(async () => {
  await vault?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * The requester's review of a gold task's one pending batch: it scores `expected` and is rejectable;
 * the rejection proves with `rejectCircuit`, the escrow takes it and the batch is open again. Its gas.
 */
async function reviewAndReject(
  task: TaskInfo,
  batchIndex: number,
  openings: GoldOpenings,
  rejectCircuit: string,
  expected: { gold: number; correct: number },
): Promise<bigint> {
  const stored = await requester.getTask(task.taskId);
  const now = Number((await publicClient.getBlock()).timestamp);
  const [pending] = reviewPending({
    logs: await reader.read(),
    task,
    minAccuracy: stored.minAccuracy,
    goldThreshold: stored.goldThreshold,
    skR: DEMO_REQUESTER_KEY.skR,
    openings,
    now,
  });
  assert.deepEqual(
    { batchIndex: pending.batchIndex, gold: pending.gold, correct: pending.correct, rejectable: pending.rejectable },
    { batchIndex, ...expected, rejectable: true },
  );
  const rejection = await proveRejection({
    task,
    batch: pending,
    openings,
    minAccuracy: stored.minAccuracy,
    goldThreshold: stored.goldThreshold,
    artifacts: artifacts(rejectCircuit),
  });
  const hash = await requester.rejectBatch(task.taskId, pending, rejection);
  const { gasUsed } = await publicClient.waitForTransactionReceipt({ hash });
  assert.equal((await worker.batchState(task.taskId, batchIndex)).state, 0, "open again");
  return gasUsed;
}

const refused = (p: Promise<unknown>, message: RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VaultError, String(e));
    assert.equal(e.status, 400, e.message);
    assert.match(e.message, message);
    return true;
  });

/** A manifest that lists the right bytes but commits to something else the rule reads (and a root to match). */
function lying(m: Manifest, change: (items: Manifest["items"]) => void): Manifest {
  const items = structuredClone(m.items);
  change(items);
  const tree = datasetTree(
    m.kind ?? "content",
    m.depth,
    m.batchSize,
    items.map((x) => ({
      contentHash: BigInt(x.contentHash),
      leaf: x.leaf ? BigInt(x.leaf) : undefined,
      width: x.width,
      height: x.height,
    })),
  );
  return { ...m, items, root: `0x${tree.root.toString(16)}` };
}

describe("vault datasets of every rule", () => {
  it("refuses a sensor item whose readings are not the manifest's leaf, and an image whose size is not the manifest's", async () => {
    const wrongLeaf = lying(sensorSet.manifest, (items) => {
      items[4].leaf = `0x${sensorLeaf(windows[5]).toString(16)}`;
    });
    await refused(
      client.uploadDataset({
        manifest: wrongLeaf,
        bytesOf: (i) => sensorItems[i].bytes,
        sizes: sensorItems.map((x) => x.bytes.length),
      }),
      /item 5 \("w4.json"\) does not match the manifest: its leaf is 0x[0-9a-f]+, the manifest says 0x[0-9a-f]+/,
    );
    const wrongSize = lying(boxSet.manifest, (items) => {
      items[2].width = 999;
    });
    await refused(
      client.uploadDataset({
        manifest: wrongSize,
        bytesOf: (i) => boxItems[i].bytes,
        sizes: boxItems.map((x) => x.bytes.length),
      }),
      /item 3 \("img2.png"\) does not match the manifest: its width is 66, the manifest says 999/,
    );
  });

  it("stores both datasets and publishes their manifests with what the rule reads", async () => {
    for (const [set, items] of [
      [sensorSet, sensorItems],
      [boxSet, boxItems],
    ] as const) {
      const done = await client.uploadDataset({
        manifest: set.manifest,
        bytesOf: (i) => items[i].bytes,
        sizes: items.map((x) => x.bytes.length),
      });
      assert.equal(done.complete, true);
      const pub = await client.manifest(BigInt(set.manifest.root));
      assert.equal(pub.tree.root, set.tree.root);
      assert.equal(pub.manifest.kind, set.manifest.kind);
      assert.equal(pub.manifest.items[1].name, "#2", "file names stay with the requester");
    }
  });

  it("serves a sensor batch whose readings prove the rule; the escrow accepts it and the requester reads it", async () => {
    const group = workerGroup([me.commitment]);
    const got = await client.fetchBatch({
      task: sensorTask,
      batchIndex: 1,
      identity: me,
      group,
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    assert.equal(got.items.length, 8);
    assert.deepEqual(got.items[0].readings, windows[32]);
    const labels = got.items.map((x) => sensorLabel(x.readings ?? [], { lo: LO, hi: HI }));
    const common = {
      task: sensorTask,
      chainId: 31337n,
      escrow: worker.escrow,
      batchIndex: 1,
      identity: me,
      group,
      recipient: workerWallet.account.address,
      salt: 11n,
      artifacts: artifacts("sensor_worker_n32_d20_t16_g20"),
    };
    assert.equal(labels[1], 1, "item 33 has a reading above the band");
    const wrong = labels.map((l, i) => (i === 1 ? 0 : l));
    await assert.rejects(proveBatch({ ...common, dataset: got, labels: wrong }), (e: unknown) => {
      // The rule's checker names the item (1-based for people) and its typed fields say why.
      assert.ok(e instanceof RuleViolationError);
      assert.match(e.message, /item 34: labeled normal but reading 7 = 60000 is outside \[1000, 50000\]/);
      assert.deepEqual(
        e.issues.map((i) => [i.item, i.code, i.reading]),
        [[33, "missed_anomaly", 7]],
      );
      return true;
    });
    const proof = await proveBatch({ ...common, dataset: got, labels });
    const hash = await worker.submitBatch(sensorTask.taskId, 1, proof);
    gas.submitBatchSensor = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    const [opened] = openSubmittedBatches(await reader.read(), sensorTask.taskId, DEMO_REQUESTER_KEY.skR, 32, 3);
    assert.deepEqual(opened.labels, labels);
  });

  it("serves a box batch with the images' sizes; a box inside each image proves and is accepted", async () => {
    const group = workerGroup([me.commitment]);
    const got = await client.fetchBatch({
      task: boxTask,
      batchIndex: 1,
      identity: me,
      group,
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    assert.equal(got.items.length, 6);
    assert.deepEqual(
      got.items.map((x) => [x.width, x.height]),
      boxSizes.slice(64).map((s) => [s.width, s.height]),
    );
    const boxes = got.items.map((x, i) => ({ cls: i % 2, x: 2, y: 3, w: (x.width ?? 0) - 4, h: 10 }));
    const common = {
      task: boxTask,
      chainId: 31337n,
      escrow: worker.escrow,
      batchIndex: 1,
      identity: me,
      group,
      recipient: workerWallet.account.address,
      salt: 12n,
      artifacts: artifacts("bbox_worker_n64_d20_g20"),
      dataset: got,
    };
    await assert.rejects(
      proveBatch({ ...common, labels: boxes.map((b, i) => (i === 2 ? { ...b, cls: 2 } : b)) }),
      /item 67: class 3 is not allowed in this task/,
    );
    await assert.rejects(proveBatch({ ...common, labels: boxes.map(() => 1) }), /is not a bounding-box label/);
    const proof = await proveBatch({ ...common, labels: boxes });
    const hash = await worker.submitBatch(boxTask.taskId, 1, proof);
    gas.submitBatchBox = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    const [opened] = openSubmittedBatches(await reader.read(), boxTask.taskId, DEMO_REQUESTER_KEY.skR, 64, 2);
    assert.deepEqual(opened.labels, boxes);
    assert.ok(gas.submitBatchSensor, "the sensor batch was submitted first");
  });

  it("a kit rule's dataset (entity spans): an item whose length is not the manifest's leaf is refused; a batch proves and is accepted", async () => {
    const wrongLeaf = lying(spanSet.manifest, (items) => {
      items[3].leaf = items[4].leaf;
    });
    await refused(
      client.uploadDataset({
        manifest: wrongLeaf,
        bytesOf: (i) => spanItems[i].bytes,
        sizes: spanItems.map((x) => x.bytes.length),
      }),
      /item 4 \("s3.txt"\) does not match the manifest: its leaf is 0x[0-9a-f]+, the manifest says 0x[0-9a-f]+/,
    );
    const done = await client.uploadDataset({
      manifest: spanSet.manifest,
      bytesOf: (i) => spanItems[i].bytes,
      sizes: spanItems.map((x) => x.bytes.length),
    });
    assert.equal(done.complete, true);
    const group = workerGroup([me.commitment]);
    const got = await client.fetchBatch({
      task: spanTask,
      batchIndex: 1,
      identity: me,
      group,
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    assert.equal(got.items.length, 4);
    assert.deepEqual(
      got.items.map((x) => x.fields?.length),
      spanTexts.slice(32).map((t) => [...t].length),
    );
    // "Grace Hopper" starts after "Item NN: ".
    const labels = got.items.map((_, i) => {
      const text = spanTexts[32 + i];
      const start = text.indexOf("Grace");
      return { start, end: start + "Grace Hopper".length, kind: 0 };
    });
    const common = {
      task: spanTask,
      chainId: 31337n,
      escrow: worker.escrow,
      batchIndex: 1,
      identity: me,
      group,
      recipient: workerWallet.account.address,
      salt: 13n,
      artifacts: artifacts("spans_worker_n32_d20_g20"),
      dataset: got,
    };
    await assert.rejects(
      proveBatch({ ...common, labels: labels.map((l, i) => (i === 2 ? { ...l, end: 200 } : l)) }),
      (e: unknown) => {
        assert.ok(e instanceof RuleViolationError);
        assert.match(e.message, /item 35: the span ends at 200, past the text's 35 characters/);
        assert.deepEqual(
          e.issues.map((i) => [i.item, i.code]),
          [[34, "past_text"]],
        );
        return true;
      },
    );
    const proof = await proveBatch({ ...common, labels });
    const hash = await worker.submitBatch(spanTask.taskId, 1, proof);
    gas.submitBatchSpans = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    const [opened] = openSubmittedBatches(await reader.read(), spanTask.taskId, DEMO_REQUESTER_KEY.skR, 32, 5);
    assert.deepEqual(opened.labels, labels);
  });

  it("polygons (rule 4, made with the kit) over an image dataset: a vertex outside an image is refused in words, a batch proves and is accepted", async () => {
    const done = await client.uploadDataset({
      manifest: polygonSet.manifest,
      bytesOf: (i) => boxItems[i].bytes,
      sizes: boxItems.map((x) => x.bytes.length),
    });
    assert.equal(done.complete, true);
    assert.equal(polygonSet.tree.root, boxSet.tree.root, "one tree for both batch sizes");
    const group = workerGroup([me.commitment]);
    const got = await client.fetchBatch({
      task: polygonTask,
      batchIndex: 2,
      identity: me,
      group,
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    assert.equal(got.items.length, 6);
    // A triangle in each image, two pixels in from its edges; the first of class bike, the others car.
    const polygons = got.items.map((x, i) => {
      const [w, h] = [x.width ?? 0, x.height ?? 0];
      const label: Record<string, number> = {
        cls: i === 0 ? 1 : 0,
        n: 3,
        x0: 2,
        y0: 2,
        x1: w - 2,
        y1: 2,
        x2: 2,
        y2: h - 2,
      };
      for (let k = 3; k < 6; k++) label[`x${k}`] = label[`y${k}`] = 0;
      return label;
    });
    const common = {
      task: polygonTask,
      chainId: 31337n,
      escrow: worker.escrow,
      batchIndex: 2,
      identity: me,
      group,
      recipient: workerWallet.account.address,
      salt: 14n,
      artifacts: artifacts("polygon_worker_n32_d20_g20"),
      dataset: got,
    };
    await assert.rejects(
      proveBatch({ ...common, labels: polygons.map((l, i) => (i === 1 ? { ...l, x1: 500 } : l)) }),
      (e: unknown) => {
        assert.ok(e instanceof RuleViolationError);
        assert.match(e.message, /item 66: vertex 2 \(500, 2\) is outside the 64×50 image/);
        return true;
      },
    );
    await assert.rejects(
      proveBatch({ ...common, labels: polygons.map((l, i) => (i === 3 ? { ...l, cls: 2 } : l)) }),
      /item 68: class 3 is not allowed in this task/,
    );
    const proof = await proveBatch({ ...common, labels: polygons });
    const hash = await worker.submitBatch(polygonTask.taskId, 2, proof);
    gas.submitBatchPolygon = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    const [opened] = openSubmittedBatches(await reader.read(), polygonTask.taskId, DEMO_REQUESTER_KEY.skR, 32, 4);
    assert.deepEqual(opened.labels, polygons);
  });

  it("a box task with gold answers: the requester scores a pending batch by IoU and rejects it with a proof", async () => {
    const group = workerGroup([me.commitment]);
    const got = await client.fetchBatch({
      task: goldBoxTask,
      batchIndex: 1,
      identity: me,
      group,
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    // Boxes inside each image and of the allowed size, but nowhere near the gold boxes (IoU 0).
    const boxes = got.items.map(() => ({ cls: 0, x: 30, y: 30, w: 10, h: 10 }));
    const proof = await proveBatch({
      task: goldBoxTask,
      chainId: 31337n,
      escrow: worker.escrow,
      batchIndex: 1,
      identity: me,
      group,
      recipient: workerWallet.account.address,
      salt: 77n,
      artifacts: artifacts("bbox_worker_n64_d20_g20"),
      dataset: got,
      labels: boxes,
    });
    await worker.submitBatch(goldBoxTask.taskId, 1, proof);
    assert.equal((await requester.getTask(goldBoxTask.taskId)).goldThreshold, 50, "the task keeps its minimum IoU");
    gas.rejectBatchBox = await reviewAndReject(goldBoxTask, 1, goldOpenings, "bbox_reject_n64_d20", {
      gold: 6,
      correct: 0,
    });
    await checkGasSnapshot(gas);
  });

  it("a polygon task with gold answers: the requester scores a pending batch by raster IoU and rejects it with a proof", async () => {
    const group = workerGroup([me.commitment]);
    const got = await client.fetchBatch({
      task: goldPolygonTask,
      batchIndex: 2,
      identity: me,
      group,
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    // The large triangle of the polygon test in every image, of class car: right on item 65 only.
    const polygons = got.items.map((x) => {
      const [w, h] = [x.width ?? 0, x.height ?? 0];
      const label: Record<string, number> = { cls: 0, n: 3, x0: 2, y0: 2, x1: w - 2, y1: 2, x2: 2, y2: h - 2 };
      for (let k = 3; k < 6; k++) label[`x${k}`] = label[`y${k}`] = 0;
      return label;
    });
    const proof = await proveBatch({
      task: goldPolygonTask,
      chainId: 31337n,
      escrow: worker.escrow,
      batchIndex: 2,
      identity: me,
      group,
      recipient: workerWallet.account.address,
      salt: 78n,
      artifacts: artifacts("polygon_worker_n32_d20_g20"),
      dataset: got,
      labels: polygons,
    });
    await worker.submitBatch(goldPolygonTask.taskId, 2, proof);
    gas.rejectBatchPolygon = await reviewAndReject(goldPolygonTask, 2, polygonGoldOpenings, "polygon_reject_n32_d20", {
      gold: 3,
      correct: 1,
    });
    await checkGasSnapshot(gas);
  });

  it("limits how often one member downloads one batch, by its anonymous access tag, with a sentence", async () => {
    const strict = await startVault({
      storage: await EmbeddedStorage.open(join(dir, "store")),
      chain: escrowChain({ client: publicClient, escrow: worker.escrow, groups: worker.groups, deployBlock: 0n }),
      accessVkey,
      limits: { downloadsPerHour: 1 },
    });
    try {
      const get = () =>
        new VaultClient(strict.url).fetchBatch({
          task: sensorTask,
          batchIndex: 0,
          identity: me,
          group: workerGroup([me.commitment]),
          artifacts: artifacts(ACCESS_CIRCUIT),
        });
      assert.equal((await get()).items.length, 32);
      await assert.rejects(get(), (e: unknown) => {
        assert.ok(e instanceof VaultError);
        assert.equal(e.status, 429);
        assert.match(e.message, /downloaded batch 0 of task \d+ 1 time in the last hour \(the limit is 1\)/);
        return true;
      });
    } finally {
      await strict.close();
    }
  });
});
