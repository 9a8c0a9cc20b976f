/**
 * The folder `batch fetch` writes and `batch prove --batch-dir` reads: the batch's items as files
 * and batch.json, with the slice of the dataset tree a proof needs.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { BatchSlice } from "@zklabel/core/merkle";
import type { AnyRule, ItemFacts } from "@zklabel/core/rules";
import type { FetchedBatch } from "@zklabel/sdk/vault";
import { inputError, readJson } from "./common.ts";

const hex = (x: bigint) => `0x${x.toString(16)}`;

/** Writes DIR/items/* and DIR/batch.json; returns the folder's absolute path. */
export async function saveBatch(
  dir: string,
  taskId: bigint,
  fetched: FetchedBatch,
  classes: readonly string[],
): Promise<string> {
  const out = resolve(dir);
  await mkdir(join(out, "items"), { recursive: true });
  const files: string[] = [];
  for (const it of fetched.items) {
    const file = `${String(it.index).padStart(7, "0")}-${basename(it.name) || "item"}`;
    await writeFile(join(out, "items", file), it.bytes);
    files.push(file);
  }
  const s = fetched.slice;
  const batch = {
    taskId: taskId.toString(),
    batchIndex: fetched.batchIndex,
    datasetRoot: hex(s.root),
    depth: s.depth,
    chunk: s.chunk,
    itemCount: s.size,
    leaves: s.leaves.map(hex),
    path: s.path.map(hex),
    items: fetched.items.map((it, i) => ({ index: it.index, name: it.name, type: it.type, file: `items/${files[i]}` })),
    classes,
  };
  await writeFile(join(out, "batch.json"), `${JSON.stringify(batch, null, 2)}\n`);
  return out;
}

interface SavedBatch {
  batchIndex?: number;
  datasetRoot?: string;
  depth?: number;
  chunk?: number;
  itemCount?: number;
  leaves?: string[];
  path?: string[];
  items?: { name?: string; type?: string; file?: string }[];
}

/** The slice and the items' facts (read again from the item files, by the task's rule) of a saved batch. */
export async function loadBatch(
  dir: string,
  batchIndex: number,
  rule: AnyRule,
): Promise<{ slice: BatchSlice; items: ItemFacts[] }> {
  const file = join(dir, "batch.json");
  const b = (await readJson(file)) as SavedBatch;
  const ok = b.batchIndex === batchIndex && b.datasetRoot && Array.isArray(b.leaves) && Array.isArray(b.path);
  if (!ok || !Array.isArray(b.items)) {
    throw inputError(`${file} is not batch ${batchIndex} as \`zklabel batch fetch\` writes it`);
  }
  let slice: BatchSlice;
  try {
    slice = new BatchSlice({
      depth: Number(b.depth),
      chunk: Number(b.chunk),
      size: Number(b.itemCount),
      root: BigInt(b.datasetRoot as string),
      batchIndex,
      leaves: (b.leaves as string[]).map(BigInt),
      path: (b.path as string[]).map(BigInt),
    });
  } catch (e) {
    throw inputError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const items: ItemFacts[] = [];
  for (const it of b.items) {
    const path = join(dir, it.file ?? "");
    const bytes = await readFile(path).catch(() => {
      throw inputError(`cannot read ${path}, an item of ${file}: fetch the batch again`);
    });
    try {
      items.push(rule.itemFacts(new Uint8Array(bytes), it.type ?? "", it.name ?? path));
    } catch (e) {
      throw inputError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { slice, items };
}
