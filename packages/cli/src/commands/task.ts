/** `zklabel task create|status|cancel|refund|finalize`: a task's life on the chain. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { taskPhase } from "@zklabel/core/lifecycle";
import { zeroAddress } from "viem";
import { type Connection, type Ctx, connect } from "../common.ts";
import { bigWhole, chainOptions, readChainOptions, wholeList } from "../options.ts";
import { taskCreateCommand } from "./task-create.ts";

const STATES = ["open", "pending", "verified"] as const;
const iso = (s: number | bigint) => new Date(Number(s) * 1000).toISOString();

/** The task's batches with their states and pending submissions, in index order. */
async function batchStates(c: Connection, taskId: bigint) {
  const t = await c.client.getTask(taskId);
  const n = Math.ceil(t.itemCount / t.rule.batchSize);
  const states = [];
  for (let b = 0; b < n; b++) states.push({ batchIndex: b, ...(await c.client.batchState(taskId, b)) });
  return { task: t, states };
}

/** The chain's clock. An idle development node mines no blocks, so its clock stays at the last transaction: mine one to bring it to now. */
async function chainNow(c: Connection): Promise<bigint> {
  const now = (await c.client.publicClient.getBlock()).timestamp;
  if (c.deployment.chainId !== LOCAL_CHAIN_ID || now >= BigInt(Math.floor(Date.now() / 1000))) return now;
  await c.client.publicClient.request({ method: "evm_mine" } as never);
  return (await c.client.publicClient.getBlock()).timestamp;
}

export function taskCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const task = program.command("task").description("create, watch, close and finalize tasks");
  taskCreateCommand(task, ctx);

  readChainOptions(
    task.command("status").description("a task's funds, batches and state").argument("<ID>", "the task", bigWhole),
  ).action(async (id, o) => {
    const c = await connect(o, false);
    const { task: t, states } = await batchStates(c, id);
    const phase = taskPhase(t, Number((await c.client.publicClient.getBlock()).timestamp));
    const batches = states.map((s) => STATES[s.state] ?? "unknown");
    const verified = batches.filter((b) => b === "verified").length;
    const counted = `${verified} of ${batches.length} batch${batches.length === 1 ? "" : "es"} verified`;
    const progress = t.completed
      ? `complete: ${t.verifiedItems} of ${t.itemCount} items verified, final (TaskCompleted)`
      : phase === "closed" && verified > 0 && !batches.includes("pending")
        ? `${counted}; closed, not yet marked complete (zklabel task complete ${id})`
        : counted;
    const when =
      phase === "closing"
        ? `cancelled, closing at ${iso(t.closesAt)} (batches until then are still paid)`
        : t.cancelled
          ? `cancelled, closed at ${iso(t.closesAt)}`
          : `deadline ${iso(t.deadline)}`;
    ctx.out(
      `task ${id}: ${t.itemCount} items in ${batches.length} batch${batches.length === 1 ? "" : "es"} of ${t.rule.batchSize}; ${progress}; ${when}\n` +
        `balance ${t.balance}, reserved ${t.reserved} (${t.token === zeroAddress ? "wei" : `token ${t.token}`})\n` +
        batches.map((s, b) => `  batch ${b}: ${s}`).join("\n"),
      { taskId: id, ...t, phase, batches, complete: t.completed },
    );
  });

  chainOptions(
    task
      .command("complete")
      .description("anyone, once the task is closed with no batch pending: record its verified batches as final")
      .argument("<ID>", "the task", bigWhole)
      .addHelpText(
        "after",
        "\nA task whose every batch is verified is complete already. Export the verified dataset with: zklabel dataset export",
      ),
  ).action(async (id, o) => {
    const { client } = await connect(o);
    const before = await client.getTask(id);
    if (before.completed) {
      ctx.out(`task ${id} is complete already: ${before.verifiedItems} of ${before.itemCount} items verified`, {
        ok: true,
        already: true,
        verifiedItems: before.verifiedItems,
      });
      return;
    }
    const hash = await client.complete(id);
    const t = await client.getTask(id);
    ctx.out(
      `task ${id} is complete: ${t.verifiedItems} of ${t.itemCount} items verified, batches digest ${t.batchesDigest} (tx ${hash})`,
      { ok: true, verifiedItems: t.verifiedItems, itemCount: t.itemCount, batchesDigest: t.batchesDigest, hash },
    );
  });

  chainOptions(
    task
      .command("cancel")
      .description("requester: close the task in one hour (batches submitted until then are still paid)")
      .argument("<ID>", "the task", bigWhole)
      .addHelpText("after", "\nWorkers start no new batches; top-ups stop at once (pending batches still pay)."),
  ).action(async (id, o) => {
    const { client } = await connect(o);
    const hash = await client.cancel(id);
    const t = await client.getTask(id);
    ctx.out(
      `cancelled task ${id}: it closes at ${iso(t.closesAt)}; batches submitted until then are still accepted and paid. Refund the ${t.balance} left after that with: zklabel task refund ${id} (tx ${hash})`,
      { ok: true, closesAt: Number(t.closesAt), balance: t.balance, hash },
    );
  });

  chainOptions(
    task
      .command("refund")
      .description(
        "requester, once the task is closed (after cancel's hour, or the deadline): take back the unreserved funds",
      )
      .argument("<ID>", "the task", bigWhole),
  ).action(async (id, o) => {
    const { client } = await connect(o);
    const before = (await client.getTask(id)).balance;
    const hash = await client.refund(id);
    ctx.out(`refunded task ${id}: ${before} returned (tx ${hash})`, { ok: true, returned: before, hash });
  });

  chainOptions(
    task
      .command("finalize")
      .description("anyone: accept the pending batches whose challenge window has passed")
      .argument("<ID>", "the task", bigWhole)
      .option("--batches <LIST>", "these batches, e.g. 0,1 (default: every one past its window)", wholeList),
  ).action(async (id, o) => {
    const c = await connect(o);
    let wanted = o.batches;
    if (wanted === undefined) {
      const now = await chainNow(c);
      const { task: t, states } = await batchStates(c, id);
      const due = (s: (typeof states)[number]) =>
        s.state === 1 && BigInt(s.pending.submittedAt) + BigInt(t.challengeWindow) <= now;
      wanted = states.filter(due).map((s) => s.batchIndex);
      if (wanted.length === 0) {
        ctx.out(`task ${id} has no pending batch past its challenge window`, { ok: true, finalized: [] });
        return;
      }
    }
    const hash = await c.client.finalize(id, wanted);
    ctx.out(`finalized batch${wanted.length === 1 ? "" : "es"} ${wanted.join(", ")} of task ${id} (tx ${hash})`, {
      ok: true,
      finalized: wanted,
      hash,
    });
  });
}
