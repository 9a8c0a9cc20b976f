/**
 * Writing decrypted labels out: JSONL and CSV for any task (one row per item), and COCO
 * (instances JSON) for bounding-box tasks, the format detection tools read.
 */
import type { Box } from "@zklabel/core/bbox";
import type { Manifest } from "./dataset.ts";

/** One labeled item. */
export interface LabelRow {
  index: number;
  name: string;
  contentHash: string;
  /** Class number. */
  label: number;
  /** Class name, when the task's metadata names its classes. */
  className?: string;
}

/** Rows for every item of the opened batches, in item order. */
export function labelRows(
  batches: readonly { batchIndex: number; labels: readonly number[] }[],
  batchSize: number,
  manifest: Manifest | null,
  classes?: readonly string[],
): LabelRow[] {
  return batches
    .flatMap((b) =>
      b.labels.map((label, i) => {
        const index = b.batchIndex * batchSize + i;
        const item = manifest?.items[index];
        return {
          index,
          name: item?.name ?? "",
          contentHash: item?.contentHash ?? "",
          label,
          ...(classes?.[label] !== undefined ? { className: classes[label] } : {}),
        };
      }),
    )
    .sort((a, b) => a.index - b.index);
}

/** JSON Lines: one object per row. */
export function toJsonl(rows: readonly LabelRow[]): string {
  return `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
}

const csvField = (x: string | number) =>
  /[",\n\r]/.test(String(x)) ? `"${String(x).replaceAll('"', '""')}"` : String(x);

/** CSV with a header row (RFC 4180 quoting). */
export function toCsv(rows: readonly LabelRow[]): string {
  const lines = ["index,name,contentHash,label,className"];
  for (const r of rows)
    lines.push([r.index, r.name, r.contentHash, r.label, r.className ?? ""].map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}

/** An image of a bounding-box task with its box label. */
export interface BoxRow {
  index: number;
  name: string;
  width: number;
  height: number;
  box: Box;
}

/**
 * COCO instances JSON for a bounding-box task: one image and one annotation per item (image id
 * = item index + 1, category id = class number + 1, since COCO ids start at 1).
 */
export function toCoco(rows: readonly BoxRow[], classes: readonly string[]): string {
  const coco = {
    info: { description: "zkLabel bounding boxes", version: "1.0" },
    images: rows.map((r) => ({ id: r.index + 1, file_name: r.name, width: r.width, height: r.height })),
    annotations: rows.map((r) => ({
      id: r.index + 1,
      image_id: r.index + 1,
      category_id: r.box.cls + 1,
      bbox: [r.box.x, r.box.y, r.box.w, r.box.h],
      area: r.box.w * r.box.h,
      iscrowd: 0,
    })),
    categories: classes.map((name, i) => ({ id: i + 1, name, supercategory: "object" })),
  };
  for (const r of rows) {
    if (r.box.cls >= classes.length) throw new RangeError(`item ${r.index}: class ${r.box.cls} has no name`);
  }
  return `${JSON.stringify(coco, null, 2)}\n`;
}
