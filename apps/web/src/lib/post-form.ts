/**
 * The post-a-task form: its values as typed, and their validation into a task spec through the
 * SDK's schema. Nothing here knows a rule: the chosen rule's spec schema (its rule module) says
 * whether the rule takes classes and which number parameters it has, with their bounds.
 */
import { type AnyRule, ruleByName } from "@zklabel/core/rules";
import { type ResolvedSpec, resolveTaskSpec, type SpecError, taskSpecSchema } from "@zklabel/sdk/spec";
import { z } from "zod";
import { errorCode, messageFor, sentence } from "./errors";
import type { TokenInfo } from "./tokens";

/** The contract's limit on a challenge window (30 days), in minutes. */
export const MAX_CHALLENGE_MINUTES = 30 * 24 * 60;

/** The post-task form, as typed (strings until validated). */
export interface PostForm {
  title: string;
  instructions: string;
  /** The rule's name (a rule module's `name`). */
  rule: string;
  /** One class name per line (rules that take classes). */
  classesText: string;
  /** Class names workers may not use (every class is allowed unless listed here). */
  disallowed: string[];
  /** The rule's number parameters as typed, by their name in the rule's spec (minWidth, lo, ...). */
  params: Record<string, string>;
  /** Reward per item, decimal, in token units. */
  reward: string;
  token: "eth" | "test";
  deadlineDays: string;
  workerGroup: string;
  goldOn: boolean;
  /** File name → class name of its gold answer. */
  gold: Record<string, string>;
  /**
   * File name → its whole gold file entry, for rules whose answer is more than a class (boxes: the
   * class and `"box": [x, y, w, h]`); such answers come from an uploaded gold file only.
   */
  goldEntries: Record<string, Record<string, unknown>>;
  /** The rule's gold match threshold (percent; boxes: minimum IoU), for rules where it can be set. */
  goldThreshold: string;
  minAccuracy: string;
  challengeMinutes: string;
  vaultUrl: string;
  vaultToken: string;
}

/** The form's fields that can carry an error; a rule parameter is `param:<name>`. */
export type FieldKey =
  | "title"
  | "instructions"
  | "rule"
  | "classes"
  | "allowed"
  | "files"
  | "reward"
  | "deadline"
  | "workerGroup"
  | "gold"
  | "minAccuracy"
  | "goldThreshold"
  | "challenge"
  | "vault"
  | `param:${string}`;

/** The form's starting values: the first rule, and `params` as the starting rule parameters of every rule. */
export function emptyForm(vaultUrl: string | undefined, rule: string, params: Record<string, string>): PostForm {
  return {
    title: "",
    instructions: "",
    rule,
    classesText: "",
    disallowed: [],
    params,
    reward: "0.001",
    token: "eth",
    deadlineDays: "7",
    workerGroup: "0",
    goldOn: false,
    gold: {},
    goldEntries: {},
    goldThreshold: "",
    minAccuracy: "80",
    challengeMinutes: "60",
    vaultUrl: vaultUrl ?? "",
    vaultToken: "",
  };
}

/** Whether a gold answer of this rule is its class alone (else it comes from a gold file: boxes need a box). */
export const goldByClass = (rule: AnyRule): boolean =>
  rule.gold !== undefined && typeof rule.gold.answerFromFile(0, { item: 0, label: "" }) !== "string";

/** Whether the rule's gold threshold is the requester's to choose (boxes: the minimum IoU; classification matches exactly). */
export const thresholdAdjustable = (rule: AnyRule): boolean =>
  rule.gold !== undefined && rule.gold.checkThreshold(50) === undefined;

/** One number parameter of a rule's spec, with the bounds its schema sets. */
export interface NumberField {
  name: string;
  min: number | null;
  max: number | null;
  int: boolean;
}

const specShape = (rule: AnyRule): Record<string, unknown> =>
  rule.spec instanceof z.ZodObject ? (rule.spec.shape as Record<string, unknown>) : {};

/** Whether a rule's tasks name classes (its spec has `classes`). */
export const ruleTakesClasses = (rule: AnyRule): boolean => "classes" in specShape(rule);

/** The number parameters of a rule's spec, in the spec's order. */
export function ruleNumberFields(rule: AnyRule): NumberField[] {
  return Object.entries(specShape(rule)).flatMap(([name, s]) =>
    s instanceof z.ZodNumber ? [{ name, min: s.minValue, max: s.maxValue, int: s.isInt }] : [],
  );
}

/** Class names from a textarea: one per line, trimmed, blank lines dropped. */
export function parseClassLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A validated form: the escrow parameters and what the metadata needs. */
export interface CheckedForm {
  resolved: ResolvedSpec;
  classes: string[];
  /** Gold answers by file name (empty without gold): a gold file's JSON. */
  gold: ({ item: string; label: string } & Record<string, unknown>)[];
}

/** Where a spec problem belongs in the form. */
function specField(path: readonly PropertyKey[], numbers: readonly NumberField[]): FieldKey {
  const [a, b] = path.map(String);
  if (a === "rule") {
    if (b === "allowed") return "allowed";
    return numbers.some((f) => f.name === b) ? `param:${b}` : "classes";
  }
  if (a === "gold")
    return b === "challengeWindow"
      ? "challenge"
      : b === "minAccuracy"
        ? "minAccuracy"
        : b === "threshold"
          ? "goldThreshold"
          : "gold";
  const direct: Record<string, FieldKey> = {
    title: "title",
    instructions: "instructions",
    reward: "reward",
    deadline: "deadline",
    workerGroup: "workerGroup",
  };
  return direct[a] ?? "title";
}

/**
 * Checks the whole form (the task spec schema of the SDK plus what only the form knows: files,
 * gold marks, the vault) and resolves it to escrow parameters; errors are per field, in words.
 */
export function validatePostForm(
  form: PostForm,
  ctx: {
    fileNames: readonly string[];
    datasetProblem: string | null;
    token: TokenInfo | undefined;
    hasVerifier: boolean;
    /** What people call each rule parameter ("Minimum box width"). */
    paramLabels: Readonly<Record<string, string>>;
    now: number;
  },
): { errors: Partial<Record<FieldKey, string>>; checked?: CheckedForm } {
  const errors: Partial<Record<FieldKey, string>> = {};
  const add = (k: FieldKey, m: string) => {
    errors[k] ??= sentence(m);
  };
  const rule = ruleByName(form.rule);
  const takesClasses = ruleTakesClasses(rule);
  const numbers = ruleNumberFields(rule);

  if (form.title.trim() === "") add("title", "Give the task a title");
  if (form.instructions.trim() === "") add("instructions", "Tell workers what to do: write the instructions");
  if (!ctx.hasVerifier) add("rule", "This rule has no verifier on this chain yet: choose another rule");
  const classes = takesClasses ? parseClassLines(form.classesText) : [];
  const allowed = classes.filter((c) => !form.disallowed.includes(c));
  if (classes.length >= 2 && allowed.length === 0) add("allowed", "Allow at least one class");

  for (const f of numbers) {
    const v = (form.params[f.name] ?? "").trim();
    const n = Number(v);
    const range = `${f.min ?? "any"} to ${f.max ?? "any"}`;
    if (!(f.int ? /^\d+$/ : /^\d+(\.\d+)?$/).test(v) || (f.min !== null && n < f.min) || (f.max !== null && n > f.max))
      add(
        `param:${f.name}`,
        `${ctx.paramLabels[f.name] ?? f.name} must be a ${f.int ? "whole " : ""}number from ${range}`,
      );
  }

  if (ctx.fileNames.length === 0) add("files", "Add the dataset's files (at least one)");
  else if (ctx.datasetProblem) add("files", ctx.datasetProblem);

  const days = Number(form.deadlineDays);
  if (!/^\d+(\.\d+)?$/.test(form.deadlineDays.trim()) || !(days > 0) || days > 3650)
    add("deadline", "Give the deadline as a number of days from now, more than 0 and at most 3650");
  if (!/^\d+$/.test(form.workerGroup.trim()))
    add("workerGroup", "The worker group is a whole number (0 = the open group)");

  const decimals = ctx.token?.decimals ?? 18;
  const reward = form.reward.trim();
  if (!/^\d+(\.\d+)?$/.test(reward)) add("reward", "Write the reward as a decimal number, e.g. 0.001");
  const frac = /^\d+\.(\d+)$/.exec(reward)?.[1];
  if (frac && frac.length > decimals)
    add(
      "reward",
      `Use at most ${decimals} decimals for the reward (${ctx.token?.symbol ?? "the token"} has ${decimals})`,
    );
  if (!ctx.token) add("reward", "The token's decimals are not known yet: wait a moment, or check the node is running");

  // A rule without a gold part (its circuit fixes each label from the item) takes no gold items.
  const goldOn = form.goldOn && rule.gold !== undefined;
  let gold: CheckedForm["gold"] = [];
  let threshold: number | undefined;
  if (goldOn && rule.gold) {
    const names = new Set(ctx.fileNames);
    gold = goldByClass(rule)
      ? Object.entries(form.gold)
          .filter(([name, label]) => names.has(name) && label !== "")
          .map(([item, label]) => ({ item, label }))
      : Object.entries(form.goldEntries)
          .filter(([name]) => names.has(name))
          .map(([item, e]) => ({ ...e, item, label: String(e.label ?? "") }));
    if (gold.length === 0)
      add(
        "gold",
        goldByClass(rule)
          ? "Mark at least one gold item with its answer, or turn gold items off"
          : `Upload a gold file (each entry ${rule.gold.fileEntry}), or turn gold items off`,
      );
    for (const g of gold) {
      const cls = classes.indexOf(g.label);
      const answer = cls < 0 ? undefined : rule.gold.answerFromFile(cls, g);
      if (typeof answer === "string") add("gold", `Gold item "${g.item}": ${answer}`);
    }
    if (thresholdAdjustable(rule)) {
      const v = form.goldThreshold.trim() === "" ? String(rule.gold.defaultThreshold) : form.goldThreshold.trim();
      const problem =
        /^\d+$/.test(v) && Number(v) <= 100 ? rule.gold.checkThreshold(Number(v)) : "a whole percentage from 0 to 100";
      if (problem) add("goldThreshold", `${rule.gold.threshold}: ${problem}`);
      else threshold = Number(v);
    }
    const missing = gold.find((g) => !classes.includes(g.label));
    if (missing)
      add("gold", `Gold item "${missing.item}" has the answer "${missing.label}", which is no longer a class`);
    const forbidden = gold.find((g) => form.disallowed.includes(g.label));
    if (forbidden)
      add(
        "gold",
        `Gold item "${forbidden.item}" has the answer "${forbidden.label}", a class workers may not use: nobody could match it`,
      );
    if (!/^\d+$/.test(form.minAccuracy.trim()) || Number(form.minAccuracy) < 1 || Number(form.minAccuracy) > 100)
      add("minAccuracy", "The minimum accuracy is a whole percentage from 1 to 100");
    const m = Number(form.challengeMinutes);
    if (!/^\d+$/.test(form.challengeMinutes.trim()) || m < 1 || m > MAX_CHALLENGE_MINUTES)
      add(
        "challenge",
        `The challenge window is a whole number of minutes from 1 to ${MAX_CHALLENGE_MINUTES} (30 days)`,
      );
  }

  let vaultOk = false;
  try {
    const u = new URL(form.vaultUrl.trim());
    vaultOk = u.protocol === "http:" || u.protocol === "https:";
  } catch {}
  if (!vaultOk) add("vault", "Give the vault's address, e.g. http://127.0.0.1:8787");

  const specRule: Record<string, unknown> = { type: rule.name };
  if (takesClasses) {
    specRule.classes = classes;
    if (allowed.length !== classes.length) specRule.allowed = allowed;
  }
  for (const f of numbers) specRule[f.name] = Number(form.params[f.name] ?? "");
  const spec = {
    title: form.title,
    instructions: form.instructions,
    rule: specRule,
    reward: {
      perItem: reward,
      token: ctx.token && !ctx.token.isEth ? ctx.token.address : undefined,
      decimals,
    },
    deadline: days > 0 ? new Date(ctx.now * 1000 + days * 86_400_000).toISOString() : "",
    workerGroup: /^\d+$/.test(form.workerGroup.trim()) ? Number(form.workerGroup) : 0,
    gold:
      goldOn && !errors.minAccuracy && !errors.challenge
        ? {
            minAccuracy: Number(form.minAccuracy),
            challengeWindow: `${Number(form.challengeMinutes)}m`,
            ...(threshold !== undefined ? { threshold } : {}),
          }
        : undefined,
  };
  const parsed = taskSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(specField(issue.path, numbers), issue.message);
  }
  if (Object.keys(errors).length > 0) return { errors };
  try {
    const resolved = resolveTaskSpec(spec, ctx.now);
    return { errors, checked: { resolved, classes, gold } };
  } catch (e) {
    for (const p of errorCode(e) === "invalid_spec" ? (e as SpecError).problems : [messageFor(e)]) {
      const [where, ...rest] = p.split(": ");
      add(where === "deadline" ? "deadline" : where === "rule" ? "classes" : "title", rest.join(": ") || p);
    }
    return { errors };
  }
}
