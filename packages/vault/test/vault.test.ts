/**
 * The data vault against the real contracts (Hardhat's in-process chain): upload validation with
 * its messages, resume and rollback, the upload token, and the ZK-gated batch download with each
 * way a request can be wrong (replayed challenge, other batch, outsider's group, taken batch,
 * missing dataset, corrupted storage).
 */

import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ACCESS_CIRCUIT, accessInput } from "@zklabel/core/access";
import { demoItems } from "@zklabel/core/demo";
import { expectedRuleEntry } from "@zklabel/core/deployment";
import { workerGroup } from "@zklabel/core/group";
import { Identity, workerSecret } from "@zklabel/core/identity";
import { DatasetTree } from "@zklabel/core/merkle";
import { proveCircuit } from "@zklabel/core/prove";
import { deployedCircuit } from "@zklabel/core/registry";
import { isLoopback } from "@zklabel/http/service";
import { ZkLabelClient } from "@zklabel/sdk/client";
import { buildDataset, type Manifest } from "@zklabel/sdk/dataset";
import { proveBatch } from "@zklabel/sdk/prove";
import { resolveTaskSpec } from "@zklabel/sdk/spec";
import { escrowReader, readTaskInfo, type TaskInfo } from "@zklabel/sdk/task-info";
import { VaultClient, VaultError } from "@zklabel/sdk/vault";
import { artifacts, DEMO_REQUESTER_KEY, releaseSnarkjs } from "@zklabel/testkit/classification";
import { deployZkLabel } from "@zklabel/testkit/repo";
import { network } from "hardhat";
import type { PublicClient } from "viem";
import { escrowChain } from "../src/chain.ts";
import { startVault } from "../src/server.ts";
import { EmbeddedStorage } from "../src/storage.ts";

after(releaseSnarkjs);

const connection = await network.create();
const { viem } = connection;
const publicClient = (await viem.getPublicClient()) as unknown as PublicClient;
const [requesterWallet, workerWallet] = await viem.getWalletClients();
const circuit = deployedCircuit("classification");
const enc = new TextEncoder();
const accessVkey = JSON.parse(
  await (await import("node:fs/promises")).readFile(artifacts(ACCESS_CIRCUIT).vkey, "utf8"),
);

const dataset = (n: number, tag: string) => {
  const items = demoItems(n).map((x, i) => ({ name: `${tag}-${i}.txt`, bytes: enc.encode(`${tag} ${x.text}`) }));
  return { items, ...buildDataset(items, { depth: circuit.params.DEPTH, batchSize: circuit.params.N }) };
};

let dir: string;
let vault: Awaited<ReturnType<typeof startVault>>;
let storage: EmbeddedStorage;
let client: VaultClient;
let task: TaskInfo;
let missingTask: TaskInfo;
let worker: ZkLabelClient;
const me = new Identity("vault test worker");
const main = dataset(100, "main");
const sizes = (d: { items: { bytes: Uint8Array }[] }) => d.items.map((x) => x.bytes.length);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "zklabel-vault-"));
  const d = await deployZkLabel(connection);
  const contracts = { escrow: d.escrow, groups: d.groups, chainId: d.chainId };
  const requester = new ZkLabelClient({
    publicClient: publicClient as never,
    wallet: requesterWallet as never,
    contracts,
  });
  worker = new ZkLabelClient({ publicClient: publicClient as never, wallet: workerWallet as never, contracts });
  await worker.joinOpenGroup(me.commitment);
  const now = Number((await publicClient.getBlock()).timestamp);
  const spec = resolveTaskSpec(
    {
      title: "t",
      instructions: "i",
      rule: { type: "classification", classes: ["neg", "neu", "pos", "off"], allowed: ["neg", "neu", "pos"] },
      reward: { perItem: "0.0001" },
      deadline: "7d",
    },
    now,
  );
  const reader = escrowReader({ client: publicClient as never, address: d.escrow, fromBlock: 0n });
  const a = await requester.createTask({
    spec,
    manifest: main.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 1),
  });
  task = await readTaskInfo(reader, a.taskId);
  const other = dataset(70, "never uploaded");
  const b = await requester.createTask({
    spec,
    manifest: other.manifest,
    pkR: DEMO_REQUESTER_KEY.pkR,
    pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
    rule: expectedRuleEntry(d, 1),
  });
  missingTask = await readTaskInfo(reader, b.taskId);
  storage = await EmbeddedStorage.open(join(dir, "store"));
  vault = await startVault({
    storage,
    chain: escrowChain({ client: publicClient, escrow: d.escrow, groups: d.groups, deployBlock: 0n }),
    accessVkey,
  });
  client = new VaultClient(vault.url);
});
after(async () => {
  await vault?.close();
  await rm(dir, { recursive: true, force: true });
});

const refused = async (p: Promise<unknown>, status: number, message: RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VaultError, String(e));
    assert.equal(e.status, status, e.message);
    assert.match(e.message, message);
    return true;
  });

describe("vault uploads", () => {
  it("refuses a manifest whose root does not match its items, and says so", async () => {
    const bad = { ...main.manifest, root: "0x1234" };
    await refused(
      client.uploadDataset({ manifest: bad, bytesOf: (i) => main.items[i].bytes, sizes: sizes(main) }),
      400,
      /hash to root .* not to the root it states/,
    );
  });

  it("refuses disallowed types, oversized and empty items and duplicates, naming each item", async () => {
    const m = main.manifest;
    const s = sizes(main);
    await refused(
      client.uploadDataset({
        manifest: m,
        bytesOf: () => new Uint8Array(),
        sizes: s,
        typeOf: (i) => (i === 3 ? "application/x-msdownload" : "text/plain"),
      }),
      400,
      /item 4 \("main-3.txt"\) is application\/x-msdownload; this vault stores image\/png/,
    );
    await refused(
      client.uploadDataset({
        manifest: m,
        bytesOf: () => new Uint8Array(),
        sizes: s.map((x, i) => (i === 5 ? 50 * 2 ** 20 : i === 6 ? 0 : x)),
      }),
      400,
      /item 6 .* is 52428800 bytes; the limit is 20971520[\s\S]*item 7 .* is empty/,
    );
    // A manifest listing the same content twice (buildDataset refuses it; a hand-made one may not).
    const hashes = m.items.map((x) => x.contentHash);
    hashes[9] = hashes[2];
    const tree = new DatasetTree(m.depth, hashes.map(BigInt), m.chunk);
    const dup: Manifest = {
      ...m,
      root: `0x${tree.root.toString(16)}`,
      items: m.items.map((x, i) => ({ ...x, contentHash: hashes[i] })),
    };
    await refused(
      client.uploadDataset({ manifest: dup, bytesOf: (i) => main.items[i].bytes, sizes: s }),
      400,
      /item 10 \("main-9.txt"\) has the same content as "main-2.txt"/,
    );
  });

  it("refuses an item whose bytes are not what the manifest says, or not of its declared type", async () => {
    const m = main.manifest;
    const start = await (
      await fetch(`${vault.url}/v1/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          manifest: m,
          items: m.items.map((_, i) => ({
            type: i === 1 ? "image/png" : "text/plain",
            size: main.items[i].bytes.length,
          })),
        }),
      })
    ).json();
    const put = (i: number, bytes: Uint8Array) =>
      fetch(`${vault.url}/v1/uploads/${start.uploadId}/items/${i}`, { method: "PUT", body: bytes as BodyInit }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    const wrong = await put(0, main.items[2].bytes.slice(0, main.items[0].bytes.length));
    assert.equal(wrong.status, 400);
    assert.match(
      wrong.body.error,
      /item 1 \("main-0.txt"\) (does not hash to the manifest's contentHash|is \d+ bytes)/,
    );
    const png = await put(1, main.items[1].bytes);
    assert.equal(png.status, 400);
    assert.match(png.body.error, /item 2 \("main-1.txt"\) is not a PNG image/);
    const commit = await fetch(`${vault.url}/v1/uploads/${start.uploadId}/commit`, { method: "POST" });
    assert.equal(commit.status, 409);
    assert.match((await commit.json()).error, /100 of 100 items have not arrived/);
    await client.abortUpload(start.uploadId);
  });

  it("an interrupted upload registers nothing and resumes with only the missing items; abort rolls back", async () => {
    let sent = 0;
    await assert.rejects(
      client.uploadDataset({
        manifest: main.manifest,
        sizes: sizes(main),
        concurrency: 1,
        bytesOf: (i) => {
          if (sent++ === 30) throw new Error("connection lost");
          return main.items[i].bytes;
        },
      }),
      /connection lost/,
    );
    assert.equal((await client.health()).datasets, 0, "nothing registered");
    assert.equal(await storage.getDataset(main.manifest.root), null);
    const reads: number[] = [];
    const done = await client.uploadDataset({
      manifest: main.manifest,
      sizes: sizes(main),
      bytesOf: (i) => {
        reads.push(i);
        return main.items[i].bytes;
      },
    });
    assert.equal(done.complete, true);
    assert.equal(reads.length, 70, "only the 70 missing items were sent again");
    assert.equal((await client.health()).datasets, 1);

    const other = dataset(20, "aborted");
    const blobs = async () =>
      (await readdir(join(dir, "store", "blobs"), { recursive: true })).filter((f) => f.length > 60).length;
    const before = await blobs();
    await assert.rejects(
      client.uploadDataset({
        manifest: other.manifest,
        sizes: sizes(other),
        concurrency: 1,
        bytesOf: (i) => {
          if (i === 10) throw new Error("stop");
          return other.items[i].bytes;
        },
      }),
    );
    assert.equal(await blobs(), before + 10);
    const up = await storage.findUpload(other.manifest.root);
    assert.ok(up);
    await client.abortUpload(up.id);
    assert.equal(await blobs(), before, "the aborted upload's files are gone");
    await refused(client.uploadStatus(up.id), 404, /committed, aborted or expired; start it again/);
  });

  it("rolls back uploads left untouched past the TTL, and an upload token keeps strangers out", async () => {
    const other = dataset(20, "stale");
    const store = await EmbeddedStorage.open(join(dir, "store2"));
    const v = await startVault({
      storage: store,
      chain: null as never,
      accessVkey,
      uploadToken: "s3cret",
      uploadTtlMs: 0,
    });
    try {
      await refused(
        new VaultClient(v.url).uploadDataset({
          manifest: other.manifest,
          bytesOf: (i) => other.items[i].bytes,
          sizes: sizes(other),
        }),
        401,
        /need its upload token/,
      );
      const authed = new VaultClient(v.url, { token: "s3cret" });
      await assert.rejects(
        authed.uploadDataset({
          manifest: other.manifest,
          sizes: sizes(other),
          concurrency: 1,
          bytesOf: (i) => (i < 5 ? other.items[i].bytes : Promise.reject(new Error("x"))),
        }),
      );
      assert.ok(await store.findUpload(other.manifest.root));
      const { createVault } = await import("../src/server.ts");
      assert.equal(await createVault({ storage: store, chain: null as never, accessVkey, uploadTtlMs: 0 }).sweep(), 1);
      assert.equal(await store.findUpload(other.manifest.root), null);
    } finally {
      await v.close();
    }
  });
  it("listens beyond the loopback address only with an upload token", async () => {
    const store = await EmbeddedStorage.open(join(dir, "store-exposed"));
    for (const host of ["0.0.0.0", "::", "192.168.1.20"])
      await assert.rejects(
        startVault({ storage: store, chain: null as never, accessVkey, host }),
        (e: Error & { code?: string }) =>
          e.code === "invalid_input" &&
          e.message.includes(`refusing to listen on ${host} without an upload token`) &&
          /--upload-token or ZKLABEL_VAULT_TOKEN/.test(e.message),
      );
    const open = await startVault({
      storage: store,
      chain: null as never,
      accessVkey,
      host: "0.0.0.0",
      uploadToken: "t0k3n",
    });
    assert.match(open.url, /^http:\/\/0\.0\.0\.0:\d+$/);
    await open.close();
    for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) assert.equal(isLoopback(host), true, host);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.org", "128.0.0.1"])
      assert.equal(isLoopback(host), false, host);
  });
});

describe("vault downloads (zero-knowledge access)", () => {
  const group = () => workerGroup([me.commitment]);
  const request = async (batchIndex: number, opts: { group?: ReturnType<typeof workerGroup>; id?: Identity } = {}) => {
    const { challenge } = await (await fetch(`${vault.url}/v1/challenges`, { method: "POST" })).json();
    const { input, publicSignals } = accessInput({
      identity: workerSecret(opts.id ?? me),
      group: opts.group ?? group(),
      taskHash: task.taskHash,
      batchIndex: BigInt(batchIndex),
      challenge: BigInt(challenge),
    });
    const p = await proveCircuit(input, publicSignals, artifacts(ACCESS_CIRCUIT));
    return { proof: p.raw, publicSignals: p.publicSignals.map(String) };
  };
  const post = (taskId: bigint, batch: number, body: unknown) =>
    fetch(`${vault.url}/v1/tasks/${taskId}/batches/${batch}`, { method: "POST", body: JSON.stringify(body) }).then(
      async (r) => ({ status: r.status, body: await r.json() }),
    );

  it("serves a batch to a member, checked against the on-chain root, and the slice proves", async () => {
    const got = await client.fetchBatch({
      task,
      batchIndex: 1,
      identity: me,
      group: group(),
      artifacts: artifacts(ACCESS_CIRCUIT),
    });
    assert.equal(got.items.length, 36);
    assert.deepEqual(got.items[0].bytes, main.items[64].bytes);
    assert.equal(got.items[0].name, "main-64.txt");
    const labels = got.items.map(() => 1);
    const proof = await proveBatch({
      task,
      chainId: 31337n,
      escrow: worker.escrow,
      dataset: got,
      batchIndex: 1,
      labels,
      identity: me,
      group: group(),
      recipient: workerWallet.account.address,
      salt: 5n,
      artifacts: artifacts(circuit.name),
    });
    await worker.submitBatch(task.taskId, 1, proof);
    const again = await post(task.taskId, 1, await request(1));
    assert.equal(again.status, 409);
    assert.match(again.body.error, /batch 1 of task \d+ is already submitted \(verified\): pick an open batch/);
  });

  it("a proof is single-use, scoped to its batch, and must come from the task's group", async () => {
    const body = await request(0);
    const scoped = await post(task.taskId, 1, body);
    assert.equal(scoped.status, 403);
    assert.match(scoped.body.error, /the proof is for batch 0, not batch 1/);
    const used = await post(task.taskId, 0, body);
    assert.equal(used.status, 403, "the challenge was spent by the first attempt");
    assert.match(used.body.error, /was used already or expired: ask for a new one/);
    const ok = await request(0);
    assert.equal((await post(task.taskId, 0, ok)).status, 200);
    assert.equal((await post(task.taskId, 0, ok)).body.code, "bad_challenge", "a replay is refused");
    // An outsider builds a group with itself in it: its root is not the chain's.
    const outsider = new Identity("outsider");
    const fake = await post(
      task.taskId,
      0,
      await request(0, { id: outsider, group: workerGroup([me.commitment, outsider.commitment]) }),
    );
    assert.equal(fake.status, 403);
    assert.match(fake.body.error, /not a current root of worker group 0: join the group/);
    const forged = await request(0);
    forged.publicSignals[1] = (BigInt(forged.publicSignals[1]) + 1n).toString();
    assert.equal((await post(task.taskId, 0, forged)).body.code, "bad_proof");
  });

  it("says when the requester has not uploaded the task's dataset, and notices corrupted storage", async () => {
    await refused(
      client.fetchBatch({
        task: missingTask,
        batchIndex: 0,
        identity: me,
        group: group(),
        artifacts: artifacts(ACCESS_CIRCUIT),
      }),
      404,
      /is not in this vault: the requester has to upload it/,
    );
    const hash = main.manifest.items[3].contentHash.replace(/^0x/, "").padStart(64, "0");
    await writeFile(join(dir, "store", "blobs", hash.slice(0, 2), hash), "tampered");
    await refused(
      client.fetchBatch({ task, batchIndex: 0, identity: me, group: group(), artifacts: artifacts(ACCESS_CIRCUIT) }),
      500,
      /item 4 of the stored dataset is damaged/,
    );
  });
});

describe("vault limits per client", () => {
  it("one client cannot fill the challenge table: others still get challenges", async () => {
    const store = await EmbeddedStorage.open(join(dir, "store-limits"));
    const v = await startVault({
      storage: store,
      chain: null as never,
      accessVkey,
      trustProxy: true,
      limits: { openChallengesPerClient: 3, challengesPerMinute: 100 },
    });
    try {
      const ask = (ip: string) =>
        fetch(`${v.url}/v1/challenges`, { method: "POST", headers: { "x-forwarded-for": ip } });
      for (let i = 0; i < 3; i++) assert.equal((await ask("10.0.0.1")).status, 200);
      const flood = await ask("10.0.0.1");
      assert.equal(flood.status, 429);
      const body = (await flood.json()) as { error: string; code: string };
      assert.equal(body.code, "rate_limited");
      assert.match(body.error, /this address holds 3 unused challenges \(the limit is 3\)/);
      assert.equal((await ask("10.0.0.2")).status, 200, "another client is not locked out");
    } finally {
      await v.close();
    }
  });

  it("limits the rate of challenges and of all requests per client, and refuses an item over the size limit", async () => {
    const store = await EmbeddedStorage.open(join(dir, "store-rate"));
    const v = await startVault({
      storage: store,
      chain: null as never,
      accessVkey,
      trustProxy: true,
      limits: { challengesPerMinute: 2, requestsPerMinute: 50, maxItemBytes: 1000 },
    });
    try {
      const ask = () => fetch(`${v.url}/v1/challenges`, { method: "POST", headers: { "x-forwarded-for": "10.0.0.3" } });
      assert.equal((await ask()).status, 200);
      assert.equal((await ask()).status, 200);
      const third = await ask();
      assert.equal(third.status, 429);
      assert.match(
        ((await third.json()) as { error: string }).error,
        /too many requests from this address: this route takes 2 per 60 seconds/,
      );
      const small = dataset(3, "limits");
      const up = await fetch(`${v.url}/v1/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          manifest: small.manifest,
          items: small.items.map((x) => ({ type: "text/plain", size: x.bytes.length })),
        }),
      });
      assert.equal(up.status, 200, await up.clone().text());
      const { uploadId } = (await up.json()) as { uploadId: string };
      const big = await fetch(`${v.url}/v1/uploads/${uploadId}/items/0`, {
        method: "PUT",
        headers: { "content-type": "application/octet-stream" },
        body: new Uint8Array(5000),
      });
      assert.equal(big.status, 413);
      assert.match(
        ((await big.json()) as { error: string }).error,
        /item 1 \("limits-0.txt"\) is 5000 bytes; the limit is 1000/,
      );
      const notJson = await fetch(`${v.url}/v1/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      });
      assert.equal(((await notJson.json()) as { code: string }).code, "bad_json");
      let last = 0;
      for (let i = 0; i < 60 && last !== 429; i++) {
        last = (await fetch(`${v.url}/v1/health`, { headers: { "x-forwarded-for": "10.0.0.4" } })).status;
      }
      assert.equal(last, 429, "the 51st request a minute from one client is refused");
    } finally {
      await v.close();
    }
  });
});
