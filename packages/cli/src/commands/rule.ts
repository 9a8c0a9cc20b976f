/**
 * `zklabel rule new|test|prove-sample|register`: the rule authoring kit (docs/writing-rules.md). A rule
 * made with it is a rule like the built-in ones: a module in packages/core/src/rules/, a circuit in
 * circuits/, a registry entry, examples.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { computeWitness, proveWitness, releaseSnarkjs } from "@zklabel/core/prove";
import type { CircuitInfo } from "@zklabel/core/registry";
import { constraintsPerLabel, loadKitRule, sampleRequest, testRule } from "@zklabel/rulekit/check";
import { pascal, rulePaths, workerCircuitName } from "@zklabel/rulekit/generate";
import { readR1cs } from "@zklabel/rulekit/r1cs";
import { DescriptionError, scaffoldRule, starterDescription } from "@zklabel/rulekit/scaffold";
import * as snarkjs from "snarkjs";
import { type Ctx, EXIT, inputError, log, ROOT, readJson } from "../common.ts";
import { registerRule } from "../rule-register.ts";

const rootOption = ["--root <DIR>", "the repository to work in (default: this one)"] as const;
const ruleName = (name: string) => {
  if (!/^[a-z][a-z0-9]{1,23}$/.test(name))
    throw inputError(`"${name}" is not a rule name: 2..24 lowercase letters and digits, from a-z`);
  return name;
};

/** Kit failures that are the author's (a description, an example, a circuit that does not compile) read as input errors. */
async function authorErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (
      e instanceof DescriptionError ||
      (e instanceof Error &&
        /^(circom could not compile|cannot load the rule module|no examples in|.*\.json: )/.test(e.message))
    )
      throw inputError(e.message);
    throw e;
  }
}

export function ruleCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const rule = program
    .command("rule")
    .description("the rule authoring kit: a labeling rule of your own, from its description to an on-chain verifier");

  rule
    .command("new")
    .description("scaffold a rule from a description file: circuit, module, registry entry, examples")
    .argument("<NAME>", "the rule's name (lowercase letters and digits)")
    .option("--from <FILE>", "the rule description (JSON; see docs/writing-rules.md); without it, a two-class starter")
    .option("--id <ID>", "the rule id, without --from (default: the next free one)")
    .option(
      "--force",
      "regenerate the generated parts of an existing rule, keeping the author's template, module and examples",
    )
    .option(...rootOption)
    .action(async (name, o) => {
      const root = resolve(o.root ?? ROOT);
      ruleName(name);
      const registry = JSON.parse(await readFile(join(root, "circuits/circuits.json"), "utf8")) as {
        circuits: { ruleId?: number }[];
      };
      const nextId = Math.max(0, ...registry.circuits.map((c) => c.ruleId ?? 0)) + 1;
      const json = o.from ? await readJson(o.from) : starterDescription(name, o.id ? Number(o.id) : nextId);
      if (o.from && (json as { name?: unknown }).name !== name)
        throw inputError(
          `${o.from} describes rule "${(json as { name?: unknown }).name}", not "${name}": make them the same`,
        );
      const r = await authorErrors(() =>
        scaffoldRule(root, json, o.from ?? "the starter description", { force: o.force === true }),
      );
      const p = rulePaths(name);
      ctx.out(
        [
          `rule ${name}: wrote ${r.written.join(", ")}${r.kept.length ? `; kept ${r.kept.join(", ")}` : ""}`,
          "Next:",
          `  1. write the rule in ${pascal(name)}Item (${p.circuit}) and its twin \`check\` (${p.module});`,
          `  2. add valid and invalid examples to ${p.examples}/;`,
          `  3. zklabel rule test ${name}; zklabel rule prove-sample ${name}; zklabel rule register ${name}.`,
        ].join("\n"),
        { ok: true, rule: name, written: r.written, kept: r.kept },
      );
    });

  rule
    .command("test")
    .description(
      "check a rule: examples through the TypeScript check and the circuit, asserts, witness mutation, source, constraint budget",
    )
    .argument("<NAME>", "the rule's name")
    .option(...rootOption)
    .action(async (name, o) => {
      const root = resolve(o.root ?? ROOT);
      const report = await authorErrors(() =>
        testRule(root, ruleName(name), ctx.json ? () => {} : (l) => log(`  ${l}`)),
      );
      const lines = report.results.map((r) => `${r.ok ? "  ok   " : "  FAIL "} ${r.check.padEnd(9)} ${r.detail}`);
      const failed = report.results.filter((r) => !r.ok).length;
      ctx.out(
        [
          `rule test ${name}:`,
          ...lines,
          failed
            ? `${failed} of ${report.results.length} checks failed.`
            : `all ${report.results.length} checks passed.`,
        ].join("\n"),
        report,
      );
      if (failed) ctx.exitCode = EXIT.input;
    });

  rule
    .command("prove-sample")
    .description(
      "compile the deployed circuit, set up INSECURE development keys, prove and verify a sample batch; print constraints per label and proving time",
    )
    .argument("<NAME>", "the rule's name")
    .option(...rootOption)
    .action(async (name, o) => {
      const root = resolve(o.root ?? ROOT);
      const result = await authorErrors(() => proveSample(root, ruleName(name)));
      ctx.out(
        [
          `rule ${name}: a sample batch of ${result.n} labels proven and verified with ${result.circuit} (INSECURE development keys)`,
          `  constraints: ${result.constraints.toLocaleString("en")} in all, ${result.perLabel} per label (marginal), ${(result.constraints / result.n).toFixed(1)} per label amortized`,
          `  proving: witness ${result.witnessMs} ms, proof ${result.proofMs} ms, ${(result.n / ((result.witnessMs + result.proofMs) / 1000)).toFixed(1)} labels/s; verified in ${result.verifyMs} ms`,
        ].join("\n"),
        result,
      );
    });

  rule
    .command("register")
    .description("deploy a rule's verifiers to the running local chain and add the rule to its rule registry")
    .argument("<NAME>", "the rule's name")
    .option("--deployment <FILE>", "the deployment file", "apps/web/public/deployment.json")
    .option("--rpc <URL>", "the local node", "http://127.0.0.1:8545")
    .option(...rootOption)
    .action(async (name, o) => {
      const root = resolve(o.root ?? ROOT);
      const r = await registerRule({
        root,
        name: ruleName(name),
        deployment: resolve(root, o.deployment),
        rpc: o.rpc,
        log,
      });
      ctx.out(`rule ${name} (id ${r.ruleId}) registered: verifier ${r.verifier}, batch verifier ${r.batchVerifier}`, r);
    });
}

/** Runs the repository's circuit build for one registry entry (compile, development setup, verifiers, app files). */
function buildEntry(root: string, entry: string): Promise<void> {
  return new Promise((done, fail) => {
    // The build's progress goes to stderr: stdout is the command's answer (--json).
    const p = spawn(process.execPath, [join(root, "scripts", "circuits", "build.ts"), entry], {
      cwd: root,
      stdio: ["ignore", process.stderr, "inherit"],
    });
    p.on("error", fail);
    p.on("close", (code) =>
      code === 0 ? done() : fail(new Error(`the circuit build of ${entry} failed (exit ${code}); its output is above`)),
    );
  });
}

/** prove-sample: the deployed circuit of the rule, built as `npm run circuits` builds it, and one sample batch through it. */
export async function proveSample(root: string, name: string) {
  const rule = await loadKitRule(root, name);
  const d = rule.description;
  const registry = JSON.parse(await readFile(join(root, "circuits/circuits.json"), "utf8")) as {
    circuits: CircuitInfo[];
  };
  const circuit = registry.circuits.find((c) => c.name === workerCircuitName(name, d.batch));
  if (!circuit)
    throw inputError(
      `circuits/circuits.json has no ${workerCircuitName(name, d.batch)}: run zklabel rule new ${name} --force`,
    );
  log(`building ${circuit.name} (compile, INSECURE development setup; cached after the first time)`);
  await buildEntry(root, circuit.name);
  const dir = join(root, "build", "circuits", circuit.name);
  const N = circuit.params.N;
  const ex = rule.example(N, circuit.params);
  const { input, publicSignals } = rule.workerInput(sampleRequest(rule, circuit, ex.items, ex.labels, ex.params));
  const t0 = performance.now();
  const wtns = await computeWitness(input as Record<string, string | string[]>, join(dir, "main.wasm"));
  const t1 = performance.now();
  const proof = await proveWitness(wtns, publicSignals, join(dir, "main.zkey"));
  const t2 = performance.now();
  const vkey = JSON.parse(await readFile(join(dir, "vkey.json"), "utf8"));
  const ok = await snarkjs.groth16.verify(vkey, proof.publicSignals.map(String), proof.raw);
  const t3 = performance.now();
  await releaseSnarkjs();
  if (!ok) throw new Error(`the sample proof of ${circuit.name} does not verify with its own verification key`);
  const constraints = (await readR1cs(join(dir, "main.r1cs"))).constraints.length;
  const { perLabel } = await constraintsPerLabel(root, circuit.file, circuit.template);
  return {
    ok: true,
    circuit: circuit.name,
    n: N,
    constraints,
    perLabel,
    witnessMs: Math.round(t1 - t0),
    proofMs: Math.round(t2 - t1),
    verifyMs: Math.round(t3 - t2),
  };
}
