/**
 * The escrow's task events into the tables of ponder.schema.ts. Batch states and counts follow
 * tasksFromLogs (apps/web/src/lib/task-views.ts) step by step, so both sources show the same numbers:
 * a submission makes an open batch pending, a verification makes it verified, a rejection reopens it.
 */

import { ponder } from "ponder:registry";
import { batch, escrowEvent, task } from "ponder:schema";
import { argsToJson } from "@zklabel/sdk/log-json";
import { getAddress } from "viem";

type Ctx = Parameters<Parameters<typeof ponder.on<"Escrow:TaskFunded">>[1]>[0]["context"];
interface AnyEvent {
  args: Record<string, unknown>;
  log: { logIndex: number };
  block: { number: bigint; hash: `0x${string}`; timestamp: bigint };
  transaction: { hash: `0x${string}`; transactionIndex: number };
}

/** Ponder hands addresses in lower case; viem's decoder (the direct reader) checksums them. */
function checksummed(v: unknown): unknown {
  if (typeof v === "string" && /^0x[0-9a-f]{40}$/.test(v)) return getAddress(v);
  if (Array.isArray(v)) return v.map(checksummed);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, checksummed(x)]));
  return v;
}

/** Every task event, as the direct reader decodes it (the ciphertext included: the batch page shows it and verifies the proof over it). */
async function record(name: string, event: AnyEvent, context: Ctx) {
  await context.db.insert(escrowEvent).values({
    id: `${event.block.number}-${event.log.logIndex}`,
    taskId: event.args.taskId as bigint,
    eventName: name,
    blockNumber: event.block.number,
    blockHash: event.block.hash,
    timestamp: event.block.timestamp,
    logIndex: event.log.logIndex,
    transactionHash: event.transaction.hash,
    transactionIndex: event.transaction.transactionIndex,
    args: argsToJson(checksummed(event.args) as Record<string, unknown>),
  });
}

type BatchState = "open" | "pending" | "verified";

/** Moves a batch to `to`, keeping its task's counts; null when the task or batch does not exist. */
async function moveBatch(
  context: Ctx,
  taskId: bigint,
  batchIndex: bigint,
  to: (from: BatchState) => BatchState,
  fields: Partial<typeof batch.$inferInsert> & { submissions?: number; rejections?: number },
) {
  const t = await context.db.find(task, { id: taskId });
  if (!t || batchIndex >= BigInt(t.batchCount)) return;
  const index = Number(batchIndex);
  const old = await context.db.find(batch, { taskId, batchIndex: index });
  const from = (old?.state ?? "open") as BatchState;
  const next = to(from);
  await context.db
    .insert(batch)
    .values({ taskId, batchIndex: index, state: next, submissions: 0, rejections: 0, ...fields })
    .onConflictDoUpdate({ ...fields, state: next });
  if (from === next) return;
  const items = Math.min(t.batchSize, t.itemCount - index * t.batchSize);
  const delta = (s: BatchState) => (next === s ? 1 : 0) - (from === s ? 1 : 0);
  await context.db.update(task, { id: taskId }).set((row) => ({
    verifiedBatches: row.verifiedBatches + delta("verified"),
    pendingBatches: row.pendingBatches + delta("pending"),
    verifiedItems: row.verifiedItems + delta("verified") * items,
  }));
}

ponder.on("Escrow:TaskCreated", async ({ event, context }) => {
  await record("TaskCreated", event as unknown as AnyEvent, context);
  const p = event.args.params;
  const itemCount = Number(p.itemCount);
  const batchSize = Number(event.args.rule.batchSize);
  await context.db.insert(task).values({
    id: event.args.taskId,
    requester: event.args.requester,
    token: event.args.token,
    ruleId: Number(p.ruleId),
    itemCount,
    batchSize,
    batchCount: Math.ceil(itemCount / batchSize),
    deadline: BigInt(p.deadline),
    rewardPerItem: p.rewardPerItem,
    datasetRoot: p.datasetRoot,
    createdBlock: event.block.number,
    createdTx: event.transaction.hash,
    funded: 0n,
    refunded: 0n,
    spent: 0n,
    cancelled: false,
    closesAt: BigInt(p.deadline),
    submissions: 0,
    verifiedBatches: 0,
    pendingBatches: 0,
    rejections: 0,
    verifiedItems: 0,
  });
});

ponder.on("Escrow:TaskFunded", async ({ event, context }) => {
  await record("TaskFunded", event as unknown as AnyEvent, context);
  if (!(await context.db.find(task, { id: event.args.taskId }))) return;
  await context.db.update(task, { id: event.args.taskId }).set((row) => ({ funded: row.funded + event.args.amount }));
});

ponder.on("Escrow:TaskRefunded", async ({ event, context }) => {
  await record("TaskRefunded", event as unknown as AnyEvent, context);
  if (!(await context.db.find(task, { id: event.args.taskId }))) return;
  await context.db
    .update(task, { id: event.args.taskId })
    .set((row) => ({ refunded: row.refunded + event.args.amount }));
});

ponder.on("Escrow:TaskCancelled", async ({ event, context }) => {
  await record("TaskCancelled", event as unknown as AnyEvent, context);
  if (!(await context.db.find(task, { id: event.args.taskId }))) return;
  await context.db.update(task, { id: event.args.taskId }).set({ cancelled: true, closesAt: event.args.closesAt });
});

ponder.on("Escrow:BatchSubmitted", async ({ event, context }) => {
  await record("BatchSubmitted", event as unknown as AnyEvent, context);
  const a = event.args;
  if (!(await context.db.find(task, { id: a.taskId }))) return;
  await context.db.update(task, { id: a.taskId }).set((row) => ({ submissions: row.submissions + 1 }));
  const old = await context.db.find(batch, { taskId: a.taskId, batchIndex: Number(a.batchIndex) });
  await moveBatch(context, a.taskId, a.batchIndex, (from) => (from === "open" ? "pending" : from), {
    submissions: (old?.submissions ?? 0) + 1,
    recipient: a.recipient,
    relayer: a.relayer,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    labelsCommitment: a.labelsCommitment,
    nullifier: a.nullifier,
    finalizesAt: a.finalizesAt,
  });
});

ponder.on("Escrow:BatchVerified", async ({ event, context }) => {
  await record("BatchVerified", event as unknown as AnyEvent, context);
  const a = event.args;
  if (!(await context.db.find(task, { id: a.taskId }))) return;
  await context.db
    .update(task, { id: a.taskId })
    .set((row) => ({ spent: row.spent + a.recipientAmount + a.relayerAmount }));
  await moveBatch(context, a.taskId, a.batchIndex, () => "verified", {
    verifiedTx: event.transaction.hash,
    verifiedBlock: event.block.number,
  });
});

ponder.on("Escrow:BatchRejected", async ({ event, context }) => {
  await record("BatchRejected", event as unknown as AnyEvent, context);
  const a = event.args;
  const t = await context.db.find(task, { id: a.taskId });
  if (!t || a.batchIndex >= BigInt(t.batchCount)) return;
  await context.db.update(task, { id: a.taskId }).set((row) => ({ rejections: row.rejections + 1 }));
  const old = await context.db.find(batch, { taskId: a.taskId, batchIndex: Number(a.batchIndex) });
  await moveBatch(context, a.taskId, a.batchIndex, () => "open", {
    rejections: (old?.rejections ?? 0) + 1,
    finalizesAt: null,
  });
});

ponder.on("Escrow:BatchSkipped", async ({ event, context }) => {
  await record("BatchSkipped", event as unknown as AnyEvent, context);
});

// The list reads it with the task's creation (apps/web/src/lib/indexed.ts): a complete task reads "complete".
ponder.on("Escrow:TaskCompleted", async ({ event, context }) => {
  await record("TaskCompleted", event as unknown as AnyEvent, context);
});
