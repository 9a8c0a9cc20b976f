/**
 * Where a vault keeps datasets. `VaultStorage` is the interface a production backend (object
 * store + database) implements; `EmbeddedStorage` is the default: item bytes as files named by
 * their content hash, everything else in SQLite (node:sqlite). A dataset is registered in one
 * SQLite transaction once every item has arrived, so a crash leaves either a complete dataset
 * or an unfinished upload, never half of one.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { DatasetKind } from "@zklabel/sdk/dataset";

/** A dataset as the vault registered it. */
export interface StoredDataset {
  root: string;
  /** What the leaves are made of (absent: "content", classification). */
  kind?: DatasetKind;
  depth: number;
  chunk: number;
  batchSize: number;
  count: number;
  createdAt: number;
}

/** One stored item's record. */
export interface StoredItem {
  index: number;
  name: string;
  contentHash: string;
  type: string;
  size: number;
  /** Sensor windows: Poseidon of the readings (hex). */
  leaf?: string;
  /** Box images: pixel size. */
  width?: number;
  height?: number;
}

/** An unfinished upload: the dataset it will register and which items have arrived. */
export interface StoredUpload {
  id: string;
  dataset: Omit<StoredDataset, "createdAt">;
  items: StoredItem[];
  received: Set<number>;
  updatedAt: number;
}

/** The storage a vault needs; every method is atomic. */
export interface VaultStorage {
  /** The upload of `root` if one is under way. */
  findUpload(root: string): Promise<StoredUpload | null>;
  getUpload(id: string): Promise<StoredUpload | null>;
  /** Starts an upload (nothing is visible as a dataset yet). */
  createUpload(dataset: Omit<StoredDataset, "createdAt">, items: StoredItem[]): Promise<StoredUpload>;
  /** Stores one item's bytes (already checked by the caller) for an upload. */
  putUploadItem(id: string, index: number, contentHash: string, bytes: Uint8Array): Promise<void>;
  /** Registers the dataset and ends the upload, in one step. */
  commitUpload(id: string): Promise<StoredDataset>;
  /** Ends an upload and deletes the bytes only it referenced. */
  abortUpload(id: string): Promise<void>;
  /** Uploads untouched since `before` (ms): for expiry. */
  staleUploads(before: number): Promise<string[]>;
  getDataset(root: string): Promise<StoredDataset | null>;
  countDatasets(): Promise<number>;
  /** Item records [from, to) of a dataset. */
  getItems(root: string, from: number, to: number): Promise<StoredItem[]>;
  /** All content hashes of a dataset, in order (to rebuild its tree). */
  getLeaves(root: string): Promise<string[]>;
  /** An item's bytes by content hash. */
  readBlob(contentHash: string): Promise<Uint8Array>;
  close(): void;
}

/** Files + SQLite in one directory: the vault's default storage. */
export class EmbeddedStorage implements VaultStorage {
  readonly dir: string;
  private readonly db: DatabaseSync;

  private constructor(dir: string, db: DatabaseSync) {
    this.dir = dir;
    this.db = db;
  }

  /** Opens (creating if needed) the store in `dir`. */
  static async open(dir: string): Promise<EmbeddedStorage> {
    await mkdir(join(dir, "blobs"), { recursive: true });
    await mkdir(join(dir, "tmp"), { recursive: true });
    const db = new DatabaseSync(join(dir, "vault.sqlite"));
    db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA foreign_keys = ON;
      CREATE TABLE IF NOT EXISTS datasets (
        root TEXT PRIMARY KEY, depth INTEGER NOT NULL, chunk INTEGER NOT NULL,
        batch_size INTEGER NOT NULL, count INTEGER NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS items (
        root TEXT NOT NULL REFERENCES datasets(root), idx INTEGER NOT NULL, name TEXT NOT NULL,
        content_hash TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (root, idx));
      CREATE INDEX IF NOT EXISTS items_hash ON items(content_hash);
      CREATE TABLE IF NOT EXISTS uploads (
        id TEXT PRIMARY KEY, root TEXT NOT NULL UNIQUE, dataset TEXT NOT NULL, items TEXT NOT NULL,
        updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS upload_items (
        upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
        content_hash TEXT NOT NULL, PRIMARY KEY (upload_id, idx));
      CREATE INDEX IF NOT EXISTS upload_items_hash ON upload_items(content_hash);
    `);
    // Stores made before datasets had kinds: add the columns (existing datasets are "content").
    const has = (table: string, column: string) =>
      db
        .prepare(`PRAGMA table_info(${table})`)
        .all()
        .some((r) => r.name === column);
    if (!has("datasets", "kind")) db.exec("ALTER TABLE datasets ADD COLUMN kind TEXT NOT NULL DEFAULT 'content'");
    for (const [c, t] of [
      ["leaf", "TEXT"],
      ["width", "INTEGER"],
      ["height", "INTEGER"],
    ] as const) {
      if (!has("items", c)) db.exec(`ALTER TABLE items ADD COLUMN ${c} ${t}`);
    }
    // Temporary files of writes cut short by a crash.
    await rm(join(dir, "tmp"), { recursive: true, force: true });
    await mkdir(join(dir, "tmp"), { recursive: true });
    return new EmbeddedStorage(dir, db);
  }

  private blobPath(contentHash: string): string {
    const h = contentHash.replace(/^0x/, "").padStart(64, "0");
    return join(this.dir, "blobs", h.slice(0, 2), h);
  }

  private upload(row: Record<string, unknown> | undefined): StoredUpload | null {
    if (!row) return null;
    const id = row.id as string;
    const received = new Set(
      this.db
        .prepare("SELECT idx FROM upload_items WHERE upload_id = ?")
        .all(id)
        .map((r) => Number(r.idx)),
    );
    return {
      id,
      dataset: JSON.parse(row.dataset as string),
      items: JSON.parse(row.items as string),
      received,
      updatedAt: Number(row.updated_at),
    };
  }

  async findUpload(root: string): Promise<StoredUpload | null> {
    return this.upload(this.db.prepare("SELECT * FROM uploads WHERE root = ?").get(root));
  }

  async getUpload(id: string): Promise<StoredUpload | null> {
    return this.upload(this.db.prepare("SELECT * FROM uploads WHERE id = ?").get(id));
  }

  async createUpload(dataset: Omit<StoredDataset, "createdAt">, items: StoredItem[]): Promise<StoredUpload> {
    const id = randomUUID();
    this.db
      .prepare("INSERT INTO uploads (id, root, dataset, items, updated_at) VALUES (?, ?, ?, ?, ?)")
      .run(id, dataset.root, JSON.stringify(dataset), JSON.stringify(items), Date.now());
    return { id, dataset, items, received: new Set(), updatedAt: Date.now() };
  }

  async putUploadItem(id: string, index: number, contentHash: string, bytes: Uint8Array): Promise<void> {
    const path = this.blobPath(contentHash);
    const have = await stat(path).then(
      (s) => s.size === bytes.length,
      () => false,
    );
    if (!have) {
      // Write then rename: a blob file is complete or absent.
      await mkdir(join(path, ".."), { recursive: true });
      const tmp = join(this.dir, "tmp", randomUUID());
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    }
    this.db
      .prepare("INSERT OR REPLACE INTO upload_items (upload_id, idx, content_hash) VALUES (?, ?, ?)")
      .run(id, index, contentHash);
    this.db.prepare("UPDATE uploads SET updated_at = ? WHERE id = ?").run(Date.now(), id);
  }

  async commitUpload(id: string): Promise<StoredDataset> {
    const up = await this.getUpload(id);
    if (!up) throw new Error(`no upload ${id}`);
    const createdAt = Date.now();
    const d = up.dataset;
    this.db.exec("BEGIN IMMEDIATE");
    try {
      this.db
        .prepare(
          "INSERT INTO datasets (root, depth, chunk, batch_size, count, created_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(d.root, d.depth, d.chunk, d.batchSize, d.count, createdAt, d.kind ?? "content");
      const ins = this.db.prepare(
        "INSERT INTO items (root, idx, name, content_hash, type, size, leaf, width, height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      );
      for (const it of up.items)
        ins.run(
          d.root,
          it.index,
          it.name,
          it.contentHash,
          it.type,
          it.size,
          it.leaf ?? null,
          it.width ?? null,
          it.height ?? null,
        );
      this.db.prepare("DELETE FROM uploads WHERE id = ?").run(id);
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
    return { ...d, createdAt };
  }

  async abortUpload(id: string): Promise<void> {
    const hashes = this.db
      .prepare("SELECT content_hash FROM upload_items WHERE upload_id = ?")
      .all(id)
      .map((r) => r.content_hash as string);
    this.db.prepare("DELETE FROM uploads WHERE id = ?").run(id);
    const used = this.db.prepare(
      "SELECT 1 FROM items WHERE content_hash = ? UNION ALL SELECT 1 FROM upload_items WHERE content_hash = ? LIMIT 1",
    );
    for (const h of hashes) {
      if (!used.get(h, h)) await rm(this.blobPath(h), { force: true });
    }
  }

  async staleUploads(before: number): Promise<string[]> {
    return this.db
      .prepare("SELECT id FROM uploads WHERE updated_at < ?")
      .all(before)
      .map((r) => r.id as string);
  }

  async getDataset(root: string): Promise<StoredDataset | null> {
    const r = this.db.prepare("SELECT * FROM datasets WHERE root = ?").get(root);
    if (!r) return null;
    return {
      root: r.root as string,
      depth: Number(r.depth),
      chunk: Number(r.chunk),
      batchSize: Number(r.batch_size),
      count: Number(r.count),
      createdAt: Number(r.created_at),
      kind: (r.kind as DatasetKind | null) ?? "content",
    };
  }

  async countDatasets(): Promise<number> {
    return Number(this.db.prepare("SELECT count(*) AS n FROM datasets").get()?.n ?? 0);
  }

  async getItems(root: string, from: number, to: number): Promise<StoredItem[]> {
    return this.db
      .prepare("SELECT * FROM items WHERE root = ? AND idx >= ? AND idx < ? ORDER BY idx")
      .all(root, from, to)
      .map((r) => ({
        index: Number(r.idx),
        name: r.name as string,
        contentHash: r.content_hash as string,
        type: r.type as string,
        size: Number(r.size),
        ...(r.leaf !== null && r.leaf !== undefined ? { leaf: r.leaf as string } : {}),
        ...(r.width !== null && r.width !== undefined ? { width: Number(r.width), height: Number(r.height) } : {}),
      }));
  }

  async getLeaves(root: string): Promise<string[]> {
    return this.db
      .prepare("SELECT content_hash FROM items WHERE root = ? ORDER BY idx")
      .all(root)
      .map((r) => r.content_hash as string);
  }

  async readBlob(contentHash: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.blobPath(contentHash)));
  }

  close(): void {
    this.db.close();
  }
}
