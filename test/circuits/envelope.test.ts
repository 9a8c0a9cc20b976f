/**
 * The rule circuits share one envelope instead of copying it (issue 13, point 7): no template,
 * function or long constant is defined twice under circuits/, every worker circuit proves
 * membership, nullifier and encryption inside RuleEnvelope (circuits/lib/envelope.circom), and the
 * fixed-cost entry of circuits/budgets.json compiles WorkerEnvelope itself, the template
 * RuleEnvelope instantiates, so that budget measures what the rules run.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { circuitInfo, circuits } from "@zklabel/core/registry";
import { artifacts, ROOT } from "../helpers/classification.ts";
import { readSym } from "../helpers/r1cs.ts";

/** Every .circom file under circuits/, comments removed (a comment may name a template it does not define). */
async function circomSources(): Promise<{ file: string; code: string }[]> {
  const dir = join(ROOT, "circuits");
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".circom")).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      code: (await readFile(join(dir, file), "utf8")).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, ""),
    })),
  );
}

/** Things defined or written in more than one place: name -> where. */
function repeated(found: { name: string; file: string }[]): Record<string, string[]> {
  const where = new Map<string, string[]>();
  for (const { name, file } of found) where.set(name, [...(where.get(name) ?? []), file]);
  return Object.fromEntries([...where].filter(([, files]) => files.length > 1));
}

const budgets = JSON.parse(await readFile(join(ROOT, "circuits/budgets.json"), "utf8")) as Record<string, unknown>;
const ruleBudgets = Object.values(budgets).filter(
  (b): b is { circuit: string; fixed: string } => typeof b === "object" && b !== null && "fixed" in b,
);
const registry = JSON.parse(await readFile(join(ROOT, "circuits/circuits.json"), "utf8")) as {
  circuits: { name: string; file: string }[];
};
/** The source file a registry entry compiles (packages/core's CircuitInfo leaves it out). */
const registryFile = (name: string) => registry.circuits.find((c) => c.name === name)?.file;
/** The worker proofs of the rules: labels and a worker group (not the harness, not the vault's ticket). */
const workerCircuits = circuits.filter((c) => c.labelBits !== undefined && c.params.GROUP_DEPTH !== undefined);

describe("circuits: one definition of everything", () => {
  it("no template or function name is defined twice", async () => {
    const found = (await circomSources()).flatMap(({ file, code }) =>
      [...code.matchAll(/^\s*(template|function)\s+(\w+)\s*\(/gm)].map((m) => ({ name: `${m[1]} ${m[2]}`, file })),
    );
    assert.ok(found.some((f) => f.name === "template RuleEnvelope"));
    assert.deepEqual(repeated(found), {});
  });
  it("no field-sized constant (a curve point, the subgroup order) is written twice", async () => {
    const found = (await circomSources()).flatMap(({ file, code }) =>
      [...code.matchAll(/\b\d{30,}\b/g)].map((m) => ({ name: m[0], file })),
    );
    // Base8 (two coordinates) and the subgroup order, once each.
    assert.equal(found.length, 3, `expected only babyjub.circom's three constants, found ${found.length}`);
    assert.deepEqual(repeated(found), {});
  });
});

describe("circuits: the worker proofs share RuleEnvelope and the fixed cost measures it", () => {
  it("the registry has worker circuits of every rule with a budget", () => {
    assert.ok(workerCircuits.length > 0);
    for (const b of ruleBudgets)
      assert.ok(
        workerCircuits.some((c) => c.name === b.circuit),
        b.circuit,
      );
  });
  for (const c of workerCircuits) {
    it(`${c.name}: membership, nullifier, labels commitment and encryption run inside its RuleEnvelope`, async () => {
      const sym = await readSym(artifacts(c.name).sym);
      for (const signal of [
        "main.envelope.worker.member.nullifier",
        "main.envelope.worker.enc.epk[0]",
        "main.envelope.binding.commitment.out",
        "main.envelope.binding.prefix.present[0]",
      ]) {
        assert.ok(sym.wireOf.has(signal), `${c.name} has no ${signal}`);
      }
    });
  }
  it("the fixed-cost entry of every budget compiles WorkerEnvelope itself, the template RuleEnvelope instantiates", async () => {
    const envelope = await readFile(join(ROOT, "circuits/lib/envelope.circom"), "utf8");
    assert.match(envelope, /component worker = WorkerEnvelope\(GROUP_DEPTH, M \+ 1\);/);
    for (const b of ruleBudgets) {
      const fixed = circuitInfo(b.fixed);
      assert.equal(fixed.template, "WorkerEnvelope", `${b.fixed} must compile WorkerEnvelope, not a copy`);
      assert.equal(registryFile(b.fixed), "circuits/lib/worker.circom");
    }
  });
  it("the fixed-cost circuit's membership and nullifier are signal for signal those of every worker circuit", async () => {
    const fixed = circuitInfo(ruleBudgets[0].fixed);
    const names = async (name: string, prefix: string) =>
      [...(await readSym(artifacts(name).sym)).wireOf.keys()]
        .filter((n) => n.startsWith(prefix))
        .map((n) => n.slice(prefix.length))
        .sort();
    const harness = await names(fixed.name, "main.member.");
    assert.ok(harness.length > 1000, `${fixed.name} has ${harness.length} membership signals`);
    for (const c of workerCircuits.filter((x) => x.params.GROUP_DEPTH === fixed.params.GROUP_DEPTH)) {
      assert.deepEqual(await names(c.name, "main.envelope.worker.member."), harness, c.name);
    }
  });
});
