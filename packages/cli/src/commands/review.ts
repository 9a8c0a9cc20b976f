/**
 * `zklabel review`: the requester's review of a gold task's pending batches. Decrypts each pending
 * batch, scores it against the gold openings with the rule's match, and rejects with a proof the
 * batches under the task's minimum accuracy whose window is still open: those named with
 * --reject, or all of them with --auto. A batch not rejected before its window ends is paid.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { rejectCircuit } from "@zklabel/core/rules";
import type { GoldOpenings } from "@zklabel/sdk/gold";
import { proveRejection, type ReviewedBatch, reviewPending } from "@zklabel/sdk/review";
import { type Ctx, connect, inputError, readJson, usageError } from "../common.ts";
import { bigWhole, chainOptions } from "../options.ts";
import { artifactsOf, eventsOf, taskRequesterKey, taskView } from "../task-access.ts";

const batchList = (v: string): number[] => {
  const xs = v.split(",").map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isInteger(x) || x < 0))
    throw usageError(`--reject takes batch numbers like 0,3: got "${v}"`);
  return xs;
};

export function reviewCommand(program: CommandUnknownOpts, ctx: Ctx): void {
  chainOptions(
    program
      .command("review")
      .description("requester: score a gold task's pending batches and reject bad ones with a proof")
      .requiredOption("--task <ID>", "the task", bigWhole)
      .requiredOption("--gold <OPENINGS.json>", "the gold openings `task create --gold` wrote (secret)")
      .option("--reject <BATCHES>", "reject these batches (comma-separated batch numbers)", batchList)
      .option("--auto", "reject every batch under the minimum accuracy whose window is open")
      .option("--bound <PERCENT>", "the accuracy bound to prove (default: the task's minimum accuracy)", (v) =>
        Number(v),
      )
      .option("--key-nonce <N>", "the key nonce `task create` printed (default: the task's metadata's)", bigWhole)
      .addHelpText(
        "after",
        `
A gold task pays a batch once its challenge window ends unless you reject it before: review
within the window. A rejection proves, without showing which items are gold or their answers,
that the batch's accuracy on its gold items is below the bound; the reward returns to the task
and the batch reopens for other workers.`,
      ),
  ).action(async (o) => {
    if (o.auto && o.reject) throw usageError("use either --auto or --reject BATCHES, not both");
    const c = await connect(o, true);
    const stored = await c.client.getTask(o.task);
    const { info, rule, meta } = await taskView(c, o.task);
    if (!rule.gold) throw inputError(`task ${o.task} is a ${rule.noun} task: it has no gold items to review`);
    if (stored.goldRoot === 0n) throw inputError(`task ${o.task} has no gold items: every batch is paid at once`);
    const skR = await taskRequesterKey(c, o.task, stored.pkR, meta, o.keyNonce);
    const openings = (await readJson(o.gold)) as GoldOpenings;
    const now = Number((await c.client.publicClient.getBlock()).timestamp);
    const reviewed = reviewPending({
      logs: await eventsOf(c).read(),
      task: info,
      minAccuracy: stored.minAccuracy,
      goldThreshold: stored.goldThreshold,
      skR,
      openings,
      now,
    });
    const wanted = o.auto
      ? reviewed.filter((b) => b.rejectable)
      : (o.reject ?? []).map((n) => {
          const b = reviewed.find((x) => x.batchIndex === n);
          if (!b) throw inputError(`batch ${n} of task ${o.task} is not pending`);
          if (!b.rejectable) throw inputError(`batch ${n} cannot be rejected: ${b.why}`);
          return b;
        });
    const rejected: { batchIndex: number; hash: string; bound: number }[] = [];
    try {
      await rejectAll();
    } finally {
      // snarkjs keeps its curve's worker threads alive between proofs: release them so the command exits.
      await releaseSnarkjs();
    }
    async function rejectAll() {
      for (const b of wanted) {
        const p = await proveRejection({
          task: info,
          batch: b,
          openings,
          minAccuracy: stored.minAccuracy,
          goldThreshold: stored.goldThreshold,
          artifacts: artifactsOf(rejectCircuit(rule).name),
          bound: o.bound,
        });
        const hash = await c.client.rejectBatch(o.task, b, p);
        rejected.push({ batchIndex: b.batchIndex, hash, bound: p.bound });
      }
    }
    const line = (b: ReviewedBatch) => {
      const score =
        b.accuracy === null ? "no gold item" : `${b.correct} of ${b.gold} gold right (${b.accuracy.toFixed(0)}%)`;
      const left = b.endsAt - now;
      const window = left > 0 ? `window ends in ${left} s` : "window ended: finalize pays it";
      const r = rejected.find((x) => x.batchIndex === b.batchIndex);
      const verdict = r
        ? `REJECTED (tx ${r.hash})`
        : b.rejectable
          ? "under the minimum: can be rejected"
          : `kept: ${b.why}`;
      return `batch ${b.batchIndex} (${b.count} items): ${score}; ${window}; ${verdict}`;
    };
    const human = reviewed.length
      ? [
          `task ${o.task}: ${reviewed.length} pending batch(es), minimum accuracy ${stored.minAccuracy}%`,
          ...reviewed.map(line),
        ].join("\n")
      : `task ${o.task} has no pending batch`;
    ctx.out(human, {
      ok: true,
      task: o.task,
      minAccuracy: stored.minAccuracy,
      pending: reviewed.map((b) => ({
        batchIndex: b.batchIndex,
        count: b.count,
        gold: b.gold,
        correct: b.correct,
        accuracy: b.accuracy,
        endsAt: b.endsAt,
        rejectable: b.rejectable,
        why: b.why,
      })),
      rejected,
    });
  });
}
