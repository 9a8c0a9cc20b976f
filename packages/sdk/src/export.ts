/**
 * Writing decrypted labels out, for any rule: JSONL and CSV (one row per item, with the rule's
 * own columns), and COCO instances JSON for rules whose labels are boxes.
 */
import { ZkLabelError } from "@zklabel/core/errors";
import type { AnyRule } from "@zklabel/core/rules";
import type { Manifest } from "./dataset.ts";

/** One labeled item: where it is, then the rule's columns (label and class name first). */
export interface LabelRow {
  index: number;
  name: string;
  contentHash: string;
  label: string | number;
  className?: string | number;
  [field: string]: string | number | undefined;
}

/** Opened batches as export takes them. */
type Batches = readonly { batchIndex: number; labels: readonly unknown[] }[];

/** Rows for every item of the opened batches, in item order. */
export function labelRows(
  rule: AnyRule,
  batches: Batches,
  batchSize: number,
  manifest: Manifest | null,
  classes: readonly string[] = [],
): LabelRow[] {
  return batches
    .flatMap((b) =>
      b.labels.map((label, i) => {
        const index = b.batchIndex * batchSize + i;
        const item = manifest?.items[index];
        const fields = rule.exportFields(label, classes) as { label: string | number };
        return { index, name: item?.name ?? "", contentHash: item?.contentHash ?? "", ...fields };
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

/** CSV with a header row (RFC 4180 quoting): index, name, contentHash, label, className, then the rule's other columns. */
export function toCsv(rows: readonly LabelRow[]): string {
  const columns = ["index", "name", "contentHash", "label", "className"];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const lines = [columns.join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c] ?? "")).join(","));
  return `${lines.join("\n")}\n`;
}

/** Whether the rule's labels export as COCO. */
export const exportsCoco = (rule: AnyRule): boolean => rule.toCoco !== undefined;

/** COCO instances JSON of the opened batches; the manifest gives each image's name and size. */
export function toCoco(
  rule: AnyRule,
  batches: Batches,
  batchSize: number,
  manifest: Manifest,
  classes: readonly string[],
): string {
  if (!rule.toCoco)
    throw new ZkLabelError(
      "invalid_input",
      `COCO holds bounding boxes; this is a ${rule.noun} task: export it as JSONL or CSV`,
    );
  const items = batches.flatMap((b) =>
    b.labels.map((label, i) => {
      const index = b.batchIndex * batchSize + i;
      const item = manifest.items[index];
      if (!item?.width || !item.height)
        throw new ZkLabelError(
          "invalid_dataset",
          `the manifest has no image size for item ${index + 1}: use the task's box manifest`,
        );
      return { index, name: item.name, width: item.width, height: item.height, label };
    }),
  );
  return rule.toCoco(items, classes);
}
