/**
 * Where a dataset's items come from, for `dataset build` and `dataset upload` alike: a folder of
 * files, a JSONL file or a CSV column.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { DatasetItem } from "@zklabel/sdk/dataset";
import { itemsFromCsv, itemsFromDirectory, itemsFromJsonl } from "@zklabel/sdk/dataset-fs";
import { usageError } from "./common.ts";
import { list } from "./options.ts";

/** The item source options. */
export const itemSourceOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  c: Command<A, O, G>,
) =>
  c
    .option("--from <DIR>", "items: the files of a folder, in name order")
    .option("--ext <LIST>", "with --from: only these extensions, e.g. .png,.jpg", list)
    .option("--jsonl <FILE>", "items: one JSON object per line")
    .option("--field <NAME>", "with --jsonl: the field holding the item", "text")
    .option("--csv <FILE>", "items: one column of a CSV file")
    .option("--column <NAME>", "with --csv: the column");

export interface ItemSource {
  from?: string;
  ext?: string[];
  jsonl?: string;
  field: string;
  csv?: string;
  column?: string;
}

/** The items of exactly one source. */
export async function readItems(s: ItemSource): Promise<DatasetItem[]> {
  const given = [s.from, s.jsonl, s.csv].filter((x) => x !== undefined);
  if (given.length !== 1) throw usageError("give exactly one of --from DIR, --jsonl FILE, --csv FILE");
  if (s.from !== undefined) return itemsFromDirectory(s.from, s.ext);
  if (s.jsonl !== undefined) return itemsFromJsonl(s.jsonl, s.field);
  if (s.column === undefined) throw usageError("--csv needs --column NAME");
  return itemsFromCsv(s.csv as string, s.column);
}
