/**
 * What the requester keeps in this browser (IndexedDB): dataset manifests with their file names,
 * keyed by dataset root, so labels can be exported with names; and the secret gold openings,
 * keyed by chain, escrow and gold root (and by task once the task exists), which a rejection of
 * a bad batch will need. Nothing here is sent anywhere.
 */
import type { Manifest } from "@zklabel/sdk/dataset";
import { manifestSchema } from "@zklabel/sdk/dataset";
import type { GoldOpenings } from "@zklabel/sdk/gold";

const DB_NAME = "zklabel-requester";
const STORE = "kv";

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === "undefined") {
      reject(new Error("this browser has no IndexedDB storage (a private window may disable it)"));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`the browser refused its storage: ${req.error?.message ?? "unknown reason"}`));
    req.onblocked = () => reject(new Error("the browser's storage is blocked by another tab of this app: close it"));
  });
  dbPromise.catch(() => {
    dbPromise = null;
  });
  return dbPromise;
}

/** Reads one stored value (undefined when absent). */
export async function storeGet<T>(key: string): Promise<T | undefined> {
  const db = await openDb();
  return new Promise<T | undefined>((resolve, reject) => {
    const req = db.transaction(STORE, "readonly").objectStore(STORE).get(key);
    req.onsuccess = () => resolve(req.result as T | undefined);
    req.onerror = () => reject(new Error(`reading ${key} from the browser's storage failed`));
  });
}

/** Writes one value (replacing what was there). */
export async function storePut(key: string, value: unknown): Promise<void> {
  const db = await openDb();
  return new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () =>
      reject(new Error(`the browser's storage refused to keep ${key}: ${tx.error?.message ?? "it may be full"}`));
    tx.onabort = () =>
      reject(new Error(`the browser's storage refused to keep ${key}: ${tx.error?.message ?? "it may be full"}`));
  });
}

/** A field element as the manifest writes it (lowercase hex, no leading zeros). */
const hexKey = (x: bigint) => `0x${x.toString(16)}`;

/** Keeps a manifest (with the file names) under its dataset root. */
export function saveManifest(manifest: Manifest): Promise<void> {
  return storePut(`manifest:${hexKey(BigInt(manifest.root))}`, manifest);
}

/** The manifest of dataset `root` kept in this browser, or null when there is none (or it does not match). */
export async function loadManifest(root: bigint): Promise<Manifest | null> {
  const raw = await storeGet<unknown>(`manifest:${hexKey(root)}`);
  if (raw === undefined) return null;
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success || BigInt(parsed.data.root) !== root) return null;
  return parsed.data;
}

/** The gold openings file: enough to open the task's goldRoot later (keep it secret). */
export interface GoldRecord {
  kind: "zklabel-gold-openings";
  version: 1;
  chainId: number;
  escrow: string;
  /** Set once the task exists. */
  taskId?: string;
  datasetRoot: string;
  classes: string[];
  minAccuracy: number;
  openings: GoldOpenings;
}

const goldKey = (chainId: number, escrow: string, goldRoot: bigint) =>
  `gold:${chainId}:${escrow.toLowerCase()}:${hexKey(goldRoot)}`;
const taskGoldKey = (chainId: number, escrow: string, taskId: bigint) =>
  `gold-task:${chainId}:${escrow.toLowerCase()}:${taskId}`;

/** Keeps gold openings under their gold root, and under the task when `record.taskId` is set. */
export async function saveGold(record: GoldRecord): Promise<void> {
  const root = BigInt(record.openings.goldRoot);
  await storePut(goldKey(record.chainId, record.escrow, root), record);
  if (record.taskId !== undefined)
    await storePut(taskGoldKey(record.chainId, record.escrow, BigInt(record.taskId)), record);
}

/** The gold openings of a task kept in this browser (by task, else by its gold root), or null. */
export async function loadGold(
  chainId: number,
  escrow: string,
  taskId: bigint,
  goldRoot: bigint,
): Promise<GoldRecord | null> {
  const byTask = await storeGet<GoldRecord>(taskGoldKey(chainId, escrow, taskId));
  if (byTask && BigInt(byTask.openings.goldRoot) === goldRoot) return byTask;
  const byRoot = await storeGet<GoldRecord>(goldKey(chainId, escrow, goldRoot));
  return byRoot ? { ...byRoot, taskId: taskId.toString() } : null;
}
