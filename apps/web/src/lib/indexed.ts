/**
 * The auditor's list and task page, read through the indexer (apps/indexer, Ponder's SQL over HTTP)
 * when the deployment names one that is up and caught up with the chain, else from the escrow's
 * events directly (the EventReader). Both build the views with the same code (tasksFromLogs): the
 * indexer hands back the task's own events and, for the list, each task's
 * counts as the same rules count them (apps/indexer/src/index.ts). Pure (no React): the app's hooks,
 * scripts/bench-read.ts and the tests call these.
 */
import { createClient, sql } from "@ponder/client";
import type { DecodedLog } from "@zklabel/sdk/events";
import { argsFromJson } from "@zklabel/sdk/log-json";
import type { Address, Hex } from "viem";
import { z } from "zod";
import { summaryOf, type TaskSummary, type TaskView, tasksFromLogs } from "./task-views.ts";

/** The indexer may trail the chain's head by this many blocks and still be read. */
export const MAX_LAG_BLOCKS = 3;
/** How long an indexer request may take before the direct reader takes over (ms). */
export const INDEXER_TIMEOUT_MS = 4000;

/** Where the data came from: the indexer (at its block) or the events directly (and why). */
export type ReadSource =
  | { kind: "indexer"; url: string; indexedBlock: bigint; head: bigint }
  | { kind: "events"; reason: string };

/** The source in words, for the note on the page. */
export function sourceText(s: ReadSource): string {
  return s.kind === "indexer"
    ? `Read through the indexer at ${s.url} (block ${s.indexedBlock}; chain head ${s.head}).`
    : `Read from the escrow's events directly: ${s.reason}.`;
}

const int = z.union([z.number().int(), z.string().regex(/^-?\d+$/), z.bigint()]).transform((v) => BigInt(v));
const hexStr = z.string().regex(/^0x[0-9a-fA-F]*$/);

const eventRow = z.object({
  task_id: int,
  event_name: z.string(),
  block_number: int,
  block_hash: hexStr,
  timestamp: int,
  log_index: z.coerce.number().int(),
  transaction_hash: hexStr,
  transaction_index: z.coerce.number().int(),
  args: z.string(),
});
const taskRow = z.object({
  id: int,
  spent: int,
  submissions: z.coerce.number().int(),
  verified_batches: z.coerce.number().int(),
  pending_batches: z.coerce.number().int(),
  rejections: z.coerce.number().int(),
  verified_items: z.coerce.number().int(),
  batch_count: z.coerce.number().int(),
});
const statusSchema = z.record(
  z.string(),
  z.object({ id: z.number().int(), block: z.object({ number: z.number().int(), timestamp: z.number().int() }) }),
);
const rowsOf = <T extends z.ZodType>(row: T, result: unknown): z.infer<T>[] =>
  z.union([z.array(row), z.object({ rows: z.array(row) }).transform((r) => r.rows)]).parse(result) as z.infer<T>[];

const clients = new Map<string, ReturnType<typeof createClient>>();
function clientOf(url: string) {
  const base = `${url.replace(/\/+$/, "")}/sql`;
  let c = clients.get(base);
  if (!c) {
    c = createClient(base);
    clients.set(base, c);
  }
  return c;
}

function timeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} took over ${INDEXER_TIMEOUT_MS / 1000} s`)),
        INDEXER_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The last block the indexer has indexed on `chainId` (an error when it indexes another chain or does not answer). */
export async function indexedBlock(url: string, chainId: number): Promise<bigint> {
  const status = statusSchema.parse(await timeout(clientOf(url).getStatus(), "the indexer's status"));
  const chain = Object.values(status).find((c) => c.id === chainId);
  if (!chain) throw new Error(`the indexer indexes no chain ${chainId}`);
  return BigInt(chain.block.number);
}

/** An indexed event as the EventReader would have decoded it (no raw data or topics). */
function logOf(r: z.infer<typeof eventRow>, escrow: Address): DecodedLog {
  return {
    address: escrow,
    blockHash: r.block_hash as Hex,
    blockNumber: r.block_number,
    data: "0x",
    logIndex: r.log_index,
    removed: false,
    topics: [],
    transactionHash: r.transaction_hash as Hex,
    transactionIndex: r.transaction_index,
    eventName: r.event_name,
    args: argsFromJson(r.args),
  } as unknown as DecodedLog;
}

const EVENT_COLUMNS = sql.raw(
  "task_id, event_name, block_number, block_hash, timestamp, log_index, transaction_hash, transaction_index, args",
);

/** Every task's list row from the indexer: its creation, funding and cancel events, and its counts. */
export async function readIndexedList(url: string, escrow: Address): Promise<TaskSummary[]> {
  const db = clientOf(url).db;
  const [events, counts] = await timeout(
    Promise.all([
      db.execute(
        sql`select ${EVENT_COLUMNS} from escrow_event where event_name in ('TaskCreated', 'TaskFunded', 'TaskCancelled', 'TaskCompleted') order by block_number, log_index`,
      ),
      // task_view, not task: with PGlite an unqualified `task` can name Ponder's empty flush table (ponder.schema.ts).
      db.execute(
        sql`select id, spent, submissions, verified_batches, pending_batches, rejections, verified_items, batch_count from task_view`,
      ),
    ]),
    "the indexer's task list",
  );
  const logs = rowsOf(eventRow, events).map((r) => logOf(r, escrow));
  const byId = new Map(rowsOf(taskRow, counts).map((r) => [r.id, r]));
  return tasksFromLogs(logs).map((t) => {
    const s = summaryOf(t);
    const c = byId.get(t.id);
    if (!c) throw new Error(`the indexer has task ${t.id}'s creation but not its counts (${byId.size} tasks counted)`);
    if (c.batch_count !== s.batchCount) throw new Error(`the indexer counts task ${t.id}'s batches differently`);
    return {
      ...s,
      spent: c.spent,
      submissions: c.submissions,
      verifiedBatches: c.verified_batches,
      pendingBatches: c.pending_batches,
      verifiedItems: c.verified_items,
      rejected: c.rejections,
    };
  });
}

/** One task's events from the indexer, in chain order, and their blocks' times (unix seconds). */
export async function readIndexedTaskLogs(
  url: string,
  escrow: Address,
  id: bigint,
): Promise<{ logs: DecodedLog[]; blockTimes: Map<bigint, number> }> {
  const result = await timeout(
    clientOf(url).db.execute(
      sql`select ${EVENT_COLUMNS} from escrow_event where task_id = ${id.toString()} order by block_number, log_index`,
    ),
    `the indexer's task ${id}`,
  );
  const rows = rowsOf(eventRow, result);
  return {
    logs: rows.map((r) => logOf(r, escrow)),
    blockTimes: new Map(rows.map((r) => [r.block_number, Number(r.timestamp)])),
  };
}

/** One task from the indexer, built as tasksFromLogs builds it (null when it does not exist). */
export async function readIndexedTask(url: string, escrow: Address, id: bigint) {
  const { logs, blockTimes } = await readIndexedTaskLogs(url, escrow, id);
  return { task: tasksFromLogs(logs).find((t) => t.id === id) ?? null, blockTimes };
}

/** What the audit readers need: the deployment's indexer (if any), the chain's head, and the direct reader. */
export interface AuditSources {
  indexerUrl?: string;
  chainId: number;
  escrow: Address;
  /** The chain's latest block number (uncached). */
  head: () => Promise<bigint>;
  /** Every escrow event so far (the EventReader's read()). */
  events: () => Promise<readonly DecodedLog[]>;
}

/** The indexer when it answers for this chain within MAX_LAG_BLOCKS of the head, else why not. */
export async function chooseSource(o: AuditSources): Promise<ReadSource> {
  if (!o.indexerUrl) return { kind: "events", reason: "this deployment names no indexer" };
  try {
    const [indexed, head] = await Promise.all([indexedBlock(o.indexerUrl, o.chainId), o.head()]);
    if (head - indexed > BigInt(MAX_LAG_BLOCKS))
      return { kind: "events", reason: `the indexer is at block ${indexed}, ${head - indexed} behind the chain` };
    return { kind: "indexer", url: o.indexerUrl, indexedBlock: indexed, head };
  } catch (e) {
    return { kind: "events", reason: `the indexer did not answer (${e instanceof Error ? e.message : String(e)})` };
  }
}

const fellBack = (e: unknown): ReadSource => ({
  kind: "events",
  reason: `reading the indexer failed (${e instanceof Error ? e.message : String(e)})`,
});

/** The auditor's list (/audit), newest first, and where it was read. */
export async function readAuditList(o: AuditSources): Promise<{ tasks: TaskSummary[]; source: ReadSource }> {
  let source = await chooseSource(o);
  if (source.kind === "indexer") {
    try {
      return { tasks: await readIndexedList(source.url, o.escrow), source };
    } catch (e) {
      source = fellBack(e);
    }
  }
  return { tasks: tasksFromLogs(await o.events()).map(summaryOf), source };
}

/** One task's page (/audit/<id>): the task (null when there is none), the block times the indexer knows, and where it was read. */
export async function readAuditTask(
  o: AuditSources,
  id: bigint,
): Promise<{ task: TaskView | null; blockTimes: Map<bigint, number>; source: ReadSource }> {
  let source = await chooseSource(o);
  if (source.kind === "indexer") {
    try {
      return { ...(await readIndexedTask(source.url, o.escrow, id)), source };
    } catch (e) {
      source = fellBack(e);
    }
  }
  const task = tasksFromLogs(await o.events()).find((t) => t.id === id) ?? null;
  return { task, blockTimes: new Map(), source };
}
