/**
 * Gold items (docs/protocol.md "Task"): the requester knows the answer for some items and
 * commits, before any work, to goldRoot: a tree of the dataset's shape over
 * Poseidon(isGold, goldLabel, salt) for every item, each with its own random salt (isGold and
 * the label are 0 for a non-gold item), so workers cannot tell which items are gold. The openings (labels and salts) stay with the requester: they are
 * what a rejection will reveal to the circuit.
 */
import { randomField } from "@zklabel/core/field";
import { goldLeaf } from "@zklabel/core/gold";
import { DatasetTree } from "@zklabel/core/merkle";
import { z } from "zod";
import type { Manifest } from "./dataset.ts";
import { DatasetError } from "./dataset.ts";

/** The gold file a requester writes: items by name or index, answers by class name. */
export const goldFileSchema = z.array(
  z.object({ item: z.union([z.string(), z.number().int().min(0)]), label: z.string() }),
  { error: 'a gold file is a JSON list of {"item": name or index, "label": class name}' },
);

/** What the requester keeps to open goldRoot later (one entry per item). */
export interface GoldOpenings {
  goldRoot: string;
  items: { index: number; isGold: 0 | 1; label: number; salt: string }[];
}

/** The gold leaf of one item (defined in @zklabel/core/gold, beside the rejection's input builder). */
export { goldLeaf };

/**
 * Builds goldRoot and its openings from a gold file against the manifest and the class names;
 * refuses unknown items, unknown classes and an item given twice, naming each.
 */
export function buildGold(
  manifest: Manifest,
  classes: readonly string[],
  gold: unknown,
): { goldRoot: bigint; openings: GoldOpenings } {
  const parsed = goldFileSchema.safeParse(gold);
  if (!parsed.success) throw new DatasetError(parsed.error.issues[0]?.message ?? "not a gold file");
  const byName = new Map(manifest.items.map((x, i) => [x.name, i]));
  const answers = new Map<number, number>();
  const problems: string[] = [];
  for (const g of parsed.data) {
    const index = typeof g.item === "number" ? g.item : byName.get(g.item);
    if (index === undefined || index >= manifest.count) {
      problems.push(`gold item ${JSON.stringify(g.item)} is not in the dataset`);
      continue;
    }
    const label = classes.indexOf(g.label);
    if (label < 0)
      problems.push(
        `gold item ${JSON.stringify(g.item)}: "${g.label}" is not one of the classes (${classes.join(", ")})`,
      );
    if (answers.has(index)) problems.push(`gold item ${JSON.stringify(g.item)} is listed twice`);
    answers.set(index, label);
  }
  if (answers.size === 0 && problems.length === 0) problems.push("the gold file lists no items");
  if (problems.length) throw new DatasetError(`the gold file has problems:\n- ${problems.join("\n- ")}`);
  const items = manifest.items.map((_, index) => {
    const label = answers.get(index);
    return { index, isGold: (label === undefined ? 0 : 1) as 0 | 1, label: label ?? 0, salt: randomField() };
  });
  const tree = new DatasetTree(
    manifest.depth,
    items.map((x) => goldLeaf(x.isGold, x.label, x.salt)),
    manifest.chunk,
  );
  return {
    goldRoot: tree.root,
    openings: {
      goldRoot: `0x${tree.root.toString(16)}`,
      items: items.map((x) => ({ ...x, salt: x.salt.toString() })),
    },
  };
}
