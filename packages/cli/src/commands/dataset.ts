/**
 * `zklabel dataset build|find|upload|export|verify`: hash items into a manifest of the kind a rule
 * reads, find a file in one, send the items to a vault (resumable); export a task's verified
 * labels as a folder anyone can check against the chain, and check such a folder.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { itemName } from "@zklabel/core/display";
import { errorCode } from "@zklabel/core/errors";
import { DATASET_KINDS, kindRule, RULES, ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { buildDataset, checkManifest, findItem } from "@zklabel/sdk/dataset";
import { VaultClient } from "@zklabel/sdk/vault";
import {
  buildVerifiedExport,
  type VerifiedFolder,
  type VerifyReport,
  verifyVerifiedExport,
} from "@zklabel/sdk/verified-dataset";
import { type Address, createPublicClient, http } from "viem";
import { type Ctx, connect, EXIT, inputError, readJson, usageError } from "../common.ts";
import { itemSourceOptions, readItems } from "../items.ts";
import { bigWhole, chainOptions, positive, readChainOptions, uploadTokenOption, vaultUrlOption } from "../options.ts";
import { countReporter, seconds } from "../progress.ts";
import { eventsOf, taskRequesterKey, taskView } from "../task-access.ts";
import { DEFAULT_VAULT_URL } from "./vault.ts";

/** What each dataset kind is for, from the rule that reads it. */
const kindHelp = DATASET_KINDS.map((k) => `${k} (${kindRule(k).title.toLowerCase()})`).join(", ");

export function datasetCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const dataset = program.command("dataset").description("datasets: manifests of hashed items, and their upload");

  itemSourceOptions(dataset.command("build"))
    .description("hash items (folder, JSONL or CSV) into a manifest")
    .requiredOption("--out <MANIFEST>", "the manifest file to write")
    .addOption(
      new Option(
        "--kind <KIND>",
        `how items become leaves, by the rule that reads them: ${kindHelp} (default: content)`,
      ).choices(DATASET_KINDS),
    )
    .addOption(
      new Option(
        "--rule <RULE>",
        "the rule the dataset is for: its kind, and its deployed circuit's batch size and depth (polygons read box datasets in batches of 32)",
      ).choices(RULES.map((r) => r.name)),
    )
    .option("--batch-size <N>", "items per batch (default: the rule's or kind's deployed circuit's)", positive)
    .option("--depth <D>", "dataset tree depth (default: the rule's or kind's deployed circuit's)", positive)
    .addHelpText(
      "after",
      "\nBox datasets are images (their sizes go in the manifest); sensor datasets hold one window of readings per item (JSON or CSV).",
    )
    .action(async (o) => {
      const rule = o.rule ? ruleByName(o.rule) : kindRule(o.kind ?? "content");
      if (o.rule && o.kind && o.kind !== rule.datasetKind)
        throw inputError(`${rule.title} read "${rule.datasetKind}" datasets, not "${o.kind}": drop --kind or --rule`);
      const items = await readItems(o);
      const circuit = ruleCircuit(rule);
      const opts = {
        depth: o.depth ?? circuit.params.DEPTH,
        batchSize: o.batchSize ?? circuit.params.N,
        kind: rule.datasetKind,
      };
      let manifest: ReturnType<typeof buildDataset>["manifest"];
      try {
        manifest = buildDataset(items, opts).manifest;
      } catch (e) {
        // A dataset problem keeps its code; a tree that cannot hold the items is the person's input too.
        if (errorCode(e) !== undefined) throw e;
        throw inputError(e instanceof Error ? e.message : String(e));
      }
      await writeFile(o.out, `${JSON.stringify(manifest, null, 2)}\n`);
      ctx.out(`${manifest.count} items, root ${manifest.root}, wrote ${o.out}`, {
        count: manifest.count,
        root: manifest.root,
        manifest: o.out,
      });
    });

  findCommand(dataset, "find", ctx);
  verifiedCommands(dataset, ctx);

  itemSourceOptions(dataset.command("upload").requiredOption("--manifest <MANIFEST>", "the dataset's manifest"))
    .description("send a dataset's items to a vault (resumes after an interruption)")
    .addOption(vaultUrlOption(DEFAULT_VAULT_URL))
    .addOption(uploadTokenOption())
    .addHelpText(
      "after",
      "\nInterrupted? Run the same command again: only the missing items are sent. Nothing is registered\nin the vault until every item has arrived and matched the manifest.",
    )
    .action(async (o) => {
      const { manifest } = checkManifest(await readJson(o.manifest));
      const items = await readItems(o);
      if (items.length !== manifest.count) {
        throw inputError(
          `the source has ${items.length} items but the manifest ${manifest.count}: rebuild the manifest from this source`,
        );
      }
      const url = o.vault ?? DEFAULT_VAULT_URL;
      const started = Date.now();
      const status = await new VaultClient(url, { token: o.uploadToken }).uploadDataset({
        manifest,
        bytesOf: (i) => items[i].bytes,
        sizes: items.map((x) => x.bytes.length),
        onProgress: countReporter("upload"),
      });
      ctx.out(`dataset ${status.root} (${status.count} items) is in the vault at ${url} (${seconds(started)})`, {
        ok: true,
        root: status.root,
        count: status.count,
        vault: url,
      });
    });
}

/** `dataset find` and `audit item`: is this file in the dataset, at which index and batch. */
export function findCommand(parent: CommandUnknownOpts, name: string, ctx: Ctx): void {
  parent
    .command(name)
    .description("is this file in a dataset? (its item, batch and the root it is under)")
    .argument("<FILE>", "the file to look for")
    .requiredOption("--manifest <MANIFEST>", "the dataset's manifest")
    .action(async (file, o) => {
      const { manifest, tree } = checkManifest(await readJson(o.manifest));
      const bytes = await readFile(file).catch(() => {
        throw inputError(`cannot read ${file}`);
      });
      const hit = findItem(manifest, tree, new Uint8Array(bytes));
      if (!hit) {
        ctx.out(`${file} is not in the dataset (root ${manifest.root})`, { found: false, root: manifest.root });
        ctx.exitCode = EXIT.failed;
        return;
      }
      ctx.out(`${file} is ${itemName(hit.index)} ("${hit.name}"), batch ${hit.batch}, under root ${manifest.root}`, {
        found: true,
        ...hit,
        root: manifest.root,
      });
    });
}

/** Every file under `dir`, by path relative to it (forward slashes). */
async function readFolder(dir: string): Promise<VerifiedFolder> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => {
    throw inputError(`cannot read the folder ${dir}`);
  });
  const folder: VerifiedFolder = new Map();
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    folder.set(relative(dir, path).split("\\").join("/"), new Uint8Array(await readFile(path)));
  }
  return folder;
}

const mark = (ok: boolean, skipped?: boolean) => (skipped ? "skip" : ok ? "ok" : "FAIL");

/** The report as a table: one row per batch, one column per check, then the details of what failed. */
export function reportTable(r: VerifyReport): string {
  const lines = [
    `task ${r.taskId} on chain ${r.chainId}, escrow ${r.escrow}: ${r.ok ? "VERIFIED" : "NOT VERIFIED"}`,
    `  chain:      ${mark(r.chain.ok)}  ${r.chain.detail}`,
  ];
  if (r.batches.length) {
    lines.push("", "  batch  commitment  proof  items  transaction");
    for (const b of r.batches) {
      const c = b.checks;
      lines.push(
        `  ${String(b.batchIndex).padEnd(5)}  ${mark(c.commitment.ok).padEnd(10)}  ${mark(c.proof.ok, c.proof.skipped).padEnd(5)}  ${mark(c.items.ok).padEnd(5)}  ${b.transaction}`,
      );
    }
    const failed = r.batches.flatMap((b) => Object.values(b.checks).filter((c) => !c.ok || c.skipped));
    if (failed.length) lines.push("", ...failed.map((c) => `  ${c.ok ? "note" : "FAIL"}: ${c.detail}`));
    lines.push("");
  }
  lines.push(`  batch set:  ${mark(r.batchSet.ok)}  ${r.batchSet.detail}`);
  lines.push(`  completion: ${mark(r.completion.ok)}  ${r.completion.detail}`);
  return lines.join("\n");
}

/** `dataset export` and `dataset verify`: the verifiable labeled dataset of a task. */
function verifiedCommands(dataset: CommandUnknownOpts, ctx: Ctx): void {
  chainOptions(
    dataset
      .command("export")
      .description("requester: write a task's verified labels as a folder anyone can verify against the chain")
      .requiredOption("--task <ID>", "the task", bigWhole)
      .requiredOption("--out <DIR>", "the folder to write (labels.jsonl, README.md, provenance.json, ...)")
      .option("--manifest <MANIFEST>", "the task's dataset manifest (default: the vault's public one)")
      .option("--items <DIR>", "the item files (by manifest name): copied into items/ so their hashes can be checked")
      .option("--key-nonce <N>", "the key nonce `task create` printed (default: the task's metadata's)", bigWhole)
      .option("--license <ID>", "the dataset card's license (a Hugging Face license id)", "other")
      .addHelpText(
        "after",
        `
The export publishes each batch's salt: with it anyone opens the on-chain label commitments, so
the labels become public. Only verified batches are exported (pending and rejected ones are not).`,
      ),
  ).action(async (o) => {
    const c = await connect(o);
    const stored = await c.client.getTask(o.task);
    const { rule, classes, meta, info } = await taskView(c, o.task);
    const skR = await taskRequesterKey(c, o.task, stored.pkR, meta, o.keyNonce);
    let manifest: ReturnType<typeof checkManifest>["manifest"];
    if (o.manifest) manifest = checkManifest(await readJson(o.manifest)).manifest;
    else if (meta?.vault) manifest = (await new VaultClient(meta.vault).manifest(info.datasetRoot)).manifest;
    else throw usageError(`task ${o.task} names no vault: pass its dataset manifest with --manifest`);
    let items: Map<string, Uint8Array> | undefined;
    if (o.items) {
      items = new Map();
      for (const it of manifest.items) {
        const bytes = await readFile(join(o.items, it.name)).catch(() => null);
        if (bytes) items.set(it.name, new Uint8Array(bytes));
      }
      if (items.size === 0) throw inputError(`${o.items} holds none of the manifest's items (by name)`);
    }
    const built = await buildVerifiedExport({
      client: c.client.publicClient,
      chainId: c.deployment.chainId,
      escrow: c.client.escrow,
      taskId: o.task,
      logs: await eventsOf(c).read(),
      skR,
      manifest,
      classes,
      items,
      license: o.license,
    });
    for (const [path, data] of built.folder) {
      await mkdir(dirname(join(o.out, path)), { recursive: true });
      await writeFile(join(o.out, path), data);
    }
    const complete = built.provenance.completion !== null;
    ctx.out(
      [
        `${built.labels} labels of ${built.batches} verified batch${built.batches === 1 ? "" : "es"} of task ${o.task} (${rule.title}) written to ${o.out}`,
        built.excluded.length ? `not exported (pending or rejected): batch ${built.excluded.join(", ")}` : "",
        complete ? "" : `task ${o.task} is not complete on the chain yet: \`dataset verify\` will say so`,
        "NOTE: the export publishes the salts, so the labels are now public to anyone who has the folder.",
      ]
        .filter(Boolean)
        .join("\n"),
      {
        ok: true,
        out: o.out,
        labels: built.labels,
        batches: built.batches,
        excluded: built.excluded,
        complete,
        files: [...built.folder.keys()],
        publishesSalts: true,
      },
    );
  });

  readChainOptions(
    dataset
      .command("verify")
      .description("check an exported dataset folder against the chain alone (per batch, per check)")
      .argument("<DIR>", "the exported folder"),
  ).action(async (dir, o) => {
    const folder = await readFolder(dir);
    let client: Parameters<typeof verifyVerifiedExport>[1];
    let expectedEscrow: Address | undefined;
    if (o.rpc && !o.deployment && !o.network) {
      client = createPublicClient({ transport: http(o.rpc) }) as never;
    } else {
      const c = await connect(o, false);
      client = c.client.publicClient as never;
      expectedEscrow = c.client.escrow;
    }
    const report = await verifyVerifiedExport(folder, client, { expectedEscrow });
    ctx.out(reportTable(report), report);
    if (!report.ok) ctx.exitCode = EXIT.failed;
  });
}
