/**
 * Labeling agents for `zklabel work`: a module a person writes (keyword rules, a model call)
 * that answers one label per item, and the answers read as the task's rule labels.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { itemName } from "@zklabel/core/display";
import { ZkLabelError } from "@zklabel/core/errors";
import type { AnyRule } from "@zklabel/core/rules";
import type { FetchedItem } from "@zklabel/sdk/vault";
import { inputError } from "./common.ts";

/** One item as a labeler sees it. */
export interface AgentItem {
  /** The dataset index (0-based). */
  index: number;
  name: string;
  type: string;
  bytes: Uint8Array;
  /** The item as text, for text types. */
  text?: string;
  /** Sensor windows: the readings. */
  readings?: number[];
  /** Images of box datasets: the size in pixels. */
  width?: number;
  height?: number;
  /** Rules made with the rule authoring kit: the item fields the rule reads off the item (spans: length). */
  fields?: Record<string, number>;
}

/** The task as a labeler sees it. */
export interface AgentTask {
  taskId: string;
  batchIndex: number;
  title?: string;
  instructions?: string;
  /** The rule's name, as task specs write it. */
  rule: string;
  /** The class names a label picks from (sensor: normal, anomaly). */
  classes: string[];
  /** The rule's parameters by name (large numbers such as allowedMask as decimal strings). */
  params: Record<string, unknown>;
}

/** What a labeler module exports: `label(item, task)` per item, or `labelBatch(items, task)`. */
export interface Labeler {
  label?: (item: AgentItem, task: AgentTask) => unknown;
  labelBatch?: (items: AgentItem[], task: AgentTask) => unknown;
}

export async function loadLabeler(path: string): Promise<Labeler> {
  let mod: Labeler & { default?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(path)).href);
  } catch (e) {
    throw inputError(`cannot load the labeler ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fromDefault = (typeof mod.default === "function" ? { label: mod.default } : (mod.default ?? {})) as Labeler;
  const labeler = { label: mod.label ?? fromDefault.label, labelBatch: mod.labelBatch ?? fromDefault.labelBatch };
  if (typeof labeler.label !== "function" && typeof labeler.labelBatch !== "function") {
    throw inputError(
      `${path} exports no labeler: export \`label(item, task)\` (or a default function) returning a class name or number, or \`labelBatch(items, task)\` returning a list`,
    );
  }
  return labeler;
}

/** The parameters as plain JSON values for a labeler. */
export const agentParams = (params: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));

export function agentItem(it: FetchedItem): AgentItem {
  const text = it.type.startsWith("text/") || it.type === "application/json";
  return {
    index: it.index,
    name: it.name,
    type: it.type,
    bytes: it.bytes,
    readings: it.readings,
    fields: it.fields,
    width: it.width,
    height: it.height,
    text: text ? new TextDecoder().decode(it.bytes) : undefined,
  };
}

/** The labeler's answers for a batch, in item order. */
export async function askLabeler(labeler: Labeler, items: AgentItem[], task: AgentTask): Promise<unknown[]> {
  const answers = labeler.labelBatch
    ? await labeler.labelBatch(items, task)
    : await Promise.all(items.map((it) => (labeler.label as NonNullable<Labeler["label"]>)(it, task)));
  if (!Array.isArray(answers) || answers.length !== items.length) {
    throw inputError(
      `the labeler returned ${Array.isArray(answers) ? answers.length : "no"} labels for the ${items.length} items of batch ${task.batchIndex}`,
    );
  }
  return answers;
}

/** A class given by name or number as its index (0-based, as files and labelers use). */
function classIndex(answer: unknown, classes: readonly string[], where: string): unknown {
  if (typeof answer !== "string") return answer;
  const i = classes.indexOf(answer);
  if (i < 0) throw inputError(`${where}: the answer "${answer}" is not one of the classes (${classes.join(", ")})`);
  return i;
}

/**
 * One answer as a label of the rule: a class name or number, or an object whose `class` (a name
 * or number) is the label's `cls` (a box: {class, x, y, w, h}). The rule's label schema has the
 * last word; the rule itself (allowed classes, box edges) is checked before proving.
 */
export function labelOf(rule: AnyRule, answer: unknown, classes: readonly string[], where: string): unknown {
  let label = classIndex(answer, classes, where);
  if (label && typeof label === "object" && !Array.isArray(label) && "class" in label) {
    const { class: c, ...rest } = label as Record<string, unknown>;
    label = { cls: classIndex(c, classes, where), ...rest };
  }
  const parsed = rule.label.safeParse(label);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` (${issue.path.join(".")}: ${issue.message})` : "";
    throw new ZkLabelError(
      "invalid_input",
      `${where}: the answer ${JSON.stringify(answer)} is not a ${rule.noun} label${at}; see zklabel work --help`,
    );
  }
  return parsed.data;
}

/** Every answer of a batch as a label; `first` is the batch's first dataset index, `names` the items' names. */
export function labelsOf(
  rule: AnyRule,
  answers: readonly unknown[],
  classes: readonly string[],
  first: number,
  names: readonly (string | undefined)[] = [],
): unknown[] {
  return answers.map((a, i) => {
    const name = names[i];
    return labelOf(rule, a, classes, `${itemName(first + i)}${name ? ` ("${name}")` : ""}`);
  });
}
