/**
 * The whole marketplace without a browser, as issue 5 describes it: on a real Hardhat node and a
 * real vault (`zklabel vault serve`), a requester posts a 256-item task from a folder of files
 * with gold items; two anonymous workers run labeling agents (`zklabel work`) that download
 * their batches with membership proofs, prove and submit; anyone finalizes after the challenge
 * window; the workers withdraw; the requester exports exactly the agents' labels; an auditor's
 * report says every batch verifies. Then a worker whose agent breaks the rule gets the clear
 * error and nothing is submitted; an agent labels a sensor-range task; and a bounding-box batch
 * goes through the one-step commands (batch fetch, batch prove --batch-dir, batch submit) to a
 * COCO export.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { ROOT } from "../../scripts/lib/process.ts";
import { rpcCall, startMarket, zklabel } from "../helpers/chain.ts";
import { withCocoApi } from "../helpers/coco.ts";
import { pngHeader } from "../helpers/images.ts";

let dir: string;
let market: Awaited<ReturnType<typeof startMarket>>;
let common: string[];
const ZERO = "0x0000000000000000000000000000000000000000";
const chain = {
  get rpc() {
    return market.chain.rpc;
  },
  get deploymentFile() {
    return market.chain.deploymentFile;
  },
};
const vault = {
  get url() {
    return market.vault.url;
  },
  log: () => market.vault.log(),
};
const relayer = {
  get url() {
    return market.relayer.url;
  },
  log: () => market.relayer.log(),
};

before(
  async () => {
    dir = await mkdtemp(join(tmpdir(), "zklabel-agents-"));
    // The default flow: workers submit through a relayer (named in the deployment, as npm run dev
    // does). The tests finalize themselves, so the relayer leaves finalizing to them.
    market = await startMarket(dir, ["--no-finalize", "--max-wait", "1"]);
    common = ["--deployment", market.chain.deploymentFile];
  },
  { timeout: 180_000 },
);
after(async () => {
  await market?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `zklabel work` as a background process (two run at once). */
const agent = (args: string[], env: NodeJS.ProcessEnv) => zklabel(["work", ...args], env);

const ok = (r: { code: number; stdout: string; stderr: string }, what: string) => {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr}\n${r.stdout}`);
  return r;
};

/** `zklabel task create` as the requester (account #0) with the test vault; its JSON answer. */
async function createTask(spec: string, manifest: string, extra: string[] = []) {
  const args = ["task", "create", "--spec", spec, "--manifest", manifest, ...extra];
  const r = await zklabel([...args, "--vault", vault.url, "--account", "0", "--json", ...common]);
  return JSON.parse(ok(r, "task create").stdout);
}

/** The requester's (account #0) decrypted labels of a task, written by `zklabel labels export` (JSONL by default); the file's text. */
async function exportLabels(taskId: string, manifest: string, out: string, format?: "coco"): Promise<string> {
  const args = ["labels", "export", "--task", taskId, "--manifest", manifest, "--out", out];
  ok(await zklabel([...args, ...(format ? ["--format", format] : []), "--account", "0", ...common]), "labels export");
  return readFile(out, "utf8");
}

/** The decrypted labels as JSONL rows. */
const exportedRows = async (taskId: string, manifest: string, out: string): Promise<Record<string, any>[]> =>
  (await exportLabels(taskId, manifest, out))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

/** The decrypted labels as COCO JSON. */
const exportCoco = async (taskId: string, manifest: string, out: string) =>
  JSON.parse(await exportLabels(taskId, manifest, out, "coco"));

/** A task's verified batches as a verifiable folder (`dataset export`), checked by `dataset verify`: every check passes. */
async function exportAndVerify(taskId: string, manifest: string, extra: string[] = []): Promise<string> {
  const out = join(dir, `verified-${taskId}`);
  const status = JSON.parse(ok(await zklabel(["task", "status", taskId, "--json", ...common]), "status").stdout);
  if (status.completed === false) await completeTask(taskId);
  const args = ["dataset", "export", "--task", taskId, "--out", out, "--manifest", manifest, ...extra];
  const exported = ok(await zklabel([...args, "--account", "0", "--json", ...common]), "dataset export");
  assert.equal(JSON.parse(exported.stdout).publishesSalts, true);
  const r = await zklabel(["dataset", "verify", out, "--json", ...common]);
  const report = JSON.parse(r.stdout);
  assert.equal(report.ok, true, JSON.stringify(report, null, 1));
  assert.equal(r.code, 0, r.stderr);
  return out;
}

/**
 * Completes a task whose verified batches do not cover it: the requester cancels, and after the
 * notice period (and any pending batch's window) anyone finalizes and runs `task complete`.
 */
async function completeTask(taskId: string) {
  ok(await zklabel(["task", "cancel", taskId, "--account", "0", ...common]), "task cancel");
  await rpcCall(market.chain.rpc, "evm_increaseTime", [3700]);
  await rpcCall(market.chain.rpc, "evm_mine");
  ok(await zklabel(["task", "finalize", taskId, "--account", "3", ...common]), "finalize");
  ok(await zklabel(["task", "complete", taskId, "--account", "3", ...common]), "task complete");
}

/** An exported folder as the SDK reads it. */
async function readExport(out: string): Promise<Map<string, Uint8Array | string>> {
  const { readdir } = await import("node:fs/promises");
  const folder = new Map<string, Uint8Array | string>();
  for (const e of await readdir(out, { recursive: true, withFileTypes: true }))
    if (e.isFile())
      folder.set(join(e.parentPath, e.name).slice(out.length + 1), await readFile(join(e.parentPath, e.name)));
  return folder;
}

const verifiedDirs: Record<string, string> = {};

describe("headless marketplace: requester, two agent workers, auditor", { timeout: 900_000 }, () => {
  let manifest: string;
  let items: string;
  const spec = (title: string) => ({
    title,
    instructions: "Pick the sentiment of each product review.",
    rule: {
      type: "classification",
      classes: ["negative", "neutral", "positive", "off-topic"],
      allowed: ["negative", "neutral", "positive"],
    },
    reward: { perItem: "0.001" },
    deadline: "7d",
    gold: { minAccuracy: 70, challengeWindow: "1h" },
  });

  it("the requester builds a 256-item dataset from files, uploads it to the vault and posts a funded task with gold items", async () => {
    items = join(dir, "reviews");
    await mkdir(items);
    for (const [i, x] of demoItems(256).entries()) {
      await writeFile(join(items, `review-${String(i).padStart(3, "0")}.txt`), x.text);
    }
    manifest = join(dir, "manifest.json");
    const built = JSON.parse(
      ok(await zklabel(["dataset", "build", "--from", items, "--out", manifest, "--json"]), "dataset build").stdout,
    );
    assert.equal(built.count, 256);
    const up = ok(
      await zklabel(["dataset", "upload", "--manifest", manifest, "--from", items, "--vault", vault.url, "--json"]),
      "dataset upload",
    );
    assert.equal(JSON.parse(up.stdout).count, 256);
    // Uploading again is a no-op: the vault already holds the dataset.
    ok(
      await zklabel(["dataset", "upload", "--manifest", manifest, "--from", items, "--vault", vault.url]),
      "re-upload",
    );

    await writeFile(join(dir, "spec.json"), JSON.stringify(spec("Review sentiment (agents)")));
    await writeFile(
      join(dir, "gold.json"),
      JSON.stringify([
        { item: "review-000.txt", label: "positive" },
        { item: "review-070.txt", label: "negative" },
        { item: 200, label: "neutral" },
      ]),
    );
    const created = await createTask(join(dir, "spec.json"), manifest, ["--gold", join(dir, "gold.json")]);
    assert.equal(created.taskId, "1");
    const openings = JSON.parse(await readFile(created.goldOpenings, "utf8"));
    assert.equal(openings.items.filter((x: { isGold: number }) => x.isGold === 1).length, 3);
  });

  it("two anonymous workers join the open group and their agents label, prove and submit all four batches", async () => {
    for (const w of ["a", "b"]) {
      ok(await zklabel(["identity", "new", "--identity-file", join(dir, `${w}.key`)]), "identity new");
      // Through the relayer (the default): it pays the gas, so no address of the worker's joins.
      const joined = ok(
        await zklabel(["group", "join", "--identity-file", join(dir, `${w}.key`), "--json", ...common]),
        "group join",
      );
      const tx = (await rpcCall(chain.rpc, "eth_getTransactionByHash", [JSON.parse(joined.stdout).hash])) as {
        from: string;
      };
      const relayerAddress = ((await (await fetch(`${relayer.url}/v1/info`)).json()) as { address: string }).address;
      assert.equal(tx.from.toLowerCase(), relayerAddress.toLowerCase(), "the relayer sent the join");
    }
    const labeler = join(ROOT, "packages/cli/examples/sentiment-agent.mjs");
    const env = {};
    // Two batches each: both workers earn, whichever agent starts first (they share the batches).
    const [a, b] = await Promise.all([
      agent(
        [
          "--task",
          "1",
          "--labeler",
          labeler,
          "--identity-file",
          join(dir, "a.key"),
          "--account",
          "1",
          "--max-batches",
          "2",
          "--json",
          ...common,
        ],
        env,
      ),
      agent(
        [
          "--task",
          "1",
          "--labeler",
          labeler,
          "--identity-file",
          join(dir, "b.key"),
          "--account",
          "2",
          "--direct",
          "--max-batches",
          "2",
          "--json",
          ...common,
        ],
        env,
      ),
    ]);
    ok(a, "worker a");
    ok(b, "worker b");
    const viaRelayer = JSON.parse(a.stdout).submitted as {
      batchIndex: number;
      hash: string;
      payee: string;
      status: string;
    }[];
    const submitted = [...viaRelayer, ...JSON.parse(b.stdout).submitted];
    assert.deepEqual(submitted.map((s: { batchIndex: number }) => s.batchIndex).sort(), [0, 1, 2, 3]);
    // Worker a's batches went through the relayer, each to its own fresh payee.
    assert.equal(new Set(viaRelayer.map((s) => s.payee)).size, viaRelayer.length);
    const signer1 = ((await rpcCall(chain.rpc, "eth_accounts")) as string[])[1].toLowerCase();
    for (const s of viaRelayer) {
      assert.equal(s.status, "pending");
      assert.notEqual(s.payee.toLowerCase(), signer1);
      const tx = (await rpcCall(chain.rpc, "eth_getTransactionByHash", [s.hash])) as { from: string };
      assert.notEqual(tx.from.toLowerCase(), signer1, "worker a's account sent nothing");
    }
    assert.match(relayer.log(), /queued ticket/);
    await writeFile(join(dir, "a-submitted.json"), JSON.stringify(viaRelayer.map((s) => s.payee)));
    assert.match(vault.log(), /served batch \d of task 1/);

    const status = JSON.parse(ok(await zklabel(["task", "status", "1", "--json", ...common]), "status").stdout);
    assert.deepEqual(status.batches, ["pending", "pending", "pending", "pending"]);
  });

  it("after the challenge window anyone finalizes, and both workers withdraw what they earned", async () => {
    const early = JSON.parse(
      ok(await zklabel(["task", "finalize", "1", "--account", "3", "--json", ...common]), "finalize").stdout,
    );
    assert.deepEqual(early.finalized, []);
    await rpcCall(chain.rpc, "evm_increaseTime", [3601]);
    await rpcCall(chain.rpc, "evm_mine");
    const fin = JSON.parse(
      ok(await zklabel(["task", "finalize", "1", "--account", "3", "--json", ...common]), "finalize").stdout,
    );
    assert.deepEqual(fin.finalized, [0, 1, 2, 3]);
    const status = JSON.parse(ok(await zklabel(["task", "status", "1", "--json", ...common]), "status").stdout);
    assert.deepEqual(status.batches, ["verified", "verified", "verified", "verified"]);
    // Worker b (direct) withdraws from its account; worker a's pay sits at its payees, less the relayer's fee.
    let total = BigInt(
      JSON.parse(ok(await zklabel(["withdraw", "--account", "2", "--json", ...common]), "withdraw").stdout).amount,
    );
    const { createPublicClient, http } = await import("viem");
    const { escrowAbi } = await import("@zklabel/sdk/abi-escrow");
    const pc = createPublicClient({ transport: http(chain.rpc) });
    const escrow = JSON.parse(await readFile(chain.deploymentFile, "utf8")).escrow;
    const credit = (a: string) =>
      pc.readContract({ address: escrow, abi: escrowAbi, functionName: "credits", args: [ZERO, a as `0x${string}`] });
    // Worker a withdraws its payees' credit without gas: each payee signs, the relayer submits for its fee.
    const fresh = "0x00000000000000000000000000000000000a11ce";
    const gasless = JSON.parse(
      ok(
        await zklabel([
          "withdraw",
          "--task",
          "1",
          "--to",
          fresh,
          "--identity-file",
          join(dir, "a.key"),
          "--json",
          ...common,
        ]),
        "gasless withdraw",
      ).stdout,
    );
    const payees = JSON.parse(await readFile(join(dir, "a-submitted.json"), "utf8")) as string[];
    assert.equal(gasless.hashes.length, new Set(payees).size, "one withdrawal per payee");
    for (const p of payees) assert.equal(await credit(p), 0n, "the payee's credit is withdrawn");
    assert.equal(BigInt(await pc.getBalance({ address: fresh })), BigInt(gasless.amount));
    total += BigInt(gasless.amount);
    const relayerInfo = (await (await fetch(`${relayer.url}/v1/info`)).json()) as { address: string };
    const fee = await credit(relayerInfo.address);
    assert.ok(fee > 0n, "the relayer earned its fee");
    assert.equal(total + fee, 256n * 10n ** 15n);
  });

  it("the requester's export equals the agents' choices, item by item", async () => {
    const out = join(dir, "labels.jsonl");
    ok(
      await zklabel([
        "labels",
        "export",
        "--task",
        "1",
        "--manifest",
        manifest,
        "--out",
        out,
        "--account",
        "0",
        ...common,
      ]),
      "labels export",
    );
    const exported = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // What the agent chooses for each file, asked directly.
    const { label } = await import(join(ROOT, "packages/cli/examples/sentiment-agent.mjs"));
    const task = { classes: ["negative", "neutral", "positive", "off-topic"] };
    const chosen = new Map<string, string>();
    for (const [i, x] of demoItems(256).entries())
      chosen.set(`review-${String(i).padStart(3, "0")}.txt`, label({ text: x.text }, task));
    assert.deepEqual(new Set(chosen.values()), new Set(["negative", "neutral", "positive"]));
    assert.equal(exported.length, 256);
    assert.equal(chosen.size, 256);
    for (const row of exported) assert.equal(row.className, chosen.get(row.name), row.name);
    verifiedDirs.first = await exportAndVerify("1", manifest, ["--items", items]);
    const rows = (await readFile(join(verifiedDirs.first, "labels.jsonl"), "utf8")).trim().split("\n");
    assert.deepEqual(
      rows.map((l) => JSON.parse(l).className),
      exported.map((r) => r.className),
      "the verified export holds the same labels",
    );
  });

  it("an auditor's report says every batch verifies", async () => {
    const r = ok(await zklabel(["audit", "task", "1", "--json", ...common]), "audit");
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.batches.length, 4);
    for (const b of report.batches) assert.equal(b.proofValid && b.eventMatchesInputs && b.storageAgrees, true);
  });

  it("a worker whose agent breaks the rule gets a clear error and nothing is submitted", async () => {
    await writeFile(
      join(dir, "spec2.json"),
      JSON.stringify({ ...spec("Review sentiment, second run"), gold: undefined }),
    );
    const created = await createTask(join(dir, "spec2.json"), manifest);
    const r = await agent(
      [
        "--task",
        created.taskId,
        "--labeler",
        join(ROOT, "test/agents/labeler-off-topic.mjs"),
        "--identity-file",
        join(dir, "a.key"),
        "--account",
        "1",
        ...common,
      ],
      {},
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /your labeler broke the task's rules, so no proof can exist and nothing was submitted/);
    // "off-topic" is class index 3: people read it as class 4 (core display numbers from 1).
    assert.match(r.stderr, /item \d+: class 4 is not allowed in this task/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    const status = JSON.parse(
      ok(await zklabel(["task", "status", created.taskId, "--json", ...common]), "status").stdout,
    );
    assert.deepEqual(status.batches, ["open", "open", "open", "open"]);
  });

  it("gold rejection: a random agent's batch is rejected with a proof, its identity cannot retake it, an honest agent relabels it and is paid", async () => {
    // Every 4th review is gold (16 per batch, 25 %): a blind agent gets about a third of them right.
    await writeFile(join(dir, "spec-gold.json"), JSON.stringify(spec("Review sentiment, reviewed")));
    await writeFile(
      join(dir, "gold-many.json"),
      JSON.stringify(
        demoItems(256)
          .map((x, i) => ({ item: i, label: ["negative", "neutral", "positive"][x.sentiment] }))
          .filter((_, i) => i % 4 === 0),
      ),
    );
    const created = await createTask(join(dir, "spec-gold.json"), manifest, ["--gold", join(dir, "gold-many.json")]);
    const id = created.taskId as string;
    /** One agent run: at most `max` batches (all it can take when max is 0). */
    const work = (key: string, account: string, labeler: string, max = 1) =>
      agent(
        [
          "--task",
          id,
          "--labeler",
          labeler,
          "--identity-file",
          join(dir, key),
          "--account",
          account,
          ...(max ? ["--max-batches", String(max)] : []),
          "--json",
          ...common,
        ],
        {},
      );
    const bot = JSON.parse(
      ok(await work("a.key", "1", join(ROOT, "test/agents/labeler-random.mjs")), "random agent").stdout,
    );
    const [{ batchIndex }] = bot.submitted as { batchIndex: number }[];
    const review = (extra: string[] = []) =>
      zklabel([
        "review",
        "--task",
        id,
        "--gold",
        created.goldOpenings,
        "--account",
        "0",
        "--json",
        ...extra,
        ...common,
      ]);
    const seen = JSON.parse(ok(await review(), "review").stdout);
    assert.equal(seen.pending.length, 1);
    assert.equal(seen.pending[0].batchIndex, batchIndex);
    assert.equal(seen.pending[0].gold, 16, "every gold item of the batch is counted");
    assert.ok(seen.pending[0].accuracy < 70, `a blind agent scores ${seen.pending[0].accuracy}%`);
    assert.equal(seen.pending[0].rejectable, true);
    assert.deepEqual(seen.rejected, []);
    const auto = JSON.parse(ok(await review(["--auto"]), "review --auto").stdout);
    assert.deepEqual(
      auto.rejected.map((r: { batchIndex: number; bound: number }) => [r.batchIndex, r.bound]),
      [[batchIndex, 70]],
    );
    const status = JSON.parse(ok(await zklabel(["task", "status", id, "--json", ...common]), "status").stdout);
    assert.equal(status.batches[batchIndex], "open", "the rejected batch is open again");
    // The same identity, taking every batch it can, skips the one it was rejected on.
    const again = JSON.parse(
      ok(await work("a.key", "1", join(ROOT, "test/agents/labeler-random.mjs"), 0), "again").stdout,
    );
    assert.ok(
      again.skipped.some(
        (x: { batchIndex: number; reason: string }) => x.batchIndex === batchIndex && /rejected/.test(x.reason),
      ),
      JSON.stringify(again.skipped),
    );
    assert.ok(
      again.submitted.every((x: { batchIndex: number }) => x.batchIndex !== batchIndex),
      "the rejected identity did not retake its batch",
    );
    // The honest agent takes batches until it has the rejected one (each is pending after it).
    const honest = join(ROOT, "packages/cli/examples/sentiment-agent.mjs");
    let took: number[] = [];
    for (let k = 0; k < 4 && !took.includes(batchIndex); k++) {
      const r = JSON.parse(ok(await work("b.key", "2", honest), "honest agent").stdout);
      took = [...took, ...r.submitted.map((x: { batchIndex: number }) => x.batchIndex)];
    }
    assert.ok(took.includes(batchIndex), `the honest agent relabeled batch ${batchIndex}`);
    const kept = JSON.parse(ok(await review(["--auto"]), "review of honest work").stdout);
    const honestBatch = kept.pending.find((b: { batchIndex: number }) => b.batchIndex === batchIndex);
    assert.equal(honestBatch.rejectable, false);
    assert.match(honestBatch.why, /at or above the task's 70%/);
    await rpcCall(chain.rpc, "evm_increaseTime", [3601]);
    await rpcCall(chain.rpc, "evm_mine");
    const fin = JSON.parse(
      ok(await zklabel(["task", "finalize", id, "--account", "3", "--json", ...common]), "finalize").stdout,
    );
    assert.ok(fin.finalized.includes(batchIndex), "the relabeled batch is paid after its window");
    const late = await review(["--reject", String(batchIndex)]);
    assert.equal(late.code, 3, late.stderr);
    assert.match(late.stdout + late.stderr, /batch \d+ of task \d+ is not pending/);
    verifiedDirs.gold = await exportAndVerify(id, manifest);
  });

  it("a sensor-range task: windows of readings uploaded, an agent labels them from the readings, the proofs are accepted", async () => {
    const windows = join(dir, "windows");
    await mkdir(windows);
    const readings = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 16 }, (_, j) => (i % 5 === 2 && j === 3 ? 100 : 3000 + ((i * 211 + j * 97) % 30000))),
    );
    for (const [i, w] of readings.entries())
      await writeFile(join(windows, `w${String(i).padStart(2, "0")}.csv`), `${w.join(",")}\n`);
    const sensorManifest = join(dir, "sensor-manifest.json");
    ok(await zklabel(["dataset", "build", "--from", windows, "--kind", "sensor", "--out", sensorManifest]), "build");
    ok(
      await zklabel(["dataset", "upload", "--manifest", sensorManifest, "--from", windows, "--vault", vault.url]),
      "upload",
    );
    await writeFile(
      join(dir, "sensor-spec.json"),
      JSON.stringify({
        title: "Pump pressure windows",
        instructions: "Anomaly when a reading leaves the band.",
        rule: { type: "sensor", lo: 1000, hi: 40000 },
        reward: { perItem: "0.0005" },
        deadline: "7d",
      }),
    );
    // A classification manifest for a sensor task is refused before anything is sent.
    const mismatch = await zklabel([
      "task",
      "create",
      "--spec",
      join(dir, "sensor-spec.json"),
      "--manifest",
      manifest,
      "--account",
      "0",
      ...common,
    ]);
    assert.equal(mismatch.code, 3);
    assert.match(mismatch.stderr, /a sensor task needs one built with --kind sensor/);
    const created = await createTask(join(dir, "sensor-spec.json"), sensorManifest);
    const r = ok(
      await agent(
        [
          "--task",
          created.taskId,
          "--labeler",
          join(ROOT, "test/agents/labeler-sensor.mjs"),
          "--identity-file",
          join(dir, "b.key"),
          "--account",
          "2",
          "--json",
          ...common,
        ],
        {},
      ),
      "sensor agent",
    );
    assert.equal(JSON.parse(r.stdout).items, 40);
    const status = JSON.parse(
      ok(await zklabel(["task", "status", created.taskId, "--json", ...common]), "status").stdout,
    );
    assert.deepEqual(status.batches, ["verified", "verified"]);
    const out = join(dir, "sensor-labels.jsonl");
    const exported = await exportedRows(created.taskId, sensorManifest, out);
    assert.deepEqual(
      exported.map((x) => x.label),
      readings.map((w) => (w.some((v) => v < 1000 || v > 40000) ? 1 : 0)),
    );
    const coco = await zklabel([
      "labels",
      "export",
      "--task",
      created.taskId,
      "--manifest",
      sensorManifest,
      "--format",
      "coco",
      "--out",
      out,
      "--account",
      "0",
      ...common,
    ]);
    assert.equal(coco.code, 3);
    assert.match(coco.stderr, /COCO holds bounding boxes; task \d+ is a sensor-range task: use --format jsonl or csv/);
    await exportAndVerify(created.taskId, sensorManifest);
  });

  it("a rule made with the rule authoring kit (entity spans): texts uploaded, an agent answers spans, proofs accepted, labels exported with the rule's fields", async () => {
    const texts = Array.from({ length: 12 }, (_, i) =>
      i % 2 ? `We flew to Lisbon on day ${i}.` : `Yesterday Ada Lovelace wrote note ${i}.`,
    );
    const folder = join(dir, "sentences");
    await mkdir(folder);
    for (const [i, t] of texts.entries()) await writeFile(join(folder, `s${String(i).padStart(2, "0")}.txt`), t);
    const spansManifest = join(dir, "spans-manifest.json");
    ok(
      await zklabel(["dataset", "build", "--from", folder, "--kind", "fields:spans", "--out", spansManifest]),
      "build",
    );
    ok(
      await zklabel(["dataset", "upload", "--manifest", spansManifest, "--from", folder, "--vault", vault.url]),
      "upload",
    );
    await writeFile(
      join(dir, "spans-spec.json"),
      JSON.stringify({
        title: "Named entities",
        instructions: "Mark the named entity of each sentence.",
        rule: { type: "spans", minLength: 3 },
        reward: { perItem: "0.0005" },
        deadline: "7d",
      }),
    );
    const created = await createTask(join(dir, "spans-spec.json"), spansManifest);
    const r = ok(
      await agent(
        [
          "--task",
          created.taskId,
          "--labeler",
          join(ROOT, "test/agents/labeler-spans.mjs"),
          "--identity-file",
          join(dir, "b.key"),
          "--account",
          "2",
          "--json",
          ...common,
        ],
        {},
      ),
      "spans agent",
    );
    assert.equal(JSON.parse(r.stdout).items, texts.length);
    const exported = await exportedRows(created.taskId, spansManifest, join(dir, "spans-labels.jsonl"));
    // Each row: the span and kind the agent chose, the kind's name as className.
    for (const [i, t] of texts.entries()) {
      const row = exported[i];
      assert.equal(t.slice(row.start, row.end), i % 2 ? "Lisbon" : "Ada Lovelace", `row ${i}`);
      assert.equal(row.className, i % 2 ? "place" : "person");
    }
    await exportAndVerify(created.taskId, spansManifest, ["--items", folder]);
  });

  it("a bounding-box task a batch at a time: fetch, prove from the fetched folder, relay, export as COCO", async () => {
    const images = join(dir, "images");
    await mkdir(images);
    const sizes = Array.from({ length: 6 }, (_, i) => ({ w: 64 + 8 * i, h: 48 + 4 * i }));
    for (const [i, s] of sizes.entries()) await writeFile(join(images, `img-${i}.png`), pngHeader(s.w, s.h, i + 1));
    const boxManifest = join(dir, "box-manifest.json");
    ok(await zklabel(["dataset", "build", "--from", images, "--kind", "box", "--out", boxManifest]), "build");
    ok(
      await zklabel(["dataset", "upload", "--manifest", boxManifest, "--from", images, "--vault", vault.url]),
      "upload",
    );
    await writeFile(
      join(dir, "box-spec.json"),
      JSON.stringify({
        title: "Vehicles and people",
        instructions: "Box the main object of each image.",
        rule: {
          type: "bbox",
          classes: ["car", "person", "sign"],
          allowed: ["car", "person"],
          minWidth: 4,
          minHeight: 4,
        },
        reward: { perItem: "0.001" },
        deadline: "7d",
      }),
    );
    const created = await createTask(join(dir, "box-spec.json"), boxManifest);
    const batchDir = join(dir, "box-batch");
    const key = ["--identity-file", join(dir, "a.key")];
    const fetched = ok(
      await zklabel([
        "batch",
        "fetch",
        "--task",
        created.taskId,
        "--batch",
        "0",
        "--out",
        batchDir,
        ...key,
        "--json",
        ...common,
      ]),
      "batch fetch",
    );
    assert.equal(JSON.parse(fetched.stdout).items, 6);
    assert.deepEqual(JSON.parse(await readFile(join(batchDir, "batch.json"), "utf8")).classes, [
      "car",
      "person",
      "sign",
    ]);

    // One box per image, inside it, of a class given by name or number.
    const boxes = sizes.map((s, i) => ({ class: i % 2 ? "person" : 0, x: i, y: 2, w: s.w - i, h: s.h - 2 }));
    const labels = join(dir, "box-labels.json");
    const proof = join(dir, "box-proof.json");
    const prove = () =>
      zklabel([
        "batch",
        "prove",
        "--task",
        created.taskId,
        "--batch",
        "0",
        "--batch-dir",
        batchDir,
        "--labels",
        labels,
        "--out",
        proof,
        ...key,
        "--account",
        "1",
        ...common,
      ]);
    const wrong = boxes.map((b, i) => (i === 2 ? { ...b, w: b.w + 1 } : i === 4 ? { ...b, class: "sign" } : b));
    await writeFile(labels, JSON.stringify(wrong));
    const broken = await prove();
    assert.equal(broken.code, 3, broken.stderr);
    assert.match(broken.stderr, /item 3: box right edge 81 > image width 80/);
    assert.match(broken.stderr, /item 5: class 3 is not allowed in this task/);
    await writeFile(labels, JSON.stringify(boxes));
    ok(await prove(), "batch prove");
    ok(await zklabel(["batch", "submit", proof, "--account", "2", ...common]), "batch submit");

    const coco = await exportCoco(created.taskId, boxManifest, join(dir, "boxes.coco.json"));
    assert.deepEqual(
      coco.images.map((x: { file_name: string; width: number; height: number }) => [x.file_name, x.width, x.height]),
      sizes.map((s, i) => [`img-${i}.png`, s.w, s.h]),
    );
    assert.deepEqual(
      coco.annotations.map((a: { category_id: number; bbox: number[] }) => [a.category_id, ...a.bbox]),
      boxes.map((b, i) => [i % 2 ? 2 : 1, b.x, b.y, b.w, b.h]),
    );
    verifiedDirs.bbox = await exportAndVerify(created.taskId, boxManifest, ["--items", images]);
    const verifiedCoco = JSON.parse(await readFile(join(verifiedDirs.bbox, "annotations.coco.json"), "utf8"));
    assert.deepEqual(verifiedCoco.annotations, coco.annotations);
  });
  it("polygons (made with the kit) with gold answers: an agent draws them, a batch under the raster IoU bound is rejected, a careful agent's is exported as COCO segmentation", async () => {
    const images = join(dir, "polygon-images");
    await mkdir(images);
    const sizes = Array.from({ length: 6 }, (_, i) => ({ w: 80 + 8 * i, h: 60 + 4 * i }));
    for (const [i, s] of sizes.entries()) await writeFile(join(images, `pic-${i}.png`), pngHeader(s.w, s.h, i + 11));
    const polygonManifest = join(dir, "polygon-manifest.json");
    // --rule picks the polygon circuit's kind (box), batch size (32) and depth.
    ok(await zklabel(["dataset", "build", "--from", images, "--rule", "polygon", "--out", polygonManifest]), "build");
    assert.deepEqual(
      (({ kind, batchSize }) => ({ kind, batchSize }))(JSON.parse(await readFile(polygonManifest, "utf8"))),
      { kind: "box", batchSize: 32 },
    );
    ok(
      await zklabel(["dataset", "upload", "--manifest", polygonManifest, "--from", images, "--vault", vault.url]),
      "upload",
    );
    await writeFile(
      join(dir, "polygon-spec.json"),
      JSON.stringify({
        title: "Outline the vehicle",
        instructions: "Draw a polygon around the vehicle in each image.",
        rule: { type: "polygon", classes: ["car", "person"], allowed: ["car", "person"], minArea: 100 },
        reward: { perItem: "0.001" },
        deadline: "7d",
        gold: { minAccuracy: 80, challengeWindow: "1h", threshold: 50 },
      }),
    );
    // Gold: image 0's answer is the agent's triangle, image 1's a square in the corner.
    const triangle = (i: number) => [
      [2, 2],
      [sizes[i].w - 2, 2],
      [2, sizes[i].h - 2],
    ];
    const square = [
      [2, 2],
      [30, 2],
      [30, 30],
      [2, 30],
    ];
    await writeFile(
      join(dir, "polygon-gold.json"),
      JSON.stringify([
        { item: "pic-0.png", label: "car", polygon: triangle(0) },
        { item: 1, label: "car", polygon: square },
      ]),
    );
    const created = await createTask(join(dir, "polygon-spec.json"), polygonManifest, [
      "--gold",
      join(dir, "polygon-gold.json"),
    ]);
    const id = created.taskId as string;
    const work = (key: string, account: string, env: NodeJS.ProcessEnv) =>
      agent(
        [
          "--task",
          id,
          "--labeler",
          join(ROOT, "test/agents/labeler-polygon.mjs"),
          "--identity-file",
          join(dir, key),
          "--account",
          account,
          "--json",
          ...common,
        ],
        env,
      );
    assert.equal(JSON.parse(ok(await work("a.key", "1", {}), "polygon agent").stdout).items, 6);
    const review = (extra: string[] = []) =>
      zklabel([
        "review",
        "--task",
        id,
        "--gold",
        created.goldOpenings,
        "--account",
        "0",
        "--json",
        ...extra,
        ...common,
      ]);
    const seen = JSON.parse(ok(await review(), "review").stdout);
    assert.deepEqual(
      seen.pending.map((p: { gold: number; correct: number; rejectable: boolean }) => [
        p.gold,
        p.correct,
        p.rejectable,
      ]),
      [[2, 1, true]],
      "the triangle matches image 0's gold polygon and not image 1's square",
    );
    const auto = JSON.parse(ok(await review(["--auto"]), "review --auto").stdout);
    assert.deepEqual(
      auto.rejected.map((r: { batchIndex: number; bound: number }) => [r.batchIndex, r.bound]),
      [[0, 80]],
    );
    // Another worker draws the square on image 1: both gold items right, nothing to reject.
    ok(await work("b.key", "2", { ZKLABEL_TEST_CAREFUL: "1" }), "careful polygon agent");
    const again = JSON.parse(ok(await review(), "review").stdout);
    assert.deepEqual(
      again.pending.map((p: { gold: number; correct: number; rejectable: boolean }) => [
        p.gold,
        p.correct,
        p.rejectable,
      ]),
      [[2, 2, false]],
    );
    const coco = await exportCoco(id, polygonManifest, join(dir, "polygons.coco.json"));
    assert.deepEqual(
      coco.annotations.map((a: { image_id: number; category_id: number; segmentation: number[][] }) => [
        a.image_id,
        a.category_id,
        a.segmentation[0],
      ]),
      sizes.map((_, i) => [i + 1, 1, (i === 1 ? square : triangle(i)).flat()]),
    );
    // The careful agent's batch is pending: verified after the challenge window.
    await rpcCall(chain.rpc, "evm_increaseTime", [3601]);
    await rpcCall(chain.rpc, "evm_mine");
    ok(await zklabel(["task", "finalize", id, "--account", "3", ...common]), "finalize");
    verifiedDirs.polygon = await exportAndVerify(id, polygonManifest);
  });

  it("COCO exports of verified box and polygon labels load in the reference COCO API (pycocotools), polygons rasterize", () => {
    const script = [
      "import sys",
      "from pycocotools.coco import COCO",
      "c = COCO(sys.argv[1])",
      "anns = c.loadAnns(c.getAnnIds())",
      "cats = {x['id'] for x in c.loadCats(c.getCatIds())}",
      "assert all(a['category_id'] in cats and a['image_id'] in c.imgs for a in anns)",
      "px = [int(c.annToMask(a).sum()) for a in anns] if sys.argv[2] == 'polygon' else []",
      "assert all(p > 0 for p in px), px",
      "print(len(c.getImgIds()), len(anns), len(px))",
    ].join("\n");
    for (const which of ["bbox", "polygon"]) {
      const file = join(verifiedDirs[which], "annotations.coco.json");
      const out = withCocoApi(script, [file, which]);
      assert.match(out, which === "polygon" ? /^6 6 6$/m : /^6 6 0$/m, `${which}: ${out}`);
    }
  });

  it("a tampered export is refused, naming the batch and item: a changed label, a dropped batch, a swapped item, another task's batch, another chain", async () => {
    const { createPublicClient, http } = await import("viem");
    const { verifyVerifiedExport } = await import("@zklabel/sdk/verified-dataset");
    const client = createPublicClient({ transport: http(chain.rpc) });
    const clean = await readExport(verifiedDirs.first);
    const verify = (f: Map<string, Uint8Array | string>) => verifyVerifiedExport(f, client);
    assert.equal((await verify(clean)).ok, true);
    const text = (f: Map<string, Uint8Array | string>, k: string) => new TextDecoder().decode(f.get(k) as Uint8Array);
    const prov = JSON.parse(text(clean, "provenance.json"));
    const rows = text(clean, "labels.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const write = (p: unknown, r: Record<string, unknown>[]) =>
      new Map([
        ...clean,
        ["provenance.json", JSON.stringify(p)],
        ["labels.jsonl", `${r.map((x) => JSON.stringify(x)).join("\n")}\n`],
      ]);
    const batch = (r: Awaited<ReturnType<typeof verify>>, b: number) => {
      const x = r.batches.find((y) => y.batchIndex === b);
      assert.ok(x, `batch ${b} is in the report`);
      return x.checks;
    };

    // A single changed label (value and columns alike): batch 1's commitment names item 70.
    const classes = ["negative", "neutral", "positive", "off-topic"];
    const changed = rows.map((r) =>
      r.index === 70
        ? {
            ...r,
            label: (r.label + 1) % 3,
            className: classes[(r.label + 1) % 3],
            labelValue: String((r.label + 1) % 3),
          }
        : r,
    );
    let r = await verify(write(prov, changed));
    assert.equal(r.ok, false);
    assert.equal(batch(r, 1).commitment.ok, false);
    assert.equal(batch(r, 1).commitment.item, 70, batch(r, 1).commitment.detail);
    assert.match(batch(r, 1).commitment.detail, /batch 1: .*item 70/);
    assert.equal(batch(r, 0).commitment.ok && batch(r, 2).commitment.ok, true);
    // Only the column changed: the row no longer says what its packed value says.
    r = await verify(
      write(
        prov,
        rows.map((x) => (x.index === 3 ? { ...x, className: "off-topic" } : x)),
      ),
    );
    assert.equal(batch(r, 0).commitment.item, 3, batch(r, 0).commitment.detail);

    // A dropped batch: the batch set names it, and the completion digest no longer matches.
    r = await verify(
      write(
        { ...prov, batches: prov.batches.filter((b: { batchIndex: number }) => b.batchIndex !== 2) },
        rows.filter((x) => x.batchIndex !== 2),
      ),
    );
    assert.equal(r.ok, false);
    assert.deepEqual(r.batchSet.missing, [2]);
    assert.match(r.batchSet.detail, /missing verified batch 2/);
    assert.equal(r.completion.ok, false);

    // An item swapped for another: item 5's file holds item 6's bytes.
    const swapped = new Map(clean);
    swapped.set("items/review-005.txt", clean.get("items/review-006.txt") as Uint8Array);
    r = await verify(swapped);
    assert.equal(batch(r, 0).items.ok, false);
    assert.equal(batch(r, 0).items.item, 5);
    assert.match(batch(r, 0).items.detail, /item 5 \("review-005.txt"\)/);
    // ... or swapped in the listing: the dataset under the root holds another item there.
    const listed = structuredClone(prov);
    const b0 = listed.batches.find((b: { batchIndex: number }) => b.batchIndex === 0);
    [b0.items[5], b0.items[6]] = [
      { ...b0.items[6], index: 5 },
      { ...b0.items[5], index: 6 },
    ];
    r = await verify(write(listed, rows));
    assert.equal(batch(r, 0).items.item, 5, batch(r, 0).items.detail);

    // A batch copied from another task's export (same batch index, its rows too).
    const other = await readExport(verifiedDirs.gold);
    const otherProv = JSON.parse(text(other, "provenance.json"));
    const otherRows = text(other, "labels.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // The other task's first verified batch, put in place of task 1's batch of the same index.
    const foreign = otherProv.batches[0];
    const at = foreign.batchIndex as number;
    r = await verify(
      write(
        { ...prov, batches: prov.batches.map((b: { batchIndex: number }) => (b.batchIndex === at ? foreign : b)) },
        [...otherRows.filter((x) => x.batchIndex === at), ...rows.filter((x) => x.batchIndex !== at)],
      ),
    );
    assert.equal(r.ok, false);
    assert.equal(batch(r, at).proof.ok, false);
    assert.match(batch(r, at).proof.detail, new RegExp(`batch ${at}: .*no BatchSubmitted of task 1 batch ${at}`));
    assert.equal(batch(r, at).commitment.ok, false);
    assert.equal(batch(r, (at + 1) % 4).proof.ok, true);
    assert.equal(r.completion.ok, false, "the digest differs");

    // Class names swapped in the export, its rows consistent with them: the chain's metadata says otherwise.
    const renamed = ["neutral", "negative", "positive", "off-topic"];
    r = await verify(
      write(
        { ...prov, classes: renamed },
        rows.map((x) => ({ ...x, className: renamed[x.label] })),
      ),
    );
    assert.equal(r.ok, false);
    assert.equal(r.chain.ok, false);
    assert.match(r.chain.detail, /class names on chain are \["negative","neutral"/);

    // Another chain id: refused before anything else, naming both ids.
    r = await verify(write({ ...prov, chainId: 5 }, rows));
    assert.equal(r.ok, false);
    assert.equal(r.chain.ok, false);
    assert.match(r.chain.detail, /chain 5 .*chain 31337/);
    assert.deepEqual(r.batches, []);
    const cli = await zklabel(["dataset", "verify", verifiedDirs.first, "--rpc", chain.rpc]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /VERIFIED/);
  });
});
