/**
 * `zklabel labels export`: the requester decrypts a task's submitted batches, of any rule, into
 * JSONL or CSV (the rule's columns), or COCO for rules whose labels are boxes.
 */
import { writeFile } from "node:fs/promises";
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { checkManifest } from "@zklabel/sdk/dataset";
import { exportsCoco, labelRows, toCoco, toCsv, toJsonl } from "@zklabel/sdk/export";
import { openSubmittedBatches } from "@zklabel/sdk/open";
import { type Ctx, connect, inputError, readJson } from "../common.ts";
import { bigWhole, chainOptions } from "../options.ts";
import { eventsOf, taskRequesterKey, taskView } from "../task-access.ts";

export function labelsCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const labels = program.command("labels").description("requester: the labels workers submitted");

  chainOptions(
    labels
      .command("export")
      .description("decrypt a task's submitted batches to JSONL, CSV or COCO")
      .requiredOption("--task <ID>", "the task", bigWhole)
      .requiredOption("--manifest <MANIFEST>", "the task's dataset manifest (item names and image sizes)")
      .requiredOption("--out <FILE>", "the file to write")
      .addOption(
        new Option("--format <FORMAT>", "jsonl, csv, or coco (COCO instances, for box labels)")
          .choices(["jsonl", "csv", "coco"] as const)
          .default("jsonl"),
      )
      .option("--key-nonce <N>", "the key nonce `task create` printed (default: the task's metadata's)", bigWhole)
      .addHelpText(
        "after",
        `
Your decryption key is derived from your wallet's signature of a message with the task's key
nonce, which the task's metadata carries; --key-nonce N overrides it (tasks made elsewhere).`,
      ),
  ).action(async (o) => {
    const { manifest } = checkManifest(await readJson(o.manifest));
    const c = await connect(o);
    const stored = await c.client.getTask(o.task);
    const { rule, classes, meta } = await taskView(c, o.task);
    if (o.format === "coco" && !exportsCoco(rule)) {
      throw inputError(`COCO holds bounding boxes; task ${o.task} is a ${rule.noun} task: use --format jsonl or csv`);
    }
    const skR = await taskRequesterKey(c, o.task, stored.pkR, meta, o.keyNonce);
    const size = stored.rule.batchSize;
    const batches = openSubmittedBatches(await eventsOf(c).read(), o.task, skR, size, stored.ruleId);
    const rows = labelRows(rule, batches, size, manifest, classes);
    const text =
      o.format === "coco"
        ? toCoco(rule, batches, size, manifest, classes)
        : o.format === "csv"
          ? toCsv(rows)
          : toJsonl(rows);
    await writeFile(o.out, text);
    ctx.out(`${rows.length} labels from ${batches.length} batches written to ${o.out}`, {
      ok: true,
      labels: rows.length,
      batches: batches.length,
      out: o.out,
    });
  });
}
