/**
 * The files a requester picks for a dataset: read into memory, typed as the vault will be told,
 * checked against their content (the vault refuses an executable called cat.png), and kept in
 * file-name order (the CLI orders a folder the same way).
 */
import { contentTypeProblem, DEFAULT_ITEM_TYPES, typeFromName } from "@zklabel/sdk/vault";
import { plural } from "./format";

/** The vault's per-item size limit the app checks before uploading (the CLI's limit too). */
export const MAX_ITEM_BYTES = 50 * 1024 * 1024;

/** One chosen file: its bytes (kept in memory until the upload), type and any problem. */
export interface PickedFile {
  name: string;
  size: number;
  type: string;
  bytes: Uint8Array;
  /** Why the vault would refuse it, or null. */
  problem: string | null;
}

const STORED_TYPES: readonly string[] = DEFAULT_ITEM_TYPES;

/**
 * The MIME type the vault will be told for a file: the browser's type when the vault stores it,
 * else the one the file's extension suggests; null with the reason when the vault stores neither.
 */
export function itemType(name: string, browserType: string): { type: string; problem: string | null } {
  if (STORED_TYPES.includes(browserType)) return { type: browserType, problem: null };
  const byName = typeFromName(name);
  if (browserType && !browserType.startsWith("text/") && byName === "text/plain") {
    return { type: browserType, problem: `is of type ${browserType}, which the vault does not store` };
  }
  return { type: byName, problem: null };
}

/** Reads files into PickedFiles, checking each one's type against its content. */
export async function readFiles(list: readonly File[]): Promise<PickedFile[]> {
  return Promise.all(
    list.map(async (f) => {
      const { type, problem: typeProblem } = itemType(f.name, f.type);
      if (f.size > MAX_ITEM_BYTES)
        return { name: f.name, size: f.size, type, bytes: new Uint8Array(), problem: "is larger than 50 MB" };
      const bytes = new Uint8Array(await f.arrayBuffer());
      const problem =
        bytes.length === 0 ? "is empty" : (typeProblem ?? contentTypeProblem(bytes, type)?.replace(/\.$/, "") ?? null);
      return { name: f.name, size: f.size, type, bytes, problem };
    }),
  );
}

/** Adds files to the list (sorted by name in code-point order, as the CLI sorts a folder); refuses repeated names. */
export function mergeFiles(current: readonly PickedFile[], added: readonly PickedFile[]) {
  const names = new Set(current.map((f) => f.name));
  const refused: string[] = [];
  const next = [...current];
  for (const f of added) {
    if (names.has(f.name)) {
      refused.push(f.name);
      continue;
    }
    names.add(f.name);
    next.push(f);
  }
  next.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files: next, refused };
}

/** Why the vault would refuse some of the files, in one sentence (the stored types named once), or null. */
export function refusedFilesProblem(files: readonly PickedFile[]): string | null {
  const bad = files.filter((f) => f.problem);
  if (bad.length === 0) return null;
  const shown = bad
    .slice(0, 3)
    .map((f) => `${f.name} ${f.problem}`)
    .join("; ");
  return `${plural(bad.length, "file")} cannot be stored by the vault (${shown}${bad.length > 3 ? "; …" : ""}): remove ${bad.length === 1 ? "it" : "them"}. The vault stores ${DEFAULT_ITEM_TYPES.join(", ")}, up to 50 MB each`;
}
