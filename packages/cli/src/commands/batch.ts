/**
 * `zklabel batch fetch|prove|submit`: a worker's steps one by one, for a task of any rule:
 * download a batch, prove labels for it with the worker's identity, relay the proof.
 */
import { writeFile } from "node:fs/promises";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { randomField } from "@zklabel/core/field";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { checkManifest } from "@zklabel/sdk/dataset";
import { proveBatch } from "@zklabel/sdk/prove";
import { loadBatch, saveBatch } from "../batch-dir.ts";
import { type Ctx, connect, inputError, loadIdentity, readJson, toJson, usageError } from "../common.ts";
import { labelsOf } from "../labeler.ts";
import {
  basisPoints,
  bigWhole,
  chainOptions,
  identityFileOption,
  payee,
  readChainOptions,
  vaultUrlOption,
  whole,
} from "../options.ts";
import { seconds, stageReporter } from "../progress.ts";
import { fetchBatch, memberGroup, ruleArtifacts, taskView, workerTask } from "../task-access.ts";

const PROVE_HELP = `
LABELS.json: the labels of the batch's items, in order, as \`zklabel work\` takes them from a
labeler: class numbers (from 0) or names, e.g. [0, 2, 1, ...] or ["cat", "dog", ...]; for
bounding-box tasks boxes {"class": 0, "x": 10, "y": 20, "w": 40, "h": 30} in image pixels.
The payout goes to --to (default: the signing account); a relayer who submits earns BPS/100 %.`;

export function batchCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const batch = program.command("batch").description("a batch at a time: download, prove, submit");

  readChainOptions(
    batch
      .command("fetch")
      .description("download a batch from the vault as an anonymous group member")
      .requiredOption("--task <ID>", "the task", bigWhole)
      .requiredOption("--batch <B>", "the batch's index", whole)
      .requiredOption("--out <DIR>", "where DIR/items/* and DIR/batch.json go")
      .addOption(vaultUrlOption("the one the task's metadata names"))
      .addOption(identityFileOption())
      .addHelpText("after", "\nThe items are checked against the task's on-chain dataset root."),
  ).action(async (o) => {
    const w = await workerTask(o, o.task, await loadIdentity(o.identityFile), false);
    const fetched = await fetchBatch(w, o.batch).finally(releaseSnarkjs);
    const out = await saveBatch(o.out, o.task, fetched, w.classes);
    ctx.out(
      `fetched ${fetched.items.length} items of batch ${o.batch} (checked against the on-chain root) into ${out}`,
      { ok: true, out, items: fetched.items.length },
    );
  });

  chainOptions(
    batch
      .command("prove")
      .description("prove a batch of labels with your identity (the task's rule is checked first)")
      .requiredOption("--task <ID>", "the task", bigWhole)
      .requiredOption("--batch <B>", "the batch's index", whole)
      .option("--manifest <MANIFEST>", "the task's dataset manifest")
      .option("--batch-dir <DIR>", "or the folder `batch fetch` wrote")
      .requiredOption("--labels <LABELS.json>", "the labels, one per item of the batch")
      .requiredOption("--out <PROOF.json>", "the proof file to write")
      .option("--to <ADDRESS>", "where the pay goes (default: the signing account)", payee)
      .option("--relayer-fee <BPS>", "the relayer's share in basis points", basisPoints, 0)
      .addOption(identityFileOption())
      .addHelpText("after", PROVE_HELP),
  ).action(async (o) => {
    if ((o.manifest === undefined) === (o.batchDir === undefined)) {
      throw usageError("batch prove needs one of --manifest MANIFEST or --batch-dir DIR (from batch fetch)");
    }
    const answers = await readJson(o.labels);
    if (!Array.isArray(answers)) throw inputError(`${o.labels} must be a JSON list of labels, e.g. [0, 2, 1]`);
    const identity = await loadIdentity(o.identityFile);
    const c = await connect(o, o.to === undefined);
    const to = o.to ?? c.account;
    const { info, rule, classes } = await taskView(c, o.task, true);
    const first = o.batch * info.batchSize;
    const count = Math.min(info.batchSize, info.itemCount - first);
    if (count <= 0) throw inputError(`task ${o.task} has no batch ${o.batch}`);
    if (answers.length !== count) {
      throw inputError(`batch ${o.batch} has ${count} items; ${o.labels} has ${answers.length} labels`);
    }
    const dataset = o.manifest
      ? checkManifest(await readJson(o.manifest)).manifest
      : await loadBatch(o.batchDir as string, o.batch, rule);
    const group = await memberGroup(c, o.task, identity);
    const started = Date.now();
    const proof = await proveBatch({
      task: info,
      chainId: BigInt(c.deployment.chainId),
      escrow: c.client.escrow,
      dataset,
      batchIndex: o.batch,
      labels: labelsOf(rule, answers, classes, first),
      identity,
      group,
      recipient: to,
      relayerFeeBps: o.relayerFee,
      salt: randomField(),
      artifacts: ruleArtifacts(rule),
      onProgress: stageReporter(`batch ${o.batch} proof`),
    }).finally(releaseSnarkjs);
    const file = { taskId: o.task, batchIndex: o.batch, proof: proof.proof, publicSignals: proof.publicSignals };
    await writeFile(o.out, `${toJson(file, 2)}\n`);
    ctx.out(`proved batch ${o.batch} of task ${o.task} in ${seconds(started)}; wrote ${o.out}`, {
      ok: true,
      out: o.out,
    });
  });

  chainOptions(
    batch
      .command("submit")
      .description("submit a proof file (you relay it: any account with gas)")
      .argument("<PROOF.json>", "a proof file from `zklabel batch prove`"),
  ).action(async (path, o) => {
    const f = (await readJson(path)) as {
      taskId?: string;
      batchIndex?: number;
      proof?: string[];
      publicSignals?: string[];
    };
    if (!f.taskId || f.batchIndex === undefined || f.proof?.length !== 8 || !Array.isArray(f.publicSignals)) {
      throw inputError(`${path} is not a proof file written by \`zklabel batch prove\``);
    }
    const { client } = await connect(o);
    const hash = await client.submitBatch(BigInt(f.taskId), f.batchIndex, {
      proof: f.proof.map(BigInt),
      publicSignals: f.publicSignals.map(BigInt),
    });
    ctx.out(`submitted batch ${f.batchIndex} of task ${f.taskId} (tx ${hash})`, { ok: true, hash });
  });
}
