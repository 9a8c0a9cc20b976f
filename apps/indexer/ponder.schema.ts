/**
 * What the auditor's pages read (apps/web/src/lib/indexed.ts): each task with its counts, each batch's
 * current state, and every task event with its decoded arguments (a batch's ciphertext included: the
 * batch page shows it, and the browser verifies the proof over it; the list never reads events).
 */
import { index, onchainTable, onchainView, primaryKey } from "ponder";

/** Every event that names a task, in chain order; `args` is argsToJson's text (@zklabel/sdk/log-json). */
export const escrowEvent = onchainTable(
  "escrow_event",
  (t) => ({
    id: t.text().primaryKey(),
    taskId: t.bigint().notNull(),
    eventName: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    blockHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
    transactionIndex: t.integer().notNull(),
    args: t.text().notNull(),
  }),
  (table) => ({
    byTask: index().on(table.taskId, table.blockNumber, table.logIndex),
    byName: index().on(table.eventName),
  }),
);

/** A task: its TaskCreated fields, funding, status fields and batch counts (as tasksFromLogs counts them). */
export const task = onchainTable("task", (t) => ({
  id: t.bigint().primaryKey(),
  requester: t.hex().notNull(),
  token: t.hex().notNull(),
  ruleId: t.integer().notNull(),
  itemCount: t.integer().notNull(),
  batchSize: t.integer().notNull(),
  batchCount: t.integer().notNull(),
  deadline: t.bigint().notNull(),
  rewardPerItem: t.bigint().notNull(),
  datasetRoot: t.bigint().notNull(),
  createdBlock: t.bigint().notNull(),
  createdTx: t.hex().notNull(),
  funded: t.bigint().notNull(),
  refunded: t.bigint().notNull(),
  spent: t.bigint().notNull(),
  cancelled: t.boolean().notNull(),
  closesAt: t.bigint().notNull(),
  submissions: t.integer().notNull(),
  verifiedBatches: t.integer().notNull(),
  pendingBatches: t.integer().notNull(),
  rejections: t.integer().notNull(),
  verifiedItems: t.integer().notNull(),
}));

/** A batch that has been submitted at least once: its current state and its latest submission. */
export const batch = onchainTable(
  "batch",
  (t) => ({
    taskId: t.bigint().notNull(),
    batchIndex: t.integer().notNull(),
    state: t.text().notNull(),
    submissions: t.integer().notNull(),
    rejections: t.integer().notNull(),
    recipient: t.hex(),
    relayer: t.hex(),
    txHash: t.hex(),
    blockNumber: t.bigint(),
    timestamp: t.bigint(),
    labelsCommitment: t.bigint(),
    nullifier: t.bigint(),
    finalizesAt: t.bigint(),
    verifiedTx: t.hex(),
    verifiedBlock: t.bigint(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.taskId, table.batchIndex] }) }),
);

/**
 * The task table as the app reads it (apps/web/src/lib/indexed.ts reads this view, never `task`).
 * With PGlite, SQL over HTTP runs on the indexer's own (single) database session, and Ponder 0.16
 * flushes more than 20 updated rows of a table through a temporary table of the same name
 * (`CREATE TEMP TABLE IF NOT EXISTS "task"`, emptied after each flush, kept for the session). Temporary
 * tables come first in the search path, so an unqualified `select ... from task` reads that empty
 * table once a historical batch has updated more than 20 tasks, while `zklabel.task` holds every row
 * (and the client middleware refuses schema-qualified names). A view is bound to the real table when
 * it is created and is never written, so no temporary table shadows it.
 */
export const taskView = onchainView("task_view").as((qb) => qb.select().from(task));
