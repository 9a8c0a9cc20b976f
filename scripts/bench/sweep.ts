/**
 * Constraint sweep (issue 18): each rule's worker circuit (the template of its deployed registry entry,
 * the same DEPTH, GROUP_DEPTH and other parameters) compiled at N = 16, 32, 64, 128 and 256, with the
 * constraints in total and per label, the public input count, the domain and how long circom took.
 * Variants the registry holds are its build; the others are compiled only (no keys) and cached
 * (scripts/bench/variants.ts), so a second run is instant. Compiles are serial (circom takes a core).
 *
 * Usage: node scripts/bench/sweep.ts [--quick] [--out FILE]
 *   --quick: classification at N = 16 only.
 */
import { fileURLToPath } from "node:url";
import type { CircuitInfo } from "@zklabel/core/registry";
import { RULES, ruleCircuit } from "@zklabel/core/rules";
import { benchCli, buildVariant, printTable, type VariantSpec } from "./variants.ts";

export const SWEEP_N = [16, 32, 64, 128, 256] as const;

export interface SweepRow {
  rule: string;
  circuit: string;
  template: string;
  N: number;
  params: Record<string, number>;
  constraints: number;
  constraintsPerLabel: number;
  /** Public signals (the circuit's public inputs and outputs), as the verifier takes them. */
  publicInputs: number;
  wires: number;
  domainPower: number;
  fits2pow16: boolean;
  source: "registry" | "bench";
  compileSeconds: number | null;
  cached: boolean;
}

/** The registry's name pattern at another N: classification_worker_n64_d20_g20 -> classification_worker_n16_d20_g20. */
const nameAt = (c: CircuitInfo, n: number) => c.name.replace(/_n\d+_/, `_n${n}_`);

/** The worker template of `rule`'s deployed circuit at batch size `n`. */
export function workerVariant(rule: string, n: number): VariantSpec {
  const r = RULES.find((x) => x.name === rule);
  if (!r) throw new Error(`unknown rule ${rule}`);
  const c = ruleCircuit(r);
  return {
    name: nameAt(c, n),
    rule,
    file: c.file,
    template: c.template,
    params: { ...c.params, N: n },
    publicInputs: [...c.publicInputs],
  };
}

/** Compiles (or reads from the cache) every rule's worker circuit at every N; `--quick`: classification at 16. */
export async function constraintSweep(
  opts: { quick?: boolean; rules?: string[]; sizes?: readonly number[]; log?: (m: string) => void } = {},
): Promise<SweepRow[]> {
  const rules = opts.quick ? ["classification"] : (opts.rules ?? RULES.map((r) => r.name));
  const sizes = opts.quick ? [16] : (opts.sizes ?? SWEEP_N);
  const rows: SweepRow[] = [];
  for (const rule of rules) {
    for (const n of sizes) {
      const spec = workerVariant(rule, n);
      const b = await buildVariant(spec, opts.log);
      rows.push({
        rule,
        circuit: b.name,
        template: spec.template,
        N: n,
        params: spec.params,
        constraints: b.constraints,
        constraintsPerLabel: Number((b.constraints / n).toFixed(1)),
        publicInputs: b.publicInputs,
        wires: b.wires,
        domainPower: b.domainPower,
        fits2pow16: b.domainPower <= 16,
        source: b.source,
        compileSeconds: b.compileSeconds,
        cached: b.cached,
      });
      opts.log?.(`${b.name}: ${b.constraints} constraints${b.cached ? " (cached)" : ` in ${b.compileSeconds} s`}`);
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = benchCli("sweep");
  const rows = await constraintSweep({ quick: cli.quick, log: cli.log });
  console.log("");
  printTable(rows, [
    "circuit",
    "N",
    "constraints",
    "constraintsPerLabel",
    "publicInputs",
    "domainPower",
    "source",
    "compileSeconds",
    "cached",
  ]);
  // Marginal cost per label between consecutive sizes of a rule.
  console.log("\nmarginal constraints per label, (C(N) - C(N/2)) / (N/2):");
  for (const rule of new Set(rows.map((r) => r.rule))) {
    const rs = rows.filter((r) => r.rule === rule);
    const m = rs
      .slice(1)
      .map((r, i) => `${rs[i].N}->${r.N}: ${((r.constraints - rs[i].constraints) / (r.N - rs[i].N)).toFixed(1)}`);
    if (m.length) console.log(`  ${rule.padEnd(15)} ${m.join("   ")}`);
  }
  await cli.save({ rows });
}
