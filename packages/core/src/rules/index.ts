/**
 * The rule registry: every rule module, by name and by id. Code outside packages/core/src/rules/
 * (and the app's labeler map) never compares a rule name or id: it asks the registry for the
 * rule's module and calls it. `npm run lint` enforces that (scripts/lint/rule-branches.ts).
 */
import { z } from "zod";
import { ZkLabelError } from "../errors.ts";
import { type CircuitInfo, circuits, deployedCircuit, deployedRejectCircuit } from "../registry.ts";
import { bboxRule } from "./bbox.ts";
import { classificationRule } from "./classification.ts";
import { polygonRule } from "./polygon.ts";
import { sensorRule } from "./sensor.ts";
import { spansRule } from "./spans.ts";
// Rules made with the kit: `zklabel rule new` adds the import above this line and the rule to RULES.
import type { BatchData, DatasetKind, ItemFacts, RuleSpec } from "./types.ts";

export type {
  BatchData,
  BatchShape,
  CocoItem,
  DatasetKind,
  GoldSpec,
  ItemFacts,
  RuleIssue,
  RuleSpec,
} from "./types.ts";

/** Any rule's module, with its parameter and label types erased (what generic code holds). */
export type AnyRule = RuleSpec<any, any>;

/** Every rule, in id order. */
export const RULES: readonly AnyRule[] = [
  classificationRule,
  bboxRule,
  sensorRule,
  spansRule,
  polygonRule,
  // `zklabel rule new` adds kit rules above this line.
];

for (const r of RULES) {
  // Ids and names key the registry, the escrow's verifier table and circuits/circuits.json: each once.
  if (RULES.filter((x) => x.id === r.id || x.name === r.name).length !== 1)
    throw new Error(`rule ${r.name} (${r.id}) shares its id or name with another rule`);
}

const known = () => RULES.map((r) => `${r.name} (${r.id})`).join(", ");

/** The rule named `name` ("classification", "bbox", "sensor"); a clear error for any other name. */
export function ruleByName(name: string): AnyRule {
  const r = RULES.find((x) => x.name === name);
  if (!r) throw new ZkLabelError("unknown_rule", `no rule is called "${name}"; the rules are ${known()}`);
  return r;
}

/** The rule with id `id` (a task's ruleId); a clear error for an id no rule has. */
export function ruleById(id: number | bigint): AnyRule {
  const r = RULES.find((x) => x.id === Number(id));
  if (!r)
    throw new ZkLabelError(
      "unknown_rule",
      `rule id ${id} is not one this version knows (${known()}): the task needs a newer zkLabel`,
    );
  return r;
}

/** Whether a rule id is known (for lists that show unknown tasks as such instead of failing). */
export const isKnownRule = (id: number | bigint): boolean => RULES.some((x) => x.id === Number(id));

/**
 * What is wrong with a task's four parameter slots for its rule, in words (empty when usable). The
 * escrow only checks that each slot is a field element (docs/protocol.md, decision 40); the rule's
 * circuit admits no proof outside the rule, and this is how both clients say so before anyone posts
 * or works: the slots must decode to parameters the rule accepts and encode back to the same slots
 * (no value in an unused slot, none that a number cannot hold).
 */
export function ruleParamIssues(rule: AnyRule, slots: readonly bigint[]): string[] {
  if (slots.length !== 4) return [`a task has 4 rule parameter slots, not ${slots.length}`];
  const params = rule.decodeParams(slots);
  const issues = rule.checkParams(params);
  if (issues.length) return issues;
  const back = rule.encodeParams(params);
  const odd = slots.flatMap((v, i) =>
    back[i] === v
      ? []
      : [`slot ${i} holds ${v}, which ${rule.title.toLowerCase()} does not use that way (expected ${back[i]})`],
  );
  return odd;
}

/** A task's parameters for its rule; a clear error (code invalid_params) when no proof can exist for them. */
export function ruleParamsOf<P>(rule: RuleSpec<P, any>, slots: readonly bigint[]): P {
  const issues = ruleParamIssues(rule, slots);
  if (issues.length)
    throw new ZkLabelError(
      "invalid_params",
      `the task's ${rule.noun} parameters are outside the rule, so no proof can be made for it: ${issues.join("; ")}`,
    );
  return rule.decodeParams(slots);
}

/** The rule's circuits in circuits/circuits.json. */
export const ruleCircuits = (rule: AnyRule): CircuitInfo[] => circuits.filter((c) => c.rule === rule.name);

/** The circuit the contracts and the app use for the rule (the registry entry marked deploy). */
export const ruleCircuit = (rule: AnyRule): CircuitInfo => deployedCircuit(rule.name);

/**
 * The gold-rejection circuit of a rule (the registry entry with "role": "reject" marked deploy); a
 * clear error for a rule without gold items (sensor) or without a deployed rejection.
 */
export function rejectCircuit(rule: AnyRule): CircuitInfo {
  if (!rule.gold) throw new ZkLabelError("unknown_rule", `${rule.title} tasks have no gold items, so no rejection`);
  const c = deployedRejectCircuit(rule.name);
  if (!c) throw new Error(`no deployable rejection circuit for rule "${rule.name}" in circuits/circuits.json`);
  return c;
}

/** A batch's data from the whole dataset's items: the rule's tree over all of them and the batch's own facts. */
export function fullBatchData(
  rule: AnyRule,
  depth: number,
  batchSize: number,
  items: readonly ItemFacts[],
  batchIndex: number,
): BatchData {
  return {
    source: rule.datasetTree(depth, batchSize, items),
    itemCount: items.length,
    items: items.slice(batchIndex * batchSize, (batchIndex + 1) * batchSize),
  };
}

/** The dataset kinds the rules use, each a way of turning items into leaves (the first rule of a kind builds its trees). */
export const DATASET_KINDS = [...new Set(RULES.map((r) => r.datasetKind))] as [DatasetKind, ...DatasetKind[]];

/** A rule whose datasets are of `kind`: the one that knows how such items become leaves. */
export function kindRule(kind: DatasetKind): AnyRule {
  const r = RULES.find((x) => x.datasetKind === kind);
  if (!r) throw new ZkLabelError("invalid_dataset", `no rule reads "${kind}" datasets`);
  return r;
}

/** The `rule` object of a task spec file: one of the rules' spec schemas, picked by `type`. */
export const ruleSpecSchema = z.discriminatedUnion(
  "type",
  // Typed as the built-in rules' specs; a kit rule's spec (packages/core/src/rules/kit.ts) parses to the same `{type, ...}` shape.
  RULES.map((r) => r.spec) as unknown as [typeof classificationRule.spec, typeof bboxRule.spec, typeof sensorRule.spec],
  {
    error: `rule.type must be one of ${RULES.map((r) => `"${r.name}"`).join(", ")}`,
  },
);

/** The rules' names, for schemas that list them. */
export const RULE_NAMES = RULES.map((r) => r.name) as [string, ...string[]];
