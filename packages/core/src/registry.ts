import { type CircuitEntry, circuitRegistry, type PublicInputSlot, publicInputSlots } from "./generated/circuits.ts";

/** One entry of circuits/circuits.json (through its generated copy, ./generated/circuits.ts): a compiled circuit variant. */
export interface CircuitInfo extends CircuitEntry {
  /** The rule it proves, "core" for the rule-independent library harness, "access" for the vault's download ticket. */
  readonly rule: string;
  /** N and DEPTH are there for every rule circuit (scripts/circuits/gen-layout.ts refuses a registry without them). */
  readonly params: Readonly<Record<string, number>> & { N: number; DEPTH: number };
}

/** All registered circuits, in registry order (narrowed to what the generator checked: see CircuitInfo.params). */
export const circuits: readonly CircuitInfo[] = circuitRegistry as readonly CircuitInfo[];

/** The registry entry called `name`, or an error listing the known ones. */
export function circuitInfo(name: string): CircuitInfo {
  const c = circuits.find((x) => x.name === name);
  if (!c) throw new Error(`unknown circuit "${name}"; known: ${circuits.map((x) => x.name).join(", ")}`);
  return c;
}

/** The generated slots of a registered circuit, checked against the entry in hand. */
function slotsOf(circuit: CircuitInfo): readonly PublicInputSlot[] {
  // A circuit not (yet) in the registry, such as a kit rule's test variant (zklabel rule test), takes the
  // layout of a registered one with the same public inputs: the slots follow from the names alone.
  const twin = publicInputSlots[circuit.name]
    ? circuit.name
    : circuits.find((c) => c.publicInputs.join() === circuit.publicInputs.join())?.name;
  const slots = twin === undefined ? undefined : publicInputSlots[twin];
  if (!slots || slots.map((s) => s.name).join() !== circuit.publicInputs.join()) {
    throw new Error(
      `${circuit.name} (public inputs ${circuit.publicInputs.join(", ")}) is not what packages/core/src/generated/circuits.ts ` +
        "holds: run `node scripts/circuits/gen-layout.ts` after editing circuits/circuits.json",
    );
  }
  return slots;
}

/** One public input's place in a proof's public signal vector. */
export interface PublicInputPlace {
  name: string;
  /** Index of its first signal. */
  offset: number;
  /** Signals it takes. */
  width: number;
  /** An array in the circuit (epk, ciphertext): a slice of the vector even when one signal wide. */
  array: boolean;
}

/**
 * Name, offset and width of each public input of `circuit` in a vector of `signalCount` signals, in order.
 * The ciphertext's length follows the circuit's N and label width, so it takes the rest (at least one signal).
 */
export function publicInputLayout(circuit: CircuitInfo, signalCount: number): PublicInputPlace[] {
  const slots = slotsOf(circuit);
  const fixed = slots.reduce((n, s) => n + (s.width === "rest" ? 0 : s.width), 0);
  const rest = slots.find((s) => s.width === "rest");
  if (rest ? signalCount <= fixed : signalCount !== fixed) {
    throw new Error(
      `${circuit.name}: ${signalCount} public signals do not fit its public inputs (${circuit.publicInputs.join(", ")}), ` +
        `which take ${rest ? `${fixed} signals and at least one for ${rest.name}` : `exactly ${fixed}`}`,
    );
  }
  return slots.map((s) => ({
    name: s.name,
    offset: s.offset,
    width: s.width === "rest" ? signalCount - s.offset : s.width,
    array: s.array,
  }));
}

/**
 * Public signals in the circuit's order, from named values; array-valued inputs flatten in place, as circom
 * orders them. Each value must have its input's width (epk two, the ciphertext at least one, the others a bigint).
 */
export function orderPublicSignals(info: CircuitInfo, values: Record<string, bigint | readonly bigint[]>): bigint[] {
  return slotsOf(info).flatMap((slot) => {
    const v = values[slot.name];
    if (v === undefined) throw new Error(`public input "${slot.name}" of ${info.name} is missing`);
    if (!slot.array) {
      if (typeof v !== "bigint")
        throw new Error(`public input "${slot.name}" of ${info.name} is one field element, got ${v.length}`);
      return [v];
    }
    if (typeof v === "bigint" || (slot.width === "rest" ? v.length === 0 : v.length !== slot.width)) {
      const want = slot.width === "rest" ? "at least one element" : `${slot.width} elements`;
      throw new Error(
        `public input "${slot.name}" of ${info.name} takes ${want}, got ${typeof v === "bigint" ? "a single value" : v.length}`,
      );
    }
    return [...v];
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

/** The worker circuit the contracts and the app use for a rule (the registry entry marked deploy, not a rejection). */
export function deployedCircuit(rule: string): CircuitInfo {
  const c = circuits.find((x) => x.rule === rule && x.deploy && x.role !== "reject");
  if (!c) throw new Error(`no deployable circuit for rule "${rule}" in circuits/circuits.json`);
  return c;
}

/** The gold-rejection circuit the contracts and the app use for a rule ("role": "reject", marked deploy), if it has one. */
export function deployedRejectCircuit(rule: string): CircuitInfo | undefined {
  return circuits.find((x) => x.rule === rule && x.deploy && x.role === "reject");
}
