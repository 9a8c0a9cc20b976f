/**
 * `zklabel rule test NAME`: everything the kit checks of a rule, each result in words.
 *   1. examples: each example file's item and label, in a batch of the rule's circuit at N = 4; the
 *      TypeScript check and the circuit must both give the outcome the file expects (and, for an
 *      invalid one, the check must name the rule it says it breaks);
 *   2. assert-only checks: for each invalid example, the witness the circuit computes with its
 *      asserts removed (natural-witness.ts) must violate the constraint system, else a proof exists
 *      and the check that refused it was an assert;
 *   3. soundness: every witness signal of a valid example mutated in turn (r1cs.ts mutationCheck);
 *      a signal no constraint pins is a finding unless provably free;
 *   4. source: `<--` assignments no constraint ties to what they read, and parameters in no
 *      constraint (lint.ts);
 *   5. budget: constraints per label, (C(N = 32) - C(N = 16)) / 16, against the description's budget.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { workerGroup } from "@zklabel/core/group";
import { Identity, workerSecret } from "@zklabel/core/identity";
import { poseidon } from "@zklabel/core/poseidon";
import type { CircuitInfo } from "@zklabel/core/registry";
import { isKitRule, itemFieldsOf, type KitLabel, type KitRule, kitItemFacts } from "@zklabel/core/rules/kit";
import type { ItemFacts, RuleBatchRequest } from "@zklabel/core/rules/types";
import { z } from "zod";
import { type Compiled, compileTemplate } from "./compile.ts";
import { pascal, rulePaths, WORKER_PUBLIC_INPUTS } from "./generate.ts";
import { lintItemTemplate } from "./lint.ts";
import { assertFreeWasm } from "./natural-witness.ts";
import { classifyUnconstrained, firstViolated, mutationCheck, readR1cs, readSym, witness } from "./r1cs.ts";

/** One check's result. */
export interface CheckResult {
  check: "examples" | "asserts" | "soundness" | "source" | "budget";
  ok: boolean;
  /** What was checked and what was found, in words. */
  detail: string;
}

export interface RuleTestReport {
  rule: string;
  ok: boolean;
  results: CheckResult[];
  constraints: { n16: number; n32: number; perLabel: number; budget: number };
}

const exampleSchema = z.object({
  about: z.string(),
  params: z.record(z.string(), z.number()).default({}),
  item: z.record(z.string(), z.number()).default({}),
  label: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  expect: z.enum(["valid", "invalid"]),
  breaks: z.string().optional(),
});
export type Example = z.output<typeof exampleSchema>;

/** A rule's module, loaded from its file under `root` (not through the registry: a new rule need not be in it yet). */
export async function loadKitRule(root: string, name: string): Promise<KitRule> {
  const file = join(root, rulePaths(name).module);
  const mod = (await import(pathToFileURL(file).href).catch((e: Error) => {
    throw new Error(`cannot load the rule module ${file}: ${e.message}`);
  })) as Record<string, unknown>;
  const rule = Object.values(mod).find((v) => typeof v === "object" && v !== null && isKitRule(v as KitRule));
  if (!rule) throw new Error(`${file} exports no rule made with defineKitRule`);
  return rule as KitRule;
}

/** The example files of a rule, parsed; an error naming the file and field for a malformed one. */
export async function loadExamples(root: string, name: string): Promise<{ file: string; example: Example }[]> {
  const dir = join(root, rulePaths(name).examples);
  const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(".json")).sort();
  if (files.length === 0)
    throw new Error(`no examples in ${dir}: add valid and invalid items there (docs/writing-rules.md)`);
  const out = [];
  for (const file of files) {
    const parsed = exampleSchema.safeParse(JSON.parse(await readFile(join(dir, file), "utf8")));
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`${file}: ${i.path.join(".") || "the file"}: ${i.message}`);
    }
    out.push({ file, example: parsed.data });
  }
  return out;
}

/** The kit's test variant of the rule's worker circuit: N items, a path of 2 levels, groups of depth 4. */
export function testCircuit(rule: KitRule, n: number): CircuitInfo {
  const d = rule.description;
  return {
    name: `${d.name}_kit_n${n}`,
    rule: d.name,
    ruleId: d.id,
    file: rulePaths(d.name).circuit,
    template: `${pascal(d.name)}WorkerBatch`,
    params: { N: n, DEPTH: Math.log2(n) + 2, GROUP_DEPTH: 4 },
    labelBits: rule.labelBits,
    publicInputs: [...WORKER_PUBLIC_INPUTS],
    deploy: false,
  };
}

const WORKER = new Identity("zklabel rule test worker");

/**
 * The witness input of a batch of `circuit` holding `items` and `labels` (the examples'), unchecked
 * by TypeScript so the circuit alone decides; or the reason no input exists.
 */
export function exampleInput(
  rule: KitRule,
  circuit: CircuitInfo,
  batch: readonly { item: Record<string, number>; label: KitLabel }[],
  params: Record<string, number>,
): Record<string, unknown> {
  const d = rule.description;
  const facts = batch.map((x, k) => kitItemFacts(d, poseidon([BigInt(k + 1), 7n]), x.item));
  return rule.uncheckedInput(
    sampleRequest(
      rule,
      circuit,
      facts,
      batch.map((x) => x.label),
      params,
    ),
  ).input;
}

/**
 * Batch 0 of a made-up task (the demo requester key, task 1 on the local chain) holding `items` with
 * `labels`, proven by a throwaway identity, the only member of its group: what `rule test` and
 * `rule prove-sample` prove. Not a real task's request.
 */
export function sampleRequest(
  rule: KitRule,
  circuit: CircuitInfo,
  items: readonly ItemFacts[],
  labels: readonly KitLabel[],
  params: Record<string, number>,
): RuleBatchRequest<Record<string, number>, KitLabel> {
  return {
    circuit,
    task: { pkR: DEMO_REQUESTER_KEY.pkR, goldRoot: 0n, taskId: 1n, chainId: 31337n, contract: 0xc0ffeen },
    batchIndex: 0,
    salt: 424242n,
    recipient: 0xbeefn,
    identity: workerSecret(WORKER),
    group: workerGroup([WORKER.commitment]),
    params,
    data: { source: rule.datasetTree(circuit.params.DEPTH, circuit.params.N, items), itemCount: items.length, items },
    labels,
  };
}

/**
 * An example's label as numbers, without the label schema's ranges (an invalid example may hold a value
 * out of range on purpose, for the circuit to refuse): enum values by name or index, booleans as 0 or 1.
 */
export function exampleLabel(rule: KitRule, json: Record<string, number | string | boolean>): KitLabel | string {
  const out: KitLabel = {};
  for (const f of rule.description.label) {
    const v = json[f.name];
    if (v === undefined) return `the label has no ${f.name}`;
    if (typeof v === "string") {
      if (f.type !== "enum" || !f.values.includes(v))
        return `${f.name} = "${v}" is not ${f.type === "enum" ? `one of ${f.values.join(", ")}` : "a number"}`;
      out[f.name] = f.values.indexOf(v);
    } else if (typeof v === "boolean") out[f.name] = v ? 1 : 0;
    else if (!Number.isSafeInteger(v) || v < 0) return `${f.name} = ${v} is not a whole number >= 0`;
    else out[f.name] = v;
  }
  const extra = Object.keys(json).filter((k) => !rule.description.label.some((f) => f.name === k));
  return extra.length ? `the label has fields the rule does not: ${extra.join(", ")}` : out;
}

/**
 * The marginal constraints of one more label: the worker template at N = 16 and N = 32 (both with
 * dataset chunks of 16 and the same path length), (C(32) - C(16)) / 16.
 */
export async function constraintsPerLabel(root: string, file: string, template: string) {
  const c16 = await compileTemplate(root, file, template, [16, 6, 4], WORKER_PUBLIC_INPUTS);
  const c32 = await compileTemplate(root, file, template, [32, 7, 4], WORKER_PUBLIC_INPUTS);
  const n16 = (await readR1cs(c16.r1cs)).constraints.length;
  const n32 = (await readR1cs(c32.r1cs)).constraints.length;
  return { n16, n32, perLabel: (n32 - n16) / 16 };
}

/** The template a witness failure stopped in ("SpanItem"), from circom's message. */
const failedIn = (e: unknown) => /Error in template (\w+?)_\d+ line: (\d+)/.exec(String((e as Error)?.message ?? e));

/** A witness as r1cs.ts computes it, without the generator's own "ERROR: ..." lines (the report says it in words). */
async function quietWitness(input: unknown, wasm: string | Uint8Array): Promise<bigint[]> {
  const { log: l, error: e } = console;
  console.log = console.error = () => {};
  try {
    return await witness(input, wasm);
  } finally {
    console.log = l;
    console.error = e;
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

/** Runs every check of `rule test` on the rule `name` under `root`; `log` gets progress lines. */
export async function testRule(
  root: string,
  name: string,
  log: (line: string) => void = () => {},
): Promise<RuleTestReport> {
  const rule = await loadKitRule(root, name);
  const d = rule.description;
  const examples = await loadExamples(root, name);
  const c4 = testCircuit(rule, 4);
  log(`compiling ${c4.template}(4, 4, 4) with circom2 --O2 (cached after the first time)`);
  const compiled: Compiled = await compileTemplate(root, c4.file, c4.template, [4, 4, 4], WORKER_PUBLIC_INPUTS);
  const r1cs = await readR1cs(compiled.r1cs);
  const results: CheckResult[] = [];

  // 1 and 2: examples, and assert-only checks.
  let firstValid: Record<string, unknown> | undefined;
  for (const { file, example } of examples) {
    log(`example ${file}: ${example.about}`);
    const label = exampleLabel(rule, example.label);
    if (typeof label === "string") {
      results.push({ check: "examples", ok: false, detail: `${file}: ${label}` });
      continue;
    }
    const facts = kitItemFacts(d, 1n, example.item);
    let tsIssues: { code: string; message: string }[];
    try {
      const missing = itemFieldsOf(d)
        .all.filter((f) => example.item[f.name] === undefined)
        .map((f) => f.name);
      if (missing.length) throw new Error(`the item lacks ${missing.join(", ")}`);
      tsIssues = rule.checkLabels([label], [facts], example.params, 0);
    } catch (e) {
      results.push({ check: "examples", ok: false, detail: `${file}: ${(e as Error).message}` });
      continue;
    }
    const tsValid = tsIssues.length === 0;
    let input: Record<string, unknown> | undefined;
    let circuitValid = false;
    let circuitWhy = "";
    try {
      input = exampleInput(rule, c4, [{ item: example.item, label }], example.params);
    } catch (e) {
      // A label that does not even pack into labelBits has no input (the circuit's own range checks refuse it too).
      circuitWhy = `no circuit input exists: ${(e as Error).message.split("\n")[0]}`;
    }
    if (input) {
      try {
        await quietWitness(input, compiled.wasm);
        circuitValid = true;
      } catch (e) {
        const at = failedIn(e);
        circuitWhy = at ? `in ${at[1]}, line ${at[2]} of its template` : (e as Error).message.split("\n")[0];
      }
    }
    const expectValid = example.expect === "valid";
    const words: string[] = [];
    if (tsValid !== expectValid)
      words.push(
        expectValid
          ? `the TypeScript check refuses it (${tsIssues.map((i) => i.message).join("; ")}) but the example says it is valid`
          : "the TypeScript check accepts it but the example says it is invalid: `check` is missing this rule",
      );
    if (!expectValid && example.breaks && tsIssues.length && !tsIssues.some((i) => i.code === example.breaks))
      words.push(
        `the TypeScript check refuses it for ${tsIssues.map((i) => i.code).join(", ")}, not for ${example.breaks}`,
      );
    if (circuitValid !== expectValid)
      words.push(
        expectValid
          ? `the circuit refuses it (${circuitWhy}) but the example says it is valid`
          : "the circuit accepts it: no constraint enforces the rule it breaks, so a proof of it exists",
      );
    if (circuitValid !== tsValid && tsValid === expectValid)
      words.push("the TypeScript check and the circuit disagree");
    results.push({
      check: "examples",
      ok: words.length === 0,
      detail: words.length
        ? `${file} (${example.about}): ${words.join("; ")}`
        : `${file}: ${expectValid ? "accepted by the TypeScript check and the circuit" : `refused by the TypeScript check (${tsIssues.map((i) => i.code).join(", ")}) and the circuit (${circuitWhy})`}, as expected`,
    });
    if (expectValid && circuitValid && !firstValid) firstValid = input;
    if (!expectValid && !circuitValid && input) {
      // The check that refused it must be a constraint: the natural witness must break one.
      const natural = await quietWitness(input, await assertFreeWasm(compiled.wasm)).catch(() => undefined);
      const violated = natural ? firstViolated(r1cs, natural) : 0;
      results.push({
        check: "asserts",
        ok: violated !== -1,
        detail:
          violated !== -1
            ? `${file}: with the circuit's asserts removed, the constraints still refuse it (constraint ${violated} breaks)`
            : `${file}: refused only by an assert (${circuitWhy}): with the circuit's asserts removed, its witness satisfies every constraint, so a proof of this invalid label exists. Replace the assert with a constraint (===, <==, a range check).`,
      });
    }
  }
  if (!examples.some((x) => x.example.expect === "valid"))
    results.push({
      check: "examples",
      ok: false,
      detail: "no valid example: add one, the soundness check mutates its witness",
    });
  if (!examples.some((x) => x.example.expect === "invalid"))
    results.push({
      check: "examples",
      ok: false,
      detail: "no invalid example: add one per way a label can break the rule",
    });

  // 3: witness mutation.
  if (firstValid) {
    const w = await quietWitness(firstValid, compiled.wasm);
    const { checked, unconstrained } = mutationCheck(r1cs, w);
    const { free, findings } = classifyUnconstrained(unconstrained, { r: r1cs, w, sym: await readSym(compiled.sym) });
    results.push({
      check: "soundness",
      ok: findings.length === 0,
      detail: findings.length
        ? `${plural(findings.length, "witness signal")} that no constraint pins (a prover may set ${findings.length === 1 ? "it" : "them"} to anything): ${findings.join(", ")}`
        : `${plural(checked, "witness signal")} mutated one at a time: each breaks a constraint${free.length ? `, but ${free.length} provably free (${free.join("; ")})` : ""}`,
    });
  }

  // 4: the source of the author's template.
  const src = await readFile(join(root, rulePaths(name).circuit), "utf8");
  const params = d.params.map((p) => p.name);
  const lint = lintItemTemplate(src, `${pascal(name)}Item`, params);
  results.push(
    ...(lint.length
      ? lint.map((f) => ({
          check: "source" as const,
          ok: false,
          detail: `${rulePaths(name).circuit}:${f.line}: ${f.message}`,
        }))
      : [
          {
            check: "source" as const,
            ok: true,
            detail: `${pascal(name)}Item: every <-- is tied by a constraint, every parameter is constrained`,
          },
        ]),
  );

  // 5: constraints per label.
  log("compiling the budget twins at N = 16 and N = 32 (cached after the first time)");
  const { perLabel, n16, n32 } = await constraintsPerLabel(root, c4.file, c4.template);
  const over = perLabel > d.budget.perLabel;
  results.push({
    check: "budget",
    ok: !over,
    detail:
      `${perLabel} constraints per label (budget ${d.budget.perLabel}): (C(32) - C(16)) / 16 = ` +
      `(${n32.toLocaleString("en")} - ${n16.toLocaleString("en")}) / 16` +
      (over ? "; cut the rule's cost or raise budget.perLabel in the description" : ""),
  });
  return {
    rule: name,
    ok: results.every((r) => r.ok),
    results,
    constraints: { n16, n32, perLabel, budget: d.budget.perLabel },
  };
}
