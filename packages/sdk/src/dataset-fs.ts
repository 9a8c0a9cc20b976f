/**
 * Node-only dataset sources: a folder of files (images, documents), a JSONL file or a CSV
 * file. Each yields DatasetItems in a stable order for buildDataset (./dataset.ts).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { DatasetError, type DatasetItem } from "./dataset.ts";

const encoder = new TextEncoder();

/** Largest single item the readers accept (an image of 50 MB is almost certainly a mistake). */
export const MAX_ITEM_BYTES = 50 * 1024 * 1024;

/**
 * Every regular file of `dir` (not recursing, hidden files skipped), sorted by name in code-point
 * order so the item order does not depend on the machine's locale. `extensions` filters by suffix.
 */
export async function itemsFromDirectory(dir: string, extensions?: readonly string[]): Promise<DatasetItem[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new DatasetError(`cannot read the folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const wanted = names
    .filter((n) => !n.startsWith("."))
    .filter((n) => !extensions || extensions.some((x) => n.toLowerCase().endsWith(x.toLowerCase())))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const items: DatasetItem[] = [];
  for (const name of wanted) {
    const path = join(dir, name);
    const s = await stat(path);
    if (!s.isFile()) continue;
    if (s.size > MAX_ITEM_BYTES) {
      throw new DatasetError(`${name} is ${s.size} bytes, more than the ${MAX_ITEM_BYTES}-byte limit per item`);
    }
    items.push({ name, bytes: new Uint8Array(await readFile(path)) });
  }
  if (items.length === 0) {
    throw new DatasetError(
      `the folder ${dir} has no ${extensions ? `${extensions.join("/")} ` : ""}files to use as items`,
    );
  }
  return items;
}

/**
 * One item per non-empty line of a JSONL file. A line that is a JSON string is the item's text;
 * an object's `field` (default "text") is; any other value is refused with its line number.
 */
export async function itemsFromJsonl(path: string, field = "text"): Promise<DatasetItem[]> {
  const text = await readText(path);
  const items: DatasetItem[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DatasetError(`${basename(path)} line ${i + 1} is not valid JSON`);
    }
    const content =
      typeof value === "string"
        ? value
        : value && typeof value === "object" && typeof (value as Record<string, unknown>)[field] === "string"
          ? ((value as Record<string, unknown>)[field] as string)
          : null;
    if (content === null) {
      throw new DatasetError(
        `${basename(path)} line ${i + 1} has no string field "${field}": give each line a "${field}" or choose the field with --field`,
      );
    }
    items.push({ name: `line ${i + 1}`, bytes: encoder.encode(content) });
  }
  return items;
}

/** One item per data row of a CSV file (first row = header): the text of column `column`. */
export async function itemsFromCsv(path: string, column: string): Promise<DatasetItem[]> {
  const rows = parseCsv(await readText(path), basename(path));
  if (rows.length === 0) throw new DatasetError(`${basename(path)} is empty`);
  const header = rows[0];
  const col = header.indexOf(column);
  if (col < 0) {
    throw new DatasetError(`${basename(path)} has no column "${column}"; its columns are: ${header.join(", ")}`);
  }
  const items: DatasetItem[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length === 1 && row[0] === "") continue; // trailing blank line
    if (row.length !== header.length) {
      throw new DatasetError(
        `${basename(path)} row ${r + 1} has ${row.length} fields, the header has ${header.length}`,
      );
    }
    items.push({ name: `row ${r + 1}`, bytes: encoder.encode(row[col]) });
  }
  return items;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string, what = "the CSV"): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== "") throw new DatasetError(`${what} line ${line}: a quote inside an unquoted field`);
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      line++;
    } else field += c;
  }
  if (quoted) throw new DatasetError(`${what}: a quoted field is never closed`);
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new DatasetError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
