/**
 * `zklabel dataset build|find|upload`: hash items into a manifest of the kind a rule reads, find
 * a file in one, and send the items to a vault (resumable).
 */
import { readFile, writeFile } from "node:fs/promises";
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { itemName } from "@zklabel/core/display";
import { errorCode } from "@zklabel/core/errors";
import { DATASET_KINDS, kindRule, RULES, ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { buildDataset, checkManifest, findItem } from "@zklabel/sdk/dataset";
import { VaultClient } from "@zklabel/sdk/vault";
import { type Ctx, EXIT, inputError, readJson } from "../common.ts";
import { itemSourceOptions, readItems } from "../items.ts";
import { positive, uploadTokenOption, vaultUrlOption } from "../options.ts";
import { countReporter, seconds } from "../progress.ts";
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
