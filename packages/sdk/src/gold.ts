/**
 * Gold items (docs/protocol.md §2.3): the requester knows the answer for some items and
 * commits, before any work, to goldRoot: a tree of one leaf per item (the rejection circuit's shape) over
 * Poseidon(isGold, goldLabel, salt) for every item, each with its own random salt (isGold and
 * the label are 0 for a non-gold item), so workers cannot tell which items are gold. The openings
 * (answers and salts) stay with the requester: a rejection opens them inside its proof (review.ts).
 */
import { randomField } from "@zklabel/core/field";
import { type GoldOpening, goldLeaf, goldTree } from "@zklabel/core/gold";
import { type AnyRule, rejectCircuit } from "@zklabel/core/rules";
import { z } from "zod";
import type { Manifest } from "./dataset.ts";
import { DatasetError } from "./dataset.ts";

/** The gold file a requester writes: items by name or index, answers by class name (boxes add `"box": [x, y, w, h]`). */
export const goldFileSchema = z.array(
  z.looseObject({ item: z.union([z.string(), z.number().int().min(0)]), label: z.string() }),
  { error: 'a gold file is a JSON list of {"item": name or index, "label": class name, ...the rule\'s answer}' },
);

/** What the requester keeps to open goldRoot later (one entry per item). */
export interface GoldOpenings {
  goldRoot: string;
  /** The rule whose gold answers these are (its values are that rule's goldValue). */
  rule: string;
  items: {
    index: number;
    isGold: 0 | 1;
    /** The rule's goldValue of the answer, in decimal (0 for a non-gold item). */
    value: string;
    /** The class of the answer, for people (0 for a non-gold item). */
    label: number;
    salt: string;
  }[];
}

/** The gold leaf of one item (defined in @zklabel/core/gold, beside the rejection's input builder). */
export { goldLeaf };

/** Openings as the rejection circuit reads them. */
export const goldOpeningsOf = (o: GoldOpenings): GoldOpening[] =>
  o.items.map((x) => ({ isGold: x.isGold, value: BigInt(x.value), salt: BigInt(x.salt) }));

/** Gold trees already built, per openings object: hashing every item's leaf is the slow part. */
const built = new WeakMap<GoldOpenings, ReturnType<typeof goldTree>>();

/**
 * The task's gold tree from the openings, in the shape the rule's rejection circuit reads. Built once
 * per openings object, so a review that reruns on every new event, and the rejection proved after
 * it, do not hash the whole dataset's leaves again.
 */
export function goldTreeOf(rule: AnyRule, o: GoldOpenings) {
  const have = built.get(o);
  if (have) return have;
  const c = rejectCircuit(rule);
  const tree = goldTree(c.params.DEPTH, c.params.N, goldOpeningsOf(o));
  built.set(o, tree);
  return tree;
}

/**
 * Builds goldRoot and its openings from a gold file against the manifest, the rule and the class
 * names; refuses a rule without gold answers, unknown items, unknown classes, answers the rule cannot
 * read and an item given twice, naming each. The tree has the shape the rule's rejection circuit reads.
 */
export function buildGold(
  manifest: Manifest,
  rule: AnyRule,
  classes: readonly string[],
  gold: unknown,
): { goldRoot: bigint; openings: GoldOpenings } {
  const g = rule.gold;
  if (!g)
    throw new DatasetError(
      `${rule.title} tasks take no gold items: the circuit already fixes each label from the item, so a gold answer adds nothing`,
    );
  const parsed = goldFileSchema.safeParse(gold);
  if (!parsed.success)
    throw new DatasetError(`${parsed.error.issues[0]?.message ?? "not a gold file"}; each entry is ${g.fileEntry}`);
  const byName = new Map(manifest.items.map((x, i) => [x.name, i]));
  const answers = new Map<number, { cls: number; value: bigint }>();
  const problems: string[] = [];
  for (const entry of parsed.data) {
    const where = `gold item ${JSON.stringify(entry.item)}`;
    const index = typeof entry.item === "number" ? entry.item : byName.get(entry.item);
    if (index === undefined || index >= manifest.count) {
      problems.push(`${where} is not in the dataset`);
      continue;
    }
    if (answers.has(index)) {
      problems.push(`${where} is listed twice`);
      continue;
    }
    const cls = classes.indexOf(entry.label);
    if (cls < 0) {
      problems.push(`${where}: "${entry.label}" is not one of the classes (${classes.join(", ")})`);
      continue;
    }
    const answer = g.answerFromFile(cls, entry);
    if (typeof answer === "string") {
      problems.push(`${where}: ${answer}`);
      continue;
    }
    answers.set(index, { cls, value: g.goldValue(answer) });
  }
  if (answers.size === 0 && problems.length === 0) problems.push("the gold file lists no items");
  if (g.maxPerBatch !== undefined) {
    // A rejection compares at most maxPerBatch gold items of a batch: a batch with more has none.
    const n = rejectCircuit(rule).params.N;
    const gold = [...answers.keys()].sort((a, b) => a - b);
    for (const b of goldAdvice(manifest.count, n, gold, g.maxPerBatch).batchesOverMax) {
      const items = gold.filter((i) => Math.floor(i / n) === b);
      problems.push(
        `batch ${b} (items ${b * n}..${Math.min(manifest.count, (b + 1) * n) - 1}) holds ${items.length} gold items (${items.join(", ")}), but a ${rule.noun} rejection compares at most ${g.maxPerBatch} per batch, so that batch could never be rejected: spread them over other batches or drop ${items.length - g.maxPerBatch}`,
      );
    }
  }
  if (problems.length) throw new DatasetError(`the gold file has problems:\n- ${problems.join("\n- ")}`);
  const items = manifest.items.map((_, index) => {
    const a = answers.get(index);
    return {
      index,
      isGold: (a ? 1 : 0) as 0 | 1,
      value: (a?.value ?? 0n).toString(),
      label: a?.cls ?? 0,
      salt: randomField().toString(),
    };
  });
  const openings: GoldOpenings = { goldRoot: "", rule: rule.name, items };
  const root = goldTreeOf(rule, openings).root;
  openings.goldRoot = `0x${root.toString(16)}`;
  return { goldRoot: root, openings };
}

/**
 * The gold share to advise: about 5-10 % of items and at least one per batch on average (capped by
 * what a rejection compares per batch, `maxPerBatch`), how many batches would hold no gold item with
 * the answers given (such batches cannot be rejected), and which hold more than `maxPerBatch` (buildGold
 * refuses those).
 */
export function goldAdvice(
  itemCount: number,
  batchSize: number,
  goldItems: readonly number[] = [],
  maxPerBatch = Number.POSITIVE_INFINITY,
) {
  const batches = Math.ceil(itemCount / batchSize);
  const cap = batches * maxPerBatch;
  const low = Math.min(cap, Math.max(batches, Math.ceil(itemCount * 0.05)));
  const high = Math.min(cap, Math.max(low, Math.ceil(itemCount * 0.1)));
  const perBatch = new Map<number, number>();
  for (const i of goldItems)
    perBatch.set(Math.floor(i / batchSize), (perBatch.get(Math.floor(i / batchSize)) ?? 0) + 1);
  const without = Array.from({ length: batches }, (_, b) => b).filter((b) => !perBatch.has(b));
  const crowded = [...perBatch].filter(([, n]) => n > maxPerBatch).map(([b]) => b);
  return {
    batches,
    advised: { low, high },
    batchesWithoutGold: without,
    batchesOverMax: crowded.sort((a, b) => a - b),
  };
}
