/**
 * `zklabel work`: the labeling agent. Loops over the task's open batches (in random order, so two
 * workers rarely collide), downloads each anonymously, asks the labeler, proves and submits, for
 * a task of any rule. Labels that break the task's rule stop it before any proof, with nothing
 * submitted for that batch. By default each batch goes through the relayer to a fresh payee
 * derived from the identity (core/payee), so the worker needs no ETH and no address of its own
 * appears on-chain; --direct submits from the signing account instead.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { errorCode, type RuleViolationError, ZkLabelError } from "@zklabel/core/errors";
import { randomField } from "@zklabel/core/field";
import { batchNullifier } from "@zklabel/core/identity";
import { payeeAddress } from "@zklabel/core/payee";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { proveBatch } from "@zklabel/sdk/prove";
import { RelayerClient, type RelayerInfo } from "@zklabel/sdk/relayer";
import type { FetchedBatch } from "@zklabel/sdk/vault";
import type { Address } from "viem";
import { type Ctx, inputError, loadIdentity, log } from "../common.ts";
import { type AgentTask, agentItem, agentParams, askLabeler, type Labeler, labelsOf, loadLabeler } from "../labeler.ts";
import { bigWhole, chainOptions, identityFileOption, payee, vaultUrlOption, whole } from "../options.ts";
import { stageReporter } from "../progress.ts";
import { fetchBatch, ruleArtifacts, type WorkerTask, workerTask } from "../task-access.ts";

const HELP = `
The labeler module exports
  label(item, task)         -> one label per item, or
  labelBatch(items, task)   -> a list of them, per batch (or a default function like label).
A label is a class name or number (classification, sensor: "normal" or "anomaly"), or for
bounding-box tasks a box {class, x, y, w, h} in whole image pixels (class a name or number), or
for a rule made with the rule authoring kit an object of its label fields (entity spans:
{start, end, kind}, enum values by name or number).
item = { index, name, type, bytes, text, readings (sensor windows), width, height (images), fields (kit rules) }
task = { taskId, batchIndex, title, instructions, rule, classes, params }
A label that breaks the rule stops the loop before proving: nothing is submitted for that batch.

Each batch is handed to the relayer (--relayer, default the deployment's relayerUrl), which pays
the gas and keeps the fee the proof binds (--relayer-fee, default its minimum). The pay goes to a
fresh address per batch derived from your identity (withdraw it with \`zklabel withdraw
--task ID\`), or to --to. --direct submits from the signing account (--account or
ZKLABEL_PRIVATE_KEY), which links your batches to that account on-chain.`;

/** A batch another worker got to first: the vault's refusal of a download, or the escrow's of a submission. */
const takenAtDownload = (e: unknown) =>
  errorCode(e) === "vault_refused" && (e as { reason?: string }).reason === "batch_taken";
const takenAtSubmit = (e: unknown) =>
  errorCode(e) === "contract_reverted" &&
  ["BatchAlreadyAccepted", "BatchIsPending"].includes((e as { errorName?: string }).errorName ?? "");

/**
 * The labeler's fault, in words that say nothing was submitted for this batch: answers that are
 * no labels of the task (code invalid_input), or labels that break its rule (rule_violation, at
 * most five issues shown). Any other failure passes unchanged.
 */
function labelerFault(e: unknown, code: "invalid_input" | "rule_violation", earlier: number): unknown {
  if (errorCode(e) !== code) return e;
  const problems =
    code === "rule_violation" ? (e as RuleViolationError).issues.map((i) => i.message) : [(e as Error).message];
  const shown = problems.slice(0, 5).join("; ") + (problems.length > 5 ? `; and ${problems.length - 5} more` : "");
  const what =
    code === "rule_violation"
      ? "broke the task's rules, so no proof can exist"
      : "gave answers that are not labels of this task";
  return new ZkLabelError(
    code,
    `your labeler ${what} and nothing was submitted for this batch (${earlier} earlier batch${earlier === 1 ? "" : "es"} were): ${shown}`,
    { cause: e },
  );
}

export function workCommand(program: CommandUnknownOpts, ctx: Ctx): void {
  chainOptions(
    program
      .command("work")
      .description("the labeling agent: fetch, label, prove and submit every open batch")
      .requiredOption("--task <ID>", "the task", bigWhole)
      .requiredOption("--labeler <FILE>", "your labeler module, e.g. ./agent.mjs")
      .option("--max-batches <K>", "stop after submitting K batches", whole)
      .option("--to <ADDRESS>", "where the pay goes (default: a fresh address per batch, from your identity)", payee)
      .option("--relayer <URL>", "the relayer to submit through (default: the deployment's relayerUrl)")
      .option("--relayer-fee <BPS>", "the relayer's fee in basis points of the reward (default: its minimum)", whole)
      .option("--direct", "submit from the signing account, without a relayer (links your batches to it)")
      .addOption(vaultUrlOption("the one the task's metadata names"))
      .addOption(identityFileOption())
      .addHelpText("after", HELP),
  ).action(async (o) => {
    const labeler = await loadLabeler(o.labeler);
    const direct = o.direct === true;
    const w = await workerTask(o, o.task, await loadIdentity(o.identityFile), direct);
    const relayerUrl = o.relayer ?? w.deployment.relayerUrl;
    let relayer: { client: RelayerClient; info: RelayerInfo; feeBps: number } | undefined;
    if (!direct) {
      if (!relayerUrl) {
        throw inputError(
          "the deployment names no relayer: pass --relayer URL, or --direct to submit from your own account (it then appears on-chain beside your batches)",
        );
      }
      const client = new RelayerClient(relayerUrl);
      const info = await client.info();
      if (info.chainId !== w.deployment.chainId || info.escrow.toLowerCase() !== w.client.escrow.toLowerCase()) {
        throw inputError(
          `the relayer at ${relayerUrl} serves escrow ${info.escrow} on chain ${info.chainId}, not this deployment's`,
        );
      }
      const feeBps = o.relayerFee ?? info.minFeeBps;
      if (feeBps < info.minFeeBps) {
        throw inputError(
          `the relayer at ${relayerUrl} takes at least ${info.minFeeBps} basis points; --relayer-fee ${feeBps} is below`,
        );
      }
      relayer = { client, info, feeBps };
      log(`submitting through the relayer ${relayerUrl} (${info.address}, fee ${feeBps} bps)`);
    }
    const payeeOf = (b: number): Address =>
      o.to ??
      (direct
        ? w.account
        : payeeAddress(w.identity, {
            chainId: BigInt(w.deployment.chainId),
            escrow: w.client.escrow,
            taskId: o.task,
            batchIndex: b,
          }));
    const batches = Math.ceil(w.info.itemCount / w.info.batchSize);
    const order = Array.from({ length: batches }, (_, b) => b).sort(() => Math.random() - 0.5);
    const done: { batchIndex: number; items: number; hash: string; payee: Address; status: string }[] = [];
    const skipped: { batchIndex: number; reason: string }[] = [];
    log(
      `task ${o.task}: ${w.meta?.title ?? "(no title)"}; ${batches} batches of ${w.info.batchSize}, ${w.rule.noun} labels, classes ${w.classes.join(", ")}`,
    );
    try {
      for (const b of order) {
        if (done.length >= (o.maxBatches ?? Infinity)) break;
        // A cancelled (closing) task, or one about to close, gets no new batch: labels submitted
        // too late would be shown to everyone unpaid.
        const closing = await w.client.cannotStartBatch(o.task);
        if (closing) {
          log(`stopping: ${closing}`);
          skipped.push({ batchIndex: b, reason: closing });
          break;
        }
        if ((await w.client.batchState(o.task, b)).state !== 0) continue;
        // A batch whose labels from this identity were rejected cannot take them again (the nullifier is spent).
        const nullifier = batchNullifier(w.identity.secretScalar, w.info.taskHash, BigInt(b));
        if (await w.client.isNullifierSpent(nullifier)) {
          skipped.push({ batchIndex: b, reason: "your earlier labels for it were rejected" });
          log(`batch ${b}: your earlier labels for it were rejected (accuracy on hidden checks too low); skipping it`);
          continue;
        }
        const fetched = await fetchBatch(w, b).catch((e: unknown) => {
          if (takenAtDownload(e)) return null;
          throw e;
        });
        if (!fetched) {
          skipped.push({ batchIndex: b, reason: "taken by another worker" });
          continue;
        }
        const to = payeeOf(b);
        const proof = await labelAndProve(w, labeler, fetched, to, done.length, relayer?.feeBps ?? 0);
        if (relayer) {
          const ticket = await relayer.client
            .submit({ taskId: o.task, batchIndex: b, proof: proof.proof, publicInputs: proof.publicSignals })
            .catch((e: unknown) => {
              if ((e as { refusal?: string }).refusal === "batch_taken") return null;
              throw e;
            });
          const t =
            ticket && (await relayer.client.wait(ticket.id, { onStatus: (x) => log(`batch ${b}: ${x.status}`) }));
          if (!t || t.status === "refused") {
            if (t && t.code !== "batch_taken")
              throw new ZkLabelError("relayer_refused", `the relayer refused batch ${b}: ${t.reason}`);
            skipped.push({ batchIndex: b, reason: "submitted by another worker first" });
            log(`batch ${b}: another worker submitted it first; moving on`);
            continue;
          }
          done.push({ batchIndex: b, items: fetched.items.length, hash: t.txHash ?? "", payee: to, status: t.status });
          log(`batch ${b}: ${t.status} (tx ${t.txHash}, pay to ${to})`);
          continue;
        }
        try {
          const hash = await w.client.submitBatch(o.task, b, proof);
          done.push({ batchIndex: b, items: fetched.items.length, hash, payee: to, status: "submitted" });
          log(`batch ${b}: submitted (tx ${hash})`);
        } catch (e) {
          if (!takenAtSubmit(e)) throw e;
          skipped.push({ batchIndex: b, reason: "submitted by another worker first" });
          log(`batch ${b}: another worker submitted it first; moving on`);
        }
      }
    } finally {
      await releaseSnarkjs();
    }
    const items = done.reduce((n, d) => n + d.items, 0);
    const skips = skipped.map((s) => `${s.batchIndex} (${s.reason})`).join(", ");
    ctx.out(
      `submitted ${done.length} batch${done.length === 1 ? "" : "es"} (${items} items) of task ${o.task}${relayer ? " through the relayer" : ""}${skipped.length ? `; skipped ${skips}` : ""}`,
      { ok: true, submitted: done, skipped, items },
    );
  });
}

/** The labeler's answers for one downloaded batch, as the rule's labels, proven (the rule is checked first). */
async function labelAndProve(
  w: WorkerTask,
  labeler: Labeler,
  fetched: FetchedBatch,
  to: Address,
  earlier: number,
  relayerFeeBps: number,
) {
  const b = fetched.batchIndex;
  const task: AgentTask = {
    taskId: w.info.taskId.toString(),
    batchIndex: b,
    title: w.meta?.title,
    instructions: w.meta?.instructions,
    rule: w.rule.name,
    classes: w.classes,
    params: agentParams(w.params),
  };
  const answers = await askLabeler(labeler, fetched.items.map(agentItem), task);
  const first = fetched.items[0]?.index ?? b * w.info.batchSize;
  let labels: unknown[];
  try {
    labels = labelsOf(
      w.rule,
      answers,
      w.classes,
      first,
      fetched.items.map((x) => x.name),
    );
  } catch (e) {
    throw labelerFault(e, "invalid_input", earlier);
  }
  log(`batch ${b}: labeled ${labels.length} items`);
  return proveBatch({
    task: w.info,
    chainId: BigInt(w.deployment.chainId),
    escrow: w.client.escrow,
    batchIndex: b,
    identity: w.identity,
    group: w.group,
    recipient: to,
    relayerFeeBps,
    salt: randomField(),
    artifacts: ruleArtifacts(w.rule),
    onProgress: stageReporter(`batch ${b} proof`),
    dataset: fetched,
    labels,
  }).catch((e: unknown) => {
    throw labelerFault(e, "rule_violation", earlier);
  });
}
