import registry from "../../../circuits/circuits.json" with { type: "json" };
import type { RuleName } from "./task.ts";

/** One entry of circuits/circuits.json: a compiled rule circuit variant. */
export interface CircuitInfo {
  name: string;
  /** The rule it proves, "core" for the rule-independent library harness, "access" for the vault's download ticket. */
  rule: RuleName | "core" | "access";
  ruleId?: number;
  template: string;
  params: Record<string, number> & { N: number; DEPTH: number };
  labelBits?: number;
  publicInputs: readonly string[];
  deploy: boolean;
  setup?: boolean;
  serve?: boolean;
  solidity?: boolean;
}

/** All registered circuits, in registry order. */
export const circuits: readonly CircuitInfo[] = registry.circuits as unknown as CircuitInfo[];

/** The registry entry called `name`, or an error listing the known ones. */
export function circuitInfo(name: string): CircuitInfo {
  const c = circuits.find((x) => x.name === name);
  if (!c) throw new Error(`unknown circuit "${name}"; known: ${circuits.map((x) => x.name).join(", ")}`);
  return c;
}

/** Public signals in the circuit's order, from named values; array-valued inputs flatten in place, as circom orders them. */
export function orderPublicSignals(info: CircuitInfo, values: Record<string, bigint | readonly bigint[]>): bigint[] {
  return info.publicInputs.flatMap((k) => {
    const v = values[k];
    if (v === undefined) throw new Error(`public input "${k}" of ${info.name} is missing`);
    return typeof v === "bigint" ? [v] : [...v];
  });
}

/** Named view of a public signal vector. */
export function namePublicSignals(info: CircuitInfo, signals: readonly bigint[]): Record<string, bigint> {
  if (signals.length !== info.publicInputs.length) {
    throw new Error(`${info.name} has ${info.publicInputs.length} public inputs, got ${signals.length}`);
  }
  return Object.fromEntries(info.publicInputs.map((k, i) => [k, signals[i]]));
}

/** The contract name of a circuit's generated verifier: classification_n64_d20 -> ClassificationN64D20Verifier. */
export function verifierName(circuit: string): string {
  return `${circuit
    .split("_")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("")}Verifier`;
}

/** The contract name of a deployed circuit's batch verifier: ...Verifier -> ...BatchVerifier. */
export function batchVerifierName(circuit: string): string {
  return verifierName(circuit).replace(/Verifier$/, "BatchVerifier");
}

/** The circuit the contracts and the app use for a rule (the registry entry marked deploy). */
export function deployedCircuit(rule: string): CircuitInfo {
  const c = circuits.find((x) => x.rule === rule && x.deploy);
  if (!c) throw new Error(`no deployable circuit for rule "${rule}" in circuits/circuits.json`);
  return c;
}
