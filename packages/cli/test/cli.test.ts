/**
 * The zklabel CLI as a person runs it: a subprocess, its stdout (text and --json), its exit
 * codes; chain commands against a real Hardhat node with the contracts deployed.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { rpcCall, startTestChain, zklabel } from "@zklabel/testkit/chain";
import { ROOT } from "@zklabel/testkit/repo";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "zklabel-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("zklabel offline commands", () => {
  it("--help everywhere, and usage errors exit 2", async () => {
    const top = await zklabel(["--help"]);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /Exit codes: 0 done, 1 the chain or a contract refused, 2 wrong usage, 3 invalid input/);
    for (const c of [
      "identity",
      "dataset",
      "spec",
      "task",
      "batch",
      "labels",
      "audit",
      "group",
      "withdraw",
      "vault",
      "work",
    ]) {
      const r = await zklabel([c, "--help"]);
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`zklabel ${c}`));
    }
    // The help is generated: every group lists its commands, every command its typed options.
    assert.match(top.stdout, /identity new\|show\|export\|import/);
    assert.match((await zklabel(["batch", "prove", "--help"])).stdout, /--relayer-fee <BPS>[\s\S]*Chain options:/);
    assert.equal((await zklabel([])).code, 0, "no command shows the help");
    const bad = await zklabel(["fly"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "fly": run zklabel --help/);
    const unknown = await zklabel(["dataset", "build", "--out", join(dir, "m.json"), "--nope"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option "--nope": run zklabel dataset build --help/);
    // A group without its command shows the group's help, as a usage error.
    const group = await zklabel(["identity"]);
    assert.equal(group.code, 2);
    assert.match(group.stderr, /zklabel identity needs one of the commands listed above/);
    // Option and argument types are checked while parsing; --json failures carry the error's code.
    const notANumber = await zklabel(["task", "status", "one", "--json"]);
    assert.equal(notANumber.code, 2);
    assert.deepEqual(JSON.parse(notANumber.stdout), {
      ok: false,
      code: "usage",
      error:
        'command-argument value "one" is invalid for argument "ID". Give a whole number: run zklabel task status --help',
    });
    const missing = await zklabel(["batch", "prove", "--task", "1", "--json"]);
    assert.equal(missing.code, 2);
    assert.match(JSON.parse(missing.stdout).error, /required option "--batch <B>" not specified/);
  });

  it("identity new / show / export / import, refusing to overwrite and bad keys", async () => {
    const file = join(dir, "id.key");
    const made = await zklabel(["identity", "new", "--identity-file", file, "--json"]);
    assert.equal(made.code, 0, made.stderr);
    const { commitment } = JSON.parse(made.stdout) as { commitment: string };
    assert.match(commitment, /^\d+$/);
    const again = await zklabel(["identity", "new", "--identity-file", file]);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /already exists .* pass --force/);
    const key = (await zklabel(["identity", "export", "--identity-file", file])).stdout.trim();
    const other = join(dir, "other.key");
    assert.equal((await zklabel(["identity", "import", "garbage!", "--identity-file", other])).code, 3);
    const imported = await zklabel(["identity", "import", key, "--identity-file", other, "--json"]);
    assert.equal(JSON.parse(imported.stdout).commitment, commitment);
    assert.equal((await zklabel(["identity", "show", "--identity-file", join(dir, "none.key")])).code, 3);
  });

  it("dataset build and find, spec check", async () => {
    const items = join(dir, "items");
    await mkdir(items);
    for (const [i, x] of demoItems(20).entries())
      await writeFile(join(items, `${String(i).padStart(3, "0")}.txt`), x.text);
    const manifest = join(dir, "manifest.json");
    const built = await zklabel(["dataset", "build", "--from", items, "--out", manifest, "--json"]);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(JSON.parse(built.stdout).count, 20);
    // A folder that is not a verified-dataset export is refused in words, before any chain is read.
    const notExport = await zklabel(["dataset", "verify", items, "--rpc", "http://127.0.0.1:9"]);
    assert.equal(notExport.code, 3, notExport.stderr);
    assert.match(notExport.stderr, /the folder has no provenance.json: is it a zkLabel dataset export\?/);
    assert.doesNotMatch(notExport.stderr, /\n\s+at /, "no stack trace");
    const found = await zklabel(["dataset", "find", join(items, "007.txt"), "--manifest", manifest]);
    assert.equal(found.code, 0);
    // People count items from 1 (core display); --json keeps the 0-based index.
    assert.match(found.stdout, /is item 8 \("007\.txt"\), batch 0/);
    const foundJson = await zklabel(["dataset", "find", join(items, "007.txt"), "--manifest", manifest, "--json"]);
    assert.equal(JSON.parse(foundJson.stdout).index, 7);
    await writeFile(join(dir, "stranger.txt"), "not in it");
    assert.equal((await zklabel(["dataset", "find", join(dir, "stranger.txt"), "--manifest", manifest])).code, 1);
    const dup = join(dir, "dup");
    await mkdir(dup);
    await writeFile(join(dup, "a.txt"), "same");
    await writeFile(join(dup, "b.txt"), "same");
    const dupRun = await zklabel(["dataset", "build", "--from", dup, "--out", join(dir, "x.json")]);
    assert.equal(dupRun.code, 3);
    assert.match(dupRun.stderr, /item "b\.txt" has the same content as "a\.txt"/);
    const dupJson = await zklabel(["dataset", "build", "--from", dup, "--out", join(dir, "x.json"), "--json"]);
    assert.equal(JSON.parse(dupJson.stdout).code, "invalid_dataset");

    // Sensor windows: each file one window of 16 readings; a short one is named.
    const windows = join(dir, "windows");
    await mkdir(windows);
    for (let i = 0; i < 3; i++) await writeFile(join(windows, `w${i}.json`), JSON.stringify(Array(16).fill(100 * i)));
    const sensorManifest = join(dir, "sensor.json");
    const sensor = await zklabel(["dataset", "build", "--from", windows, "--kind", "sensor", "--out", sensorManifest]);
    assert.equal(sensor.code, 0, sensor.stderr);
    const sm = JSON.parse(await readFile(sensorManifest, "utf8"));
    assert.equal(sm.kind, "sensor");
    assert.equal(sm.batchSize, 32);
    assert.match(sm.items[0].leaf, /^0x[0-9a-f]+$/);
    await writeFile(join(windows, "short.csv"), "1,2,3");
    const short = await zklabel(["dataset", "build", "--from", windows, "--kind", "sensor", "--out", sensorManifest]);
    assert.equal(short.code, 3);
    assert.match(short.stderr, /short\.csv: has 3 readings, expected exactly 16/);
    assert.equal(
      (await zklabel(["dataset", "build", "--from", windows, "--kind", "audio", "--out", sensorManifest])).code,
      2,
    );

    const spec = join(dir, "spec.json");
    await writeFile(
      spec,
      JSON.stringify({
        title: "t",
        instructions: "i",
        rule: { type: "sensor", lo: 5, hi: 1 },
        reward: { perItem: "0.001" },
        deadline: "7d",
      }),
    );
    const badSpec = await zklabel(["spec", "check", spec]);
    assert.equal(badSpec.code, 3);
    assert.match(badSpec.stderr, /rule\.hi: lo must not be above hi/);
    assert.equal(JSON.parse((await zklabel(["spec", "check", spec, "--json"])).stdout).code, "invalid_spec");
  });
});

describe("zklabel rule (the rule authoring kit), as a person runs it", () => {
  it("a description with mistakes is refused with each one named, and nothing is written", async () => {
    const file = join(dir, "bad-rule.json");
    await writeFile(
      file,
      JSON.stringify({
        name: "badrule",
        id: 9,
        title: "t",
        noun: "n",
        summary: "s",
        items: { kind: "content" },
        label: [{ name: "x", type: "number", bits: 60 }],
        params: [{ name: "x", bits: 8 }],
        batch: 24,
        budget: { perLabel: 100 },
      }),
    );
    const r = await zklabel(["rule", "new", "badrule", "--from", file]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /is not a usable rule description/);
    assert.match(r.stderr, /label\.0\.bits: bits must be at most 48/);
    assert.match(r.stderr, /batch: batch must be a power of two/);
    assert.match(r.stderr, /the name "x" is used twice/);
    const registry = await readFile(join(ROOT, "circuits/circuits.json"), "utf8");
    assert.doesNotMatch(registry, /badrule/);
    const named = await zklabel(["rule", "new", "other", "--from", file]);
    assert.equal(named.code, 3);
    assert.match(named.stderr, /describes rule "badrule", not "other"/);
  });

  it("rule test of a rule that does not exist says so; of the span rule, every check passes in words", async () => {
    const missing = await zklabel(["rule", "test", "nosuchrule"]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /cannot load the rule module .*nosuchrule\.ts/);
    const r = await zklabel(["rule", "test", "spans"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^rule test spans:/);
    assert.match(r.stdout, /ok {4}soundness .* witness signals mutated one at a time/);
    assert.match(r.stdout, /ok {4}budget {4}[\d.]+ constraints per label \(budget 400\)/);
    assert.match(r.stdout, /all \d+ checks passed\./);
  });
});

describe("zklabel chain commands (Hardhat node)", () => {
  let chain: Awaited<ReturnType<typeof startTestChain>>;
  let deploymentFile: string;

  before(
    async () => {
      chain = await startTestChain(dir);
      deploymentFile = chain.deploymentFile;
    },
    { timeout: 120_000 },
  );
  after(() => chain?.stop());

  it("creates a task from a spec and a manifest, shows its status, joins the group, and explains refusals", async () => {
    const items = join(dir, "chain-items.jsonl");
    await writeFile(
      items,
      demoItems(100)
        .map((x) => JSON.stringify({ text: x.text }))
        .join("\n"),
    );
    const manifest = join(dir, "chain-manifest.json");
    assert.equal((await zklabel(["dataset", "build", "--jsonl", items, "--out", manifest])).code, 0);
    const spec = join(dir, "chain-spec.json");
    await writeFile(
      spec,
      JSON.stringify({
        title: "Sentiment",
        instructions: "Pick one.",
        rule: { type: "classification", classes: ["negative", "neutral", "positive"] },
        reward: { perItem: "0.001" },
        deadline: "7d",
      }),
    );
    const common = ["--deployment", deploymentFile];
    const unsigned = await zklabel(["task", "create", "--spec", spec, "--manifest", manifest, ...common]);
    assert.equal(unsigned.code, 2);
    assert.match(unsigned.stderr, /set ZKLABEL_PRIVATE_KEY, or pass --account N/);

    const created = await zklabel([
      "task",
      "create",
      "--spec",
      spec,
      "--manifest",
      manifest,
      "--account",
      "0",
      "--json",
      ...common,
    ]);
    assert.equal(created.code, 0, created.stdout + created.stderr);
    assert.equal(JSON.parse(created.stdout).taskId, "1");
    const status = await zklabel(["task", "status", "1", ...common]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /task 1: 100 items in 2 batches of 64; 0 of 2 batches verified;/);
    assert.match(status.stdout, /batch 1: open/);

    const idFile = join(dir, "chain.key");
    await zklabel(["identity", "new", "--identity-file", idFile]);
    const joined = await zklabel(["group", "join", "--identity-file", idFile, "--direct", "--account", "1", ...common]);
    assert.equal(joined.code, 0, joined.stderr);
    const twice = await zklabel(["group", "join", "--identity-file", idFile, "--direct", "--account", "1", ...common]);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already a member of the group/);
    // Prove batch 1 (36 items) as that identity, paid to account #1; account #2 relays it.
    const batchLabels = demoItems(100)
      .slice(64)
      .map((x) => x.sentiment);
    const labelsFile = join(dir, "labels.json");
    const proofFile = join(dir, "proof.json");
    await writeFile(labelsFile, JSON.stringify(batchLabels.map((l, i) => (i === 0 ? 7 : l))));
    const broken = await zklabel([
      "batch",
      "prove",
      "--task",
      "1",
      "--batch",
      "1",
      "--manifest",
      manifest,
      "--labels",
      labelsFile,
      "--out",
      proofFile,
      "--identity-file",
      idFile,
      "--account",
      "1",
      ...common,
    ]);
    assert.equal(broken.code, 3);
    // Item 65 is index 64, class 8 is index 7 (people count both from 1).
    assert.match(broken.stderr, /item 65: class 8 is beyond the task's 3 classes/);
    await writeFile(labelsFile, JSON.stringify(batchLabels));
    const proved = await zklabel([
      "batch",
      "prove",
      "--task",
      "1",
      "--batch",
      "1",
      "--manifest",
      manifest,
      "--labels",
      labelsFile,
      "--out",
      proofFile,
      "--identity-file",
      idFile,
      "--account",
      "1",
      "--relayer-fee",
      "100",
      ...common,
    ]);
    assert.equal(proved.code, 0, proved.stderr);
    const submitted = await zklabel(["batch", "submit", proofFile, "--account", "2", ...common]);
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.match((await zklabel(["task", "status", "1", ...common])).stdout, /batch 1: verified/);
    const replay = await zklabel(["batch", "submit", proofFile, "--account", "2", ...common]);
    assert.equal(replay.code, 1);
    assert.match(replay.stderr, /already been accepted and paid/);

    // The requester exports exactly those labels.
    const exported = join(dir, "labels.jsonl");
    const keyNonce = JSON.parse(created.stdout).keyNonce as string;
    const wrongKey = await zklabel([
      "labels",
      "export",
      "--task",
      "1",
      "--key-nonce",
      "1",
      "--manifest",
      manifest,
      "--out",
      exported,
      "--account",
      "0",
      ...common,
    ]);
    assert.equal(wrongKey.code, 3);
    const coco = await zklabel([
      "labels",
      "export",
      "--task",
      "1",
      "--format",
      "coco",
      "--manifest",
      manifest,
      "--out",
      exported,
      "--account",
      "0",
      ...common,
    ]);
    assert.equal(coco.code, 3);
    assert.match(coco.stderr, /COCO holds bounding boxes; task 1 is a classification task: use --format jsonl or csv/);
    const exportRun = await zklabel([
      "labels",
      "export",
      "--task",
      "1",
      "--key-nonce",
      keyNonce,
      "--manifest",
      manifest,
      "--out",
      exported,
      "--account",
      "0",
      ...common,
    ]);
    assert.equal(exportRun.code, 0, exportRun.stderr);
    const rows = (await readFile(exported, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { index: number; name: string; label: number });
    assert.deepEqual(
      rows.map((r) => r.label),
      batchLabels,
    );
    assert.equal(rows[0].index, 64);
    assert.equal(rows[0].name, "line 65");

    // An auditor re-verifies the proof from its transaction, and finds the item.
    const audited = await zklabel(["audit", "task", "1", ...common]);
    assert.equal(audited.code, 0, audited.stdout + audited.stderr);
    assert.match(audited.stdout, /task 1: 1 submitted batch, all verify/);
    assert.match(audited.stdout, /batch 1 \(verified, .*proof valid yes, event = inputs yes, storage agrees yes/);
    const otherVkey = join(dir, "other-vkey.json");
    const vk = JSON.parse(await readFile(join(ROOT, "build/circuits/classification_n4_d4/vkey.json"), "utf8"));
    await writeFile(otherVkey, JSON.stringify({ ...vk, nPublic: 13, IC: Array(14).fill(vk.IC[0]) }));
    const wrongKey2 = await zklabel(["audit", "task", "1", "--vkey", otherVkey, ...common]);
    assert.equal(wrongKey2.code, 1, "a proof checked against another circuit's key does not verify");
    assert.match(wrongKey2.stdout, /PROBLEMS FOUND/);

    const notYours = await zklabel(["task", "cancel", "1", "--account", "3", ...common]);
    assert.equal(notYours.code, 1);
    assert.match(notYours.stderr, /Only the task's requester may do this/);
    const cancelled = await zklabel(["task", "cancel", "1", "--account", "0", ...common]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(
      cancelled.stdout,
      /cancelled task 1: it closes at .*batches submitted until then are still accepted and paid. Refund the 64000000000000000 left after that/,
    );
    assert.match((await zklabel(["task", "status", "1", ...common])).stdout, /cancelled, closing at/);
    // During the notice period a refund is refused, in words; an hour later it returns the balance.
    const early = await zklabel(["task", "refund", "1", "--account", "0", ...common]);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /batches are accepted until its closing time/);
    await rpcCall(chain.rpc, "evm_increaseTime", [3601]);
    await rpcCall(chain.rpc, "evm_mine");
    assert.match((await zklabel(["task", "status", "1", ...common])).stdout, /cancelled, closed at/);
    const refunded = await zklabel(["task", "refund", "1", "--account", "0", ...common]);
    assert.equal(refunded.code, 0, refunded.stderr);
    assert.match(refunded.stdout, /refunded task 1: 64000000000000000 returned/);

    const nothing = await zklabel(["withdraw", "--account", "3", "--json", ...common]);
    assert.equal(nothing.code, 1);
    assert.equal(JSON.parse(nothing.stdout).errorName, "NothingToWithdraw");
    assert.equal(JSON.parse(nothing.stdout).code, "contract_reverted");
  });
});
