#!/usr/bin/env node
/**
 * `zklabel`: zkLabel from the command line (`npm run -s zklabel -- <command>`).
 *
 * Exit codes: 0 done; 1 the chain or a contract refused (the message says why);
 * 2 wrong usage; 3 invalid input (spec, dataset, identity key, file).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { expectedRuleEntry } from "@zklabel/core/deployment";
import { Identity, parseIdentityKey } from "@zklabel/core/identity";
import { ZkLabelError } from "@zklabel/sdk/client";
import { buildDataset, checkManifest, DatasetError, type DatasetItem, findItem } from "@zklabel/sdk/dataset";
import { itemsFromCsv, itemsFromDirectory, itemsFromJsonl } from "@zklabel/sdk/dataset-fs";
import { resolveTaskSpec, SpecError } from "@zklabel/sdk/spec";
import { VaultError } from "@zklabel/sdk/vault";
import { type Address, formatEther, isAddress, zeroAddress } from "viem";
import {
  type Ctx,
  connect,
  EXIT,
  InputError,
  identityPath,
  loadIdentity,
  positiveInt,
  ROOT,
  readJson,
  requesterKey,
  UsageError,
  type Values,
  wholeNumber,
} from "./common.ts";

const HELP: Record<string, string> = {
  "": `zklabel: post, label, prove and audit zkLabel tasks from the command line.

Usage: zklabel <command> [options]     (in this repository: npm run -s zklabel -- <command>)

Commands:
  identity new|show|export|import   your anonymous worker identity (a file in ~/.zklabel)
  dataset build                     hash items (folder, JSONL or CSV) into a manifest
  dataset find FILE                 is this file in a dataset? (index, batch, inclusion proof)
  dataset upload                    send a dataset's items to a vault (resumes after an interruption)
  vault serve                       run a data vault (stores items, serves batches to group members)
  spec check FILE                   validate a task spec file
  task create                       create and fund a task from a spec and a manifest
  task status ID                    a task's funds, batches and state
  task cancel ID | task refund ID   requester: close a task (after a one-hour notice) and take back what is not reserved
  task finalize ID                  anyone: accept the batches whose challenge window has passed
  batch fetch                       download a batch from the vault as an anonymous group member
  batch prove                       prove a batch of labels with your identity (rule checked first)
  batch submit PROOF                submit a proof file (you relay it: any account with gas)
  labels export                     requester: decrypt a task's submitted batches to JSONL, CSV or COCO
  work --task ID --labeler FILE     the labeling agent: fetch, label, prove and submit every open batch
  audit task ID                     re-verify every submitted proof locally, check events against storage
  audit item FILE --manifest M      is this file in the dataset, at which index
  group join                        join the open worker group with your identity
  withdraw                          withdraw your credits

Every command takes --help and --json (machine-readable output on stdout).
Chain commands read the deployment from --deployment (default apps/web/public/deployment.json,
written by npm run dev) and sign with ZKLABEL_PRIVATE_KEY, or with --account N, an unlocked
account of a local development node.

Exit codes: 0 done, 1 the chain or a contract refused, 2 wrong usage, 3 invalid input.`,
  identity: `zklabel identity new [--force] | show | export | import KEY   [--identity-file F]

  new     create an identity (refuses to overwrite one unless --force: losing it loses your group memberships)
  show    your public commitment (what a group admin adds)
  export  print the secret key (back it up; anyone with it can prove as you)
  import  store an exported key`,
  dataset: `zklabel dataset build (--from DIR [--ext .png,.jpg] | --jsonl FILE [--field text] | --csv FILE --column C)
                      --out MANIFEST [--kind content|box|sensor] [--batch-size 64 (sensor: 32)] [--depth 20]
    --kind: content for classification (default), box for bounding boxes (images: their sizes go
    in the manifest), sensor for sensor ranges (each item one window of 16 readings, JSON or CSV)
zklabel dataset find FILE --manifest MANIFEST
zklabel dataset upload --manifest MANIFEST (--from DIR | --jsonl FILE | --csv FILE --column C)
                      [--vault URL (default http://127.0.0.1:8787)] [--upload-token T (or ZKLABEL_VAULT_TOKEN)]
    Interrupted? Run the same command again: only the missing items are sent. Nothing is
    registered in the vault until every item has arrived and matched the manifest.`,
  vault: `zklabel vault serve [--port 8787] [--host 127.0.0.1] [--dir ~/.zklabel/vault] [--upload-token T]
                    [--downloads-per-hour 20]
    Stores datasets (files + SQLite in --dir) and serves a task's batch only to a caller with a
    zero-knowledge proof of membership in the task's worker group for that batch. With an upload
    token (or ZKLABEL_VAULT_TOKEN) only its holder may upload. A member may download the same
    batch --downloads-per-hour times an hour (counted by its anonymous access tag).`,
  work: `zklabel work --task ID --labeler ./agent.mjs [--max-batches K] [--to ADDRESS] [--vault URL] [--identity-file F]
    Loops over the task's open batches: downloads each from the vault (anonymously), calls the
    labeler, proves the labels follow the task's rule and submits. The labeler module exports
      label(item, task)         -> a class name or number, per item, or
      labelBatch(items, task)   -> a list of them, per batch (or a default function like label).
    item = { index, name, type, bytes, text }, task = { taskId, batchIndex, title, instructions, classes }.
    A label that breaks the rule stops the loop before proving: nothing is submitted for that batch.`,
  spec: `zklabel spec check FILE      validate a task spec (JSON) and print what it resolves to`,
  task: `zklabel task create --spec FILE --manifest MANIFEST [--vault URL] [--gold GOLD.json] [--funding AMOUNT_WEI]
    --vault: where workers download the items (default http://127.0.0.1:8787), stored in the task's metadata
    --gold: [{"item": name or index, "label": class name}, ...] (needs "gold" in the spec); the secret
            openings are written next to it as GOLD.openings.json: keep them
zklabel task status ID
zklabel task cancel ID     close the task in one hour: batches submitted until then are still paid, workers
                           start no new ones; top-ups stop at once (pending batches still pay)
zklabel task refund ID     once the task is closed (an hour after cancel, or after the deadline): take back
                           the unreserved funds
zklabel task finalize ID [--batches 0,1,...]   accept pending batches past their window (default: all that are)`,
  batch: `zklabel batch fetch --task ID --batch B --out DIR [--vault URL]
    DIR/items/* and DIR/batch.json, checked against the task's on-chain dataset root
zklabel batch prove --task ID --batch B (--manifest MANIFEST | --batch-dir DIR) --labels LABELS.json --out PROOF.json
                      [--to ADDRESS] [--relayer-fee BPS] [--identity-file F]
    LABELS.json: the class numbers of the batch's items, in order, e.g. [0, 2, 1, ...]
    (classification tasks; \`work\` labels tasks of every rule)
    The payout goes to --to (default: the signing account); a relayer who submits earns BPS/100 %.
zklabel batch submit PROOF.json`,
  labels: `zklabel labels export --task ID --manifest MANIFEST --out FILE [--format jsonl|csv|coco] [--key-nonce N]
    coco: COCO instances JSON, for bounding-box tasks (the manifest gives each image's size).
    Your decryption key is derived from your wallet's signature of a message with the task's key
    nonce, which the task's metadata carries; --key-nonce N overrides it (tasks made elsewhere).`,
  audit: `zklabel audit task ID [--vkey FILE]   (default: the deployed circuit's vkey.json from the build)
zklabel audit item FILE --manifest MANIFEST`,
  group: `zklabel group join     add your identity's commitment to the open worker group`,
  withdraw: `zklabel withdraw [--to ADDRESS] [--token ADDRESS]   (ETH when --token is absent)`,
};

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      json: { type: "boolean" },
      force: { type: "boolean" },
      "identity-file": { type: "string" },
      from: { type: "string" },
      ext: { type: "string" },
      jsonl: { type: "string" },
      field: { type: "string" },
      csv: { type: "string" },
      column: { type: "string" },
      out: { type: "string" },
      "batch-size": { type: "string" },
      kind: { type: "string" },
      "downloads-per-hour": { type: "string" },
      depth: { type: "string" },
      manifest: { type: "string" },
      spec: { type: "string" },
      funding: { type: "string" },
      deployment: { type: "string" },
      rpc: { type: "string" },
      account: { type: "string" },
      to: { type: "string" },
      token: { type: "string" },
      task: { type: "string" },
      batch: { type: "string" },
      labels: { type: "string" },
      "relayer-fee": { type: "string" },
      "key-nonce": { type: "string" },
      format: { type: "string" },
      vkey: { type: "string" },
      vault: { type: "string" },
      "upload-token": { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      dir: { type: "string" },
      "batch-dir": { type: "string" },
      labeler: { type: "string" },
      "max-batches": { type: "string" },
      gold: { type: "string" },
      batches: { type: "string" },
    },
  });
  const [command = "", sub, ...rest] = positionals;
  const ctx: Ctx = {
    json: values.json === true,
    out(human, data) {
      console.log(this.json ? JSON.stringify(data, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2) : human);
    },
  };
  if (values.help || command === "" || command === "help") {
    console.log(HELP[command === "help" ? (sub ?? "") : command] ?? HELP[""]);
    return EXIT.ok;
  }
  if (!(command in HELP)) throw new UsageError(`unknown command "${command}": run zklabel --help`);

  switch (command) {
    case "identity":
      return identity(ctx, sub, rest, values);
    case "dataset":
      return dataset(ctx, sub, rest, values);
    case "spec": {
      if (sub !== "check" || !rest[0]) throw new UsageError("usage: zklabel spec check FILE");
      const r = resolveTaskSpec(await readJson(rest[0]));
      ctx.out(
        `ok: rule ${r.spec.rule.type} (id ${r.ruleId}), params [${r.ruleParams.join(", ")}], reward ${r.rewardPerItem} per item, deadline ${new Date(Number(r.deadline) * 1000).toISOString()}`,
        { ok: true, ruleId: r.ruleId, ruleParams: r.ruleParams, rewardPerItem: r.rewardPerItem, deadline: r.deadline },
      );
      return EXIT.ok;
    }
    case "task":
      return task(ctx, sub, rest, values);
    case "batch":
      if (sub === "fetch") return (await import("./worker.ts")).batchFetch(ctx, values);
      return batch(ctx, sub, rest, values);
    case "work":
      return (await import("./worker.ts")).work(ctx, values);
    case "vault":
      if (sub !== "serve") throw new UsageError(HELP.vault);
      return (await import("./vault.ts")).vaultServe(ctx, values);
    case "labels":
      return labels(ctx, sub, values);
    case "audit":
      if (sub === "item") return dataset(ctx, "find", rest, values);
      return audit(ctx, sub, rest, values);
    case "group": {
      if (sub !== "join") throw new UsageError("usage: zklabel group join");
      const id = await loadIdentity(values["identity-file"]);
      const { client } = await connect(values);
      const hash = await client.joinOpenGroup(id.commitment);
      ctx.out(`joined the open group (tx ${hash})`, { ok: true, commitment: id.commitment, hash });
      return EXIT.ok;
    }
    case "withdraw": {
      const { client, account } = await connect(values);
      const to = (values.to ?? account) as Address;
      const token = (values.token ?? zeroAddress) as Address;
      if (!isAddress(to) || !isAddress(token)) throw new InputError("--to and --token must be 0x addresses");
      const amount = await client.credits(account, token);
      const hash = await client.withdraw(to, token);
      ctx.out(
        `withdrew ${token === zeroAddress ? `${formatEther(amount)} ETH` : `${amount} units`} to ${to} (tx ${hash})`,
        {
          ok: true,
          amount,
          to,
          hash,
        },
      );
      return EXIT.ok;
    }
  }
  return EXIT.usage;
}

async function identity(ctx: Ctx, sub: string | undefined, rest: string[], values: Values): Promise<number> {
  const path = identityPath(values["identity-file"]);
  const save = async (id: Identity) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${id.export()}\n`, { mode: 0o600 });
  };
  switch (sub) {
    case "new": {
      if (!values.force && (await readFile(path, "utf8").catch(() => null)) !== null) {
        throw new InputError(
          `an identity already exists at ${path}; back it up (zklabel identity export) and pass --force to replace it`,
        );
      }
      const id = new Identity();
      await save(id);
      ctx.out(
        `created ${path}\ncommitment ${id.commitment}\nBack it up with \`zklabel identity export\`: losing it loses your group memberships.`,
        {
          path,
          commitment: id.commitment,
        },
      );
      return EXIT.ok;
    }
    case "show": {
      const id = await loadIdentity(values["identity-file"]);
      ctx.out(`commitment ${id.commitment}`, { commitment: id.commitment });
      return EXIT.ok;
    }
    case "export": {
      const id = await loadIdentity(values["identity-file"]);
      ctx.out(id.export(), { key: id.export() });
      return EXIT.ok;
    }
    case "import": {
      const key = rest[0];
      if (!key) throw new UsageError("usage: zklabel identity import KEY");
      let id: Identity;
      try {
        id = parseIdentityKey(key);
      } catch (e) {
        throw new InputError(
          `${e instanceof Error ? e.message : String(e)} Use a key from \`zklabel identity export\`.`,
        );
      }
      if (!values.force && (await readFile(path, "utf8").catch(() => null)) !== null) {
        throw new InputError(`an identity already exists at ${path}; pass --force to replace it`);
      }
      await save(id);
      ctx.out(`imported into ${path}\ncommitment ${id.commitment}`, { path, commitment: id.commitment });
      return EXIT.ok;
    }
  }
  throw new UsageError(HELP.identity);
}

async function dataset(ctx: Ctx, sub: string | undefined, rest: string[], values: Values): Promise<number> {
  if (sub === "build") {
    const out = values.out;
    if (typeof out !== "string") throw new UsageError("dataset build needs --out MANIFEST");
    const sources = [values.from, values.jsonl, values.csv].filter((x) => typeof x === "string");
    if (sources.length !== 1) throw new UsageError("give exactly one of --from DIR, --jsonl FILE, --csv FILE");
    let items: DatasetItem[];
    if (typeof values.from === "string") {
      items = await itemsFromDirectory(values.from, typeof values.ext === "string" ? values.ext.split(",") : undefined);
    } else if (typeof values.jsonl === "string") {
      items = await itemsFromJsonl(values.jsonl, typeof values.field === "string" ? values.field : "text");
    } else {
      if (typeof values.column !== "string") throw new UsageError("--csv needs --column NAME");
      items = await itemsFromCsv(values.csv as string, values.column);
    }
    const kind = typeof values.kind === "string" ? values.kind : "content";
    if (kind !== "content" && kind !== "box" && kind !== "sensor")
      throw new UsageError("--kind is content (classification), box (bounding boxes) or sensor (reading windows)");
    const batchSize = positiveInt(values["batch-size"], kind === "sensor" ? 32 : 64, "--batch-size");
    const depth = positiveInt(values.depth, 20, "--depth");
    let manifest: ReturnType<typeof buildDataset>["manifest"];
    try {
      manifest = buildDataset(items, { depth, batchSize, kind }).manifest;
    } catch (e) {
      throw new InputError(e instanceof Error ? e.message : String(e));
    }
    await writeFile(out, `${JSON.stringify(manifest, null, 2)}\n`);
    ctx.out(`${manifest.count} items, root ${manifest.root}, wrote ${out}`, {
      count: manifest.count,
      root: manifest.root,
      manifest: out,
    });
    return EXIT.ok;
  }
  if (sub === "upload") return (await import("./vault.ts")).datasetUpload(ctx, values);
  if (sub === "find") {
    const file = rest[0];
    if (!file || typeof values.manifest !== "string")
      throw new UsageError("usage: zklabel dataset find FILE --manifest MANIFEST");
    const { manifest, tree } = checkManifest(await readJson(values.manifest));
    const bytes = await readFile(file).catch(() => {
      throw new InputError(`cannot read ${file}`);
    });
    const hit = findItem(manifest, tree, new Uint8Array(bytes));
    if (!hit) {
      ctx.out(`${file} is not in the dataset (root ${manifest.root})`, { found: false, root: manifest.root });
      return EXIT.failed;
    }
    ctx.out(`${file} is item ${hit.index} ("${hit.name}"), batch ${hit.batch}, under root ${manifest.root}`, {
      found: true,
      ...hit,
      root: manifest.root,
    });
    return EXIT.ok;
  }
  throw new UsageError(HELP.dataset);
}

async function task(ctx: Ctx, sub: string | undefined, rest: string[], values: Values): Promise<number> {
  if (sub === "create") {
    if (typeof values.spec !== "string" || typeof values.manifest !== "string") {
      throw new UsageError("usage: zklabel task create --spec FILE --manifest MANIFEST");
    }
    const spec = resolveTaskSpec(await readJson(values.spec));
    const { manifest } = checkManifest(await readJson(values.manifest));
    // The rule's deployed circuit fixes N and the depth (circuits/circuits.json); its dataset kind the leaves.
    const c = (await import("@zklabel/core/registry")).deployedCircuit(spec.spec.rule.type);
    const kind = { classification: "content", bbox: "box", sensor: "sensor" }[spec.spec.rule.type];
    if ((manifest.kind ?? "content") !== kind) {
      throw new InputError(
        `the manifest is a ${manifest.kind ?? "content"} dataset; a ${spec.spec.rule.type} task needs one built with --kind ${kind}`,
      );
    }
    if (manifest.batchSize !== c.params.N || manifest.depth !== c.params.DEPTH) {
      throw new InputError(
        `the manifest was built for batches of ${manifest.batchSize} at depth ${manifest.depth}; this rule's circuit takes ${c.params.N} and ${c.params.DEPTH}: rebuild it with --batch-size ${c.params.N} --depth ${c.params.DEPTH}`,
      );
    }
    let goldRoot: bigint | undefined;
    let goldOut: string | undefined;
    if (spec.spec.gold && typeof values.gold !== "string") {
      throw new UsageError('the spec has "gold": pass --gold GOLD.json with the gold items and their answers');
    }
    if (typeof values.gold === "string") {
      if (!spec.spec.gold)
        throw new InputError('--gold needs a "gold" section (minAccuracy, challengeWindow) in the spec');
      const { buildGold } = await import("@zklabel/sdk/gold");
      const r = spec.spec.rule;
      const built = buildGold(manifest, "classes" in r ? r.classes : [], await readJson(values.gold));
      goldRoot = built.goldRoot;
      goldOut = values.gold.replace(/(\.json)?$/, ".openings.json");
      await writeFile(goldOut, `${JSON.stringify(built.openings, null, 2)}\n`, { mode: 0o600 });
    }
    const { metadataFromSpec, encodeTaskMetadata } = await import("@zklabel/sdk/metadata");
    const { DEFAULT_VAULT_URL } = await import("./vault.ts");
    const vault = typeof values.vault === "string" ? values.vault : DEFAULT_VAULT_URL;
    const nonce = BigInt(Date.now());
    // The key nonce is public (it names the message to sign again); inline metadata carries it, so
    // `labels export` needs only the wallet.
    const meta = spec.spec.metadataURI ? undefined : encodeTaskMetadata(metadataFromSpec(spec.spec, vault, nonce));
    const { client, wallet, deployment } = await connect(values);
    const { pkR, pkRDiv8 } = await requesterKey(wallet, deployment, nonce);
    const funding = typeof values.funding === "string" ? BigInt(values.funding) : undefined;
    // The verifier the deployment file names is the one shown here and required by createTask.
    const rule = expectedRuleEntry(deployment, spec.ruleId);
    const { taskId, hash } = await client.createTask({
      spec: meta ? { ...spec, spec: { ...spec.spec, metadataURI: meta.uri } } : spec,
      manifest,
      pkR,
      pkRDiv8,
      rule,
      funding,
      goldRoot,
      metadataHash: meta?.hash,
    });
    ctx.out(
      `created task ${taskId} (tx ${hash}) with the rule ${spec.ruleId} verifier ${rule.verifier} that the deployment names (the escrow refuses the task if its registry holds another); your decryption key is derived from your wallet's signature with key nonce ${nonce} (kept in the task's metadata)${goldOut ? `\ngold openings (secret, keep them): ${goldOut}` : ""}`,
      {
        taskId,
        hash,
        verifier: rule.verifier,
        keyNonce: nonce,
        goldOpenings: goldOut,
      },
    );
    return EXIT.ok;
  }
  if (sub === "cancel" || sub === "refund") {
    const id = rest[0];
    if (!id || !/^\d+$/.test(id)) throw new UsageError(`usage: zklabel task ${sub} ID`);
    const { client } = await connect(values);
    if (sub === "cancel") {
      const hash = await client.cancel(BigInt(id));
      const t = await client.getTask(BigInt(id));
      const closesAt = new Date(Number(t.closesAt) * 1000).toISOString();
      ctx.out(
        `cancelled task ${id}: it closes at ${closesAt}; batches submitted until then are still accepted and paid. Refund the ${t.balance} left after that with: zklabel task refund ${id} (tx ${hash})`,
        { ok: true, closesAt: Number(t.closesAt), balance: t.balance, hash },
      );
      return EXIT.ok;
    }
    const before = (await client.getTask(BigInt(id))).balance;
    const hash = await client.refund(BigInt(id));
    ctx.out(`refunded task ${id}: ${before} returned (tx ${hash})`, { ok: true, returned: before, hash });
    return EXIT.ok;
  }
  if (sub === "finalize") {
    const id = rest[0];
    if (!id || !/^\d+$/.test(id)) throw new UsageError("usage: zklabel task finalize ID [--batches 0,1,...]");
    const { client, deployment } = await connect(values);
    const t = await client.getTask(BigInt(id));
    const { escrowAbi } = await import("@zklabel/sdk/abi-escrow");
    let wanted: number[];
    if (typeof values.batches === "string") {
      wanted = values.batches.split(",").map((x) => wholeNumber(x.trim(), "--batches"));
    } else {
      let now = (await client.publicClient.getBlock()).timestamp;
      if (deployment.chainId === 31337 && now < BigInt(Math.floor(Date.now() / 1000))) {
        // An idle development node mines no blocks, so its clock stays at the last transaction
        // and the simulation would see an open window: mine one empty block to bring it to now.
        await client.publicClient.request({ method: "evm_mine" } as never);
        now = (await client.publicClient.getBlock()).timestamp;
      }
      wanted = [];
      for (let b = 0; b < Math.ceil(t.itemCount / t.rule.batchSize); b++) {
        const [state, pending] = await client.publicClient.readContract({
          address: client.escrow,
          abi: escrowAbi,
          functionName: "batchState",
          args: [BigInt(id), BigInt(b)],
        });
        if (state === 1 && BigInt(pending.submittedAt) + BigInt(t.challengeWindow) <= now) wanted.push(b);
      }
      if (wanted.length === 0) {
        ctx.out(`task ${id} has no pending batch past its challenge window`, { ok: true, finalized: [] });
        return EXIT.ok;
      }
    }
    const hash = await client.finalize(BigInt(id), wanted);
    ctx.out(`finalized batch${wanted.length === 1 ? "" : "es"} ${wanted.join(", ")} of task ${id} (tx ${hash})`, {
      ok: true,
      finalized: wanted,
      hash,
    });
    return EXIT.ok;
  }
  if (sub === "status") {
    const id = rest[0];
    if (!id || !/^\d+$/.test(id)) throw new UsageError("usage: zklabel task status ID");
    const { client } = await connect(values, false);
    const t = await client.getTask(BigInt(id));
    const { taskPhase } = await import("@zklabel/core/lifecycle");
    const phase = taskPhase(t, Number((await client.publicClient.getBlock()).timestamp));
    const iso = (s: number | bigint) => new Date(Number(s) * 1000).toISOString();
    const batches = Math.ceil(t.itemCount / t.rule.batchSize);
    const states: string[] = [];
    for (let b = 0; b < batches; b++) {
      const [state] = await client.publicClient.readContract({
        address: client.escrow,
        abi: (await import("@zklabel/sdk/abi-escrow")).escrowAbi,
        functionName: "batchState",
        args: [BigInt(id), BigInt(b)],
      });
      states.push(["open", "pending", "verified"][state] ?? "unknown");
    }
    ctx.out(
      `task ${id}: ${t.itemCount} items in ${batches} batches of ${t.rule.batchSize}; ${
        phase === "closing"
          ? `cancelled, closing at ${iso(t.closesAt)} (batches until then are still paid)`
          : t.cancelled
            ? `cancelled, closed at ${iso(t.closesAt)}`
            : `deadline ${iso(t.deadline)}`
      }\n` +
        `balance ${t.balance}, reserved ${t.reserved} (${t.token === zeroAddress ? "wei" : `token ${t.token}`})\n` +
        states.map((s, b) => `  batch ${b}: ${s}`).join("\n"),
      { taskId: id, ...t, phase, batches: states },
    );
    return EXIT.ok;
  }
  throw new UsageError(HELP.task);
}

async function batch(ctx: Ctx, sub: string | undefined, rest: string[], values: Values): Promise<number> {
  if (sub === "prove") {
    for (const k of ["task", "batch", "labels", "out"]) {
      if (typeof values[k] !== "string") throw new UsageError(`batch prove needs --${k}; see zklabel batch --help`);
    }
    if ((typeof values.manifest === "string") === (typeof values["batch-dir"] === "string")) {
      throw new UsageError("batch prove needs one of --manifest MANIFEST or --batch-dir DIR (from batch fetch)");
    }
    const taskId = BigInt(wholeNumber(values.task, "--task"));
    const batchIndex = wholeNumber(values.batch, "--batch");
    const dataset = await proofDataset(values, batchIndex);
    const labelsJson = await readJson(values.labels as string);
    if (!Array.isArray(labelsJson) || !labelsJson.every((x) => Number.isInteger(x) && x >= 0)) {
      throw new InputError(`${values.labels} must be a JSON list of class numbers, e.g. [0, 2, 1]`);
    }
    const id = await loadIdentity(values["identity-file"]);
    const { client, account, deployment } = await connect(values, typeof values.to !== "string");
    const to = (typeof values.to === "string" ? values.to : account) as Address;
    if (!isAddress(to) || to === zeroAddress) throw new InputError("--to must be a non-zero 0x address");
    const { escrowReader, proveClassificationBatch, readTaskInfo } = await import("@zklabel/sdk/work");
    const { readWorkerGroup, workerGroupsReader } = await import("@zklabel/sdk/events");
    const info = await readTaskInfo(
      escrowReader({ client: client.publicClient, address: client.escrow, fromBlock: BigInt(deployment.deployBlock) }),
      taskId,
    );
    if (info.ruleId !== 1) {
      throw new InputError(
        `task ${taskId} is a ${info.ruleId === 2 ? "bounding-box" : "sensor-range"} task; batch prove takes class labels only: label it with \`zklabel work --labeler\` (every rule), or prove with proveBoxBatch / proveSensorBatch from @zklabel/sdk`,
      );
    }
    const count = Math.min(info.batchSize, info.itemCount - batchIndex * info.batchSize);
    if (count <= 0) throw new InputError(`task ${taskId} has no batch ${batchIndex}`);
    if (labelsJson.length !== count) {
      throw new InputError(`batch ${batchIndex} has ${count} items; ${values.labels} has ${labelsJson.length} labels`);
    }
    const stored = await client.getTask(taskId);
    const group = await readWorkerGroup(
      workerGroupsReader({
        client: client.publicClient,
        address: client.groups,
        fromBlock: BigInt(deployment.deployBlock),
      }),
      stored.workerGroupId,
      id.commitment,
    );
    if (group.indexOf(id.commitment) < 0) {
      throw new InputError(
        `your identity is not in worker group ${stored.workerGroupId}: run \`zklabel group join\` first`,
      );
    }
    const { randomField } = await import("@zklabel/core/field");
    const { deployedCircuit } = await import("@zklabel/core/registry");
    const dir = join(ROOT, "build/circuits", deployedCircuit("classification").name);
    const started = Date.now();
    const proof = await proveClassificationBatch({
      task: info,
      chainId: BigInt(deployment.chainId),
      escrow: client.escrow,
      dataset,
      batchIndex,
      labels: labelsJson as number[],
      identity: id,
      group,
      recipient: to,
      relayerFeeBps:
        typeof values["relayer-fee"] === "string" ? wholeNumber(values["relayer-fee"], "--relayer-fee") : 0,
      salt: randomField(),
      artifacts: { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") },
      onProgress: (await import("./worker.ts")).stageReporter(`batch ${batchIndex} proof`),
    });
    const { releaseSnarkjs } = await import("@zklabel/core/prove");
    await releaseSnarkjs();
    const file = { taskId, batchIndex, proof: proof.proof, publicSignals: proof.publicSignals };
    await writeFile(
      values.out as string,
      `${JSON.stringify(file, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
    );
    ctx.out(
      `proved batch ${batchIndex} of task ${taskId} in ${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${values.out}`,
      {
        ok: true,
        out: values.out,
      },
    );
    return EXIT.ok;
  }
  if (sub === "submit") {
    const path = rest[0];
    if (!path) throw new UsageError("usage: zklabel batch submit PROOF.json");
    const f = (await readJson(path)) as {
      taskId?: string;
      batchIndex?: number;
      proof?: string[];
      publicSignals?: string[];
    };
    if (!f.taskId || f.batchIndex === undefined || f.proof?.length !== 8 || !Array.isArray(f.publicSignals)) {
      throw new InputError(`${path} is not a proof file written by \`zklabel batch prove\``);
    }
    const { client } = await connect(values);
    const hash = await client.submitBatch(BigInt(f.taskId), f.batchIndex, {
      proof: f.proof.map(BigInt),
      publicSignals: f.publicSignals.map(BigInt),
    });
    ctx.out(`submitted batch ${f.batchIndex} of task ${f.taskId} (tx ${hash})`, { ok: true, hash });
    return EXIT.ok;
  }
  throw new UsageError(HELP.batch);
}

/** The dataset a proof is built on: the whole manifest, or the slice `batch fetch` saved. */
async function proofDataset(values: Values, batchIndex: number) {
  if (typeof values.manifest === "string") return checkManifest(await readJson(values.manifest)).manifest;
  const file = join(values["batch-dir"] as string, "batch.json");
  const b = (await readJson(file)) as {
    batchIndex?: number;
    datasetRoot?: string;
    depth?: number;
    chunk?: number;
    itemCount?: number;
    leaves?: string[];
    path?: string[];
  };
  if (b.batchIndex !== batchIndex || !b.datasetRoot || !Array.isArray(b.leaves) || !Array.isArray(b.path)) {
    throw new InputError(`${file} is not batch ${batchIndex} as \`zklabel batch fetch\` writes it`);
  }
  const { BatchSlice } = await import("@zklabel/core/merkle");
  try {
    return new BatchSlice({
      depth: Number(b.depth),
      chunk: Number(b.chunk),
      size: Number(b.itemCount),
      root: BigInt(b.datasetRoot),
      batchIndex,
      leaves: b.leaves.map(BigInt),
      path: b.path.map(BigInt),
    });
  } catch (e) {
    throw new InputError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function labels(ctx: Ctx, sub: string | undefined, values: Values): Promise<number> {
  if (sub !== "export") throw new UsageError(HELP.labels);
  for (const k of ["task", "manifest", "out"]) {
    if (typeof values[k] !== "string") throw new UsageError(`labels export needs --${k}; see zklabel labels --help`);
  }
  const format = typeof values.format === "string" ? values.format : "jsonl";
  if (format !== "jsonl" && format !== "csv" && format !== "coco")
    throw new UsageError("--format is jsonl, csv or coco");
  const taskId = BigInt(wholeNumber(values.task, "--task"));
  const { manifest } = checkManifest(await readJson(values.manifest as string));
  const { client, wallet, deployment } = await connect(values);
  const stored = await client.getTask(taskId);
  let keyNonce = values["key-nonce"];
  if (typeof keyNonce !== "string") {
    const { escrowReader: reader0, readTaskInfo, taskMetadata } = await import("@zklabel/sdk/work");
    const info = await readTaskInfo(
      reader0({ client: client.publicClient, address: client.escrow, fromBlock: BigInt(deployment.deployBlock) }),
      taskId,
    );
    keyNonce = taskMetadata(info)?.keyNonce;
    if (keyNonce === undefined)
      throw new UsageError(
        `task ${taskId}'s metadata names no key nonce: pass the one \`task create\` printed with --key-nonce`,
      );
  }
  if (!/^\d+$/.test(keyNonce)) throw new UsageError("--key-nonce must be a whole number");
  const { skR, pkR } = await requesterKey(wallet, deployment, BigInt(keyNonce));
  if (stored.pkR[0] !== pkR[0] || stored.pkR[1] !== pkR[1]) {
    throw new InputError(
      `this account and key nonce do not give task ${taskId}'s encryption key: check --account and --key-nonce`,
    );
  }
  const { escrowReader, openSubmittedBatches } = await import("@zklabel/sdk/work");
  const reader = escrowReader({
    client: client.publicClient,
    address: client.escrow,
    fromBlock: BigInt(deployment.deployBlock),
  });
  const logs = await reader.read();
  if (format === "coco" && stored.ruleId !== 2) {
    throw new InputError(
      `COCO holds bounding boxes; task ${taskId} is a ${stored.ruleId === 1 ? "classification" : "sensor-range"} task: use --format jsonl or csv`,
    );
  }
  const { readTaskInfo, taskMetadata } = await import("@zklabel/sdk/work");
  const classes = taskMetadata(await readTaskInfo(reader, taskId))?.rule.classes;
  const batches = openSubmittedBatches(logs, taskId, skR, stored.rule.batchSize, stored.ruleId);
  const { labelRows, toCoco, toCsv, toJsonl } = await import("@zklabel/sdk/export");
  const rows = labelRows(batches, stored.rule.batchSize, manifest, classes);
  let text: string;
  if (format === "coco") {
    const boxes = batches.flatMap((b) =>
      (b.boxes ?? []).map((box, i) => {
        const index = b.batchIndex * stored.rule.batchSize + i;
        const item = manifest.items[index];
        if (!item?.width || !item.height)
          throw new InputError(`the manifest has no image size for item ${index}: use the task's box manifest`);
        return { index, name: item.name, width: item.width, height: item.height, box };
      }),
    );
    text = toCoco(boxes, classes ?? []);
  } else text = format === "jsonl" ? toJsonl(rows) : toCsv(rows);
  await writeFile(values.out as string, text);
  ctx.out(`${rows.length} labels from ${batches.length} batches written to ${values.out}`, {
    ok: true,
    labels: rows.length,
    batches: batches.length,
    out: values.out,
  });
  return EXIT.ok;
}

async function audit(ctx: Ctx, sub: string | undefined, rest: string[], values: Values): Promise<number> {
  if (sub !== "task" || !rest[0] || !/^\d+$/.test(rest[0])) throw new UsageError(HELP.audit);
  const taskId = BigInt(rest[0]);
  const { client, deployment } = await connect(values, false);
  const { deployedCircuit } = await import("@zklabel/core/registry");
  const stored = await client.getTask(taskId);
  const { ruleNameOf } = await import("@zklabel/core/task");
  const circuit = deployedCircuit(ruleNameOf(stored.ruleId) ?? "classification");
  const vkeyPath =
    typeof values.vkey === "string" ? values.vkey : join(ROOT, "build/circuits", circuit.name, "vkey.json");
  const vkey = await readJson(vkeyPath);
  const { escrowReader } = await import("@zklabel/sdk/work");
  const { auditTask } = await import("@zklabel/sdk/audit");
  const logs = await escrowReader({
    client: client.publicClient,
    address: client.escrow,
    fromBlock: BigInt(deployment.deployBlock),
  }).read();
  const report = await auditTask({ client: client.publicClient, escrow: client.escrow, taskId, logs, circuit, vkey });
  const { releaseSnarkjs } = await import("@zklabel/core/prove");
  await releaseSnarkjs();
  const yes = (b: boolean) => (b ? "yes" : "NO");
  ctx.out(
    [
      `task ${taskId}: ${report.batches.length} submitted batch${report.batches.length === 1 ? "" : "es"}, ${report.ok ? "all verify" : "PROBLEMS FOUND"}`,
      ...report.batches.map(
        (b) =>
          `  batch ${b.batchIndex} (${b.state}, tx ${b.transaction.slice(0, 10)}…): proof valid ${yes(b.proofValid)}, event = inputs ${yes(b.eventMatchesInputs)}, storage agrees ${yes(b.storageAgrees)}`,
      ),
    ].join("\n"),
    report,
  );
  return report.ok ? EXIT.ok : EXIT.failed;
}

if (process.argv[1] === import.meta.filename) {
  const code = await main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof VaultError && e.status === 0 && e.code !== "unreachable") {
      // The vault sent something that does not check out against the chain: not the user's input.
      e.message = `the vault's answer failed a check: ${e.message}`;
    }
    // RangeError: the SDK's refusal of labels that break the rule, or of out-of-range values.
    const input =
      e instanceof InputError || e instanceof SpecError || e instanceof DatasetError || e instanceof RangeError;
    const usage =
      e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"));
    const message = e instanceof Error ? e.message : String(e);
    if (process.argv.includes("--json")) {
      console.log(
        JSON.stringify({ ok: false, error: message, errorName: e instanceof ZkLabelError ? e.errorName : undefined }),
      );
    } else {
      console.error(`zklabel: ${message}`);
    }
    return usage ? EXIT.usage : input ? EXIT.input : EXIT.failed;
  });
  process.exitCode = code;
}
