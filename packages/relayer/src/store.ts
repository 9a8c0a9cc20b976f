/**
 * The relayer's queue in an embedded SQLite database (node:sqlite). A ticket is written before
 * the relayer answers "queued", and a transaction is written, signed, before it is broadcast, so a
 * crash at any point loses no accepted proof and never sends one twice: on restart the relayer
 * looks up the receipts of the transactions it recorded and rebroadcasts those the chain has not seen.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Ticket, TicketStatus } from "@zklabel/sdk/relayer";

/** A ticket as stored: the API's view plus what the relayer needs to submit it. */
export interface StoredTicket extends Ticket {
  proof: string[];
  publicInputs: string[];
  attempts: number;
}

/** A transaction the relayer signed: broadcast, or about to be. */
export interface StoredTx {
  hash: string;
  raw: string;
  nonce: number;
  ticketIds: string[];
  sentAt: number;
}

interface TicketRow {
  id: string;
  task_id: string;
  batch_index: number;
  proof: string;
  inputs: string;
  status: string;
  reason: string | null;
  code: string | null;
  tx_hash: string | null;
  finalizes_at: number | null;
  attempts: number;
  created_at: number;
  updated_at: number;
}

const toTicket = (r: TicketRow): StoredTicket => ({
  id: r.id,
  taskId: r.task_id,
  batchIndex: r.batch_index,
  status: r.status as TicketStatus,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.code ? { code: r.code } : {}),
  ...(r.tx_hash ? { txHash: r.tx_hash } : {}),
  ...(r.finalizes_at !== null ? { finalizesAt: r.finalizes_at } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  proof: JSON.parse(r.proof),
  publicInputs: JSON.parse(r.inputs),
  attempts: r.attempts,
});

/** The relayer's tickets and transactions. `path` ":memory:" keeps them in memory (tests only). */
export class RelayerStore {
  private readonly db: DatabaseSync;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS tickets (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        batch_index INTEGER NOT NULL,
        proof TEXT NOT NULL,
        inputs TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        code TEXT,
        tx_hash TEXT,
        finalizes_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS tickets_status ON tickets (status, task_id);
      CREATE INDEX IF NOT EXISTS tickets_batch ON tickets (task_id, batch_index);
      CREATE TABLE IF NOT EXISTS txs (
        hash TEXT PRIMARY KEY,
        raw TEXT NOT NULL,
        nonce INTEGER NOT NULL,
        ticket_ids TEXT NOT NULL,
        sent_at INTEGER NOT NULL
      );
    `);
  }

  ticket(id: string): StoredTicket | null {
    const r = this.db.prepare("SELECT * FROM tickets WHERE id = ?").get(id) as TicketRow | undefined;
    return r ? toTicket(r) : null;
  }

  /** The live (queued or submitted) ticket of a batch, if any. */
  liveTicketOf(taskId: string, batchIndex: number): StoredTicket | null {
    const r = this.db
      .prepare("SELECT * FROM tickets WHERE task_id = ? AND batch_index = ? AND status IN ('queued', 'submitted')")
      .get(taskId, batchIndex) as TicketRow | undefined;
    return r ? toTicket(r) : null;
  }

  withStatus(status: TicketStatus): StoredTicket[] {
    const rows = this.db
      .prepare("SELECT * FROM tickets WHERE status = ? ORDER BY created_at, id")
      .all(status) as unknown as TicketRow[];
    return rows.map(toTicket);
  }

  count(status: TicketStatus): number {
    return Number(
      (this.db.prepare("SELECT COUNT(*) AS n FROM tickets WHERE status = ?").get(status) as { n: number }).n,
    );
  }

  insert(t: StoredTicket): void {
    this.db
      .prepare(
        `INSERT INTO tickets (id, task_id, batch_index, proof, inputs, status, reason, code, tx_hash, finalizes_at, attempts, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, 0, ?, ?)`,
      )
      .run(
        t.id,
        t.taskId,
        t.batchIndex,
        JSON.stringify(t.proof),
        JSON.stringify(t.publicInputs),
        t.status,
        t.createdAt,
        t.updatedAt,
      );
  }

  /** Moves a ticket on; `fields` that are left out keep their value. */
  update(
    id: string,
    status: TicketStatus,
    fields: { reason?: string; code?: string; txHash?: string | null; finalizesAt?: number; attempts?: number } = {},
  ): void {
    const t = this.ticket(id);
    if (!t) return;
    this.db
      .prepare(
        "UPDATE tickets SET status = ?, reason = ?, code = ?, tx_hash = ?, finalizes_at = ?, attempts = ?, updated_at = ? WHERE id = ?",
      )
      .run(
        status,
        fields.reason ?? t.reason ?? null,
        fields.code ?? t.code ?? null,
        fields.txHash === null ? null : (fields.txHash ?? t.txHash ?? null),
        fields.finalizesAt ?? t.finalizesAt ?? null,
        fields.attempts ?? t.attempts,
        Date.now(),
        id,
      );
  }

  /** Records a signed transaction and marks its tickets submitted, in one step. */
  recordTx(tx: StoredTx): void {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      this.db
        .prepare("INSERT INTO txs (hash, raw, nonce, ticket_ids, sent_at) VALUES (?, ?, ?, ?, ?)")
        .run(tx.hash, tx.raw, tx.nonce, JSON.stringify(tx.ticketIds), tx.sentAt);
      const now = Date.now();
      const mark = this.db.prepare("UPDATE tickets SET status = 'submitted', tx_hash = ?, updated_at = ? WHERE id = ?");
      for (const id of tx.ticketIds) mark.run(tx.hash, now, id);
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Transactions whose outcome has not been applied yet. */
  openTxs(): StoredTx[] {
    const rows = this.db.prepare("SELECT * FROM txs ORDER BY nonce").all() as unknown as {
      hash: string;
      raw: string;
      nonce: number;
      ticket_ids: string;
      sent_at: number;
    }[];
    return rows.map((r) => ({
      hash: r.hash,
      raw: r.raw,
      nonce: r.nonce,
      ticketIds: JSON.parse(r.ticket_ids),
      sentAt: r.sent_at,
    }));
  }

  dropTx(hash: string): void {
    this.db.prepare("DELETE FROM txs WHERE hash = ?").run(hash);
  }

  close(): void {
    this.db.close();
  }
}
