/**
 * The public-input layout, from its one source: circuits/circuits.json lists every circuit's public
 * inputs by name, in order; this generator turns that list into positions for the code that reads
 * proofs' public signals, so no one writes an index by hand.
 *
 *   contracts/generated/PublicInputs.sol      the positions the escrow reads (shared by every deployed rule)
 *   packages/core/src/generated/circuits.ts   the registry as typed data, and each circuit's input slots
 *
 * Usage: node scripts/circuits/gen-layout.ts            write both files
 *        node scripts/circuits/gen-layout.ts --check    exit 1 if either differs from what would be written
 */
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as z from "zod";
import { ROOT } from "../lib/process.ts";

export const REGISTRY = "circuits/circuits.json";
export const SOLIDITY_OUT = "contracts/generated/PublicInputs.sol";
export const TS_OUT = "packages/core/src/generated/circuits.ts";
const COMMAND = "node scripts/circuits/gen-layout.ts";
/** The header's two lines (each under the 120 columns solhint allows). */
const HEADER = [`Generated from ${REGISTRY} by scripts/circuits/gen-layout.ts.`, `Do not edit: run \`${COMMAND}\`.`];

/**
 * The public inputs that are arrays in the circuits; every other one is a single field element.
 * Circom flattens arrays in place, so these widths are what turns names into positions.
 * A "rest" input's length follows the circuit's parameters; it must come last.
 */
export const ARRAY_INPUTS: Readonly<Record<string, { width: number | "rest"; elements?: readonly string[] }>> = {
  // The worker's ephemeral Baby Jubjub public key: a point.
  epk: { width: 2, elements: ["x", "y"] },
  // The Poseidon ciphertext of the labels and salt: its length follows N and labelBits.
  ciphertext: { width: "rest" },
};

/** One registry entry. Strict: a field this schema does not know must be added here (and so to the TS type). */
const entrySchema = z.strictObject({
  $comment: z.string().optional(),
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "lower snake case"),
  rule: z.string(),
  ruleId: z.number().int().positive().optional(),
  /** What the circuit proves for its rule: a worker's batch (the default) or a requester's gold rejection of one. */
  role: z.enum(["worker", "reject"]).optional(),
  file: z.string(),
  template: z.string(),
  params: z.record(z.string(), z.number().int()),
  labelBits: z.number().int().positive().optional(),
  publicInputs: z.array(z.string().regex(/^[a-z][A-Za-z0-9]*$/, "lower camel case")).min(1),
  deploy: z.boolean(),
  setup: z.boolean().optional(),
  serve: z.boolean().optional(),
  solidity: z.boolean().optional(),
});
const registrySchema = z.strictObject({ $comment: z.string().optional(), circuits: z.array(entrySchema).min(1) });
export type RegistryEntry = z.infer<typeof entrySchema>;
/** Registry "rule"s that are not labeling rules: the worker-core harness and the vault's download ticket. */
const LIBRARY_RULES = ["core", "access"];

/** Where one named public input sits in a circuit's public signal vector. */
export interface Slot {
  name: string;
  offset: number;
  width: number | "rest";
  array: boolean;
}

/** Parses circuits/circuits.json text, with errors that name the entry and field at fault. */
export function parseRegistry(text: string): RegistryEntry[] {
  const parsed = registrySchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${REGISTRY} is not a valid circuit registry:\n${z.prettifyError(parsed.error)}`);
  const names = new Set<string>();
  for (const c of parsed.data.circuits) {
    if (names.has(c.name)) throw new Error(`${REGISTRY}: two circuits are called "${c.name}"`);
    names.add(c.name);
    // packages/core types rule circuits' params with N and DEPTH (the batch size and dataset depth it reads).
    const missing = ["N", "DEPTH"].filter((k) => c.params[k] === undefined);
    if (!LIBRARY_RULES.includes(c.rule) && missing.length > 0) {
      throw new Error(`${REGISTRY}: ${c.name} proves rule "${c.rule}" but has no params ${missing.join(" or ")}`);
    }
  }
  return parsed.data.circuits;
}

/** The slots of a circuit's public inputs, in order; a "rest" input (the ciphertext) must be the last one. */
export function slotsOf(entry: RegistryEntry): Slot[] {
  const slots: Slot[] = [];
  let offset = 0;
  entry.publicInputs.forEach((name, i) => {
    if (entry.publicInputs.indexOf(name) !== i)
      throw new Error(`${entry.name}: public input "${name}" is listed twice`);
    const array = ARRAY_INPUTS[name];
    const width = array?.width ?? 1;
    if (width === "rest" && i !== entry.publicInputs.length - 1) {
      throw new Error(
        `${entry.name}: "${name}" has no fixed width, so it must be the last public input (it is #${i + 1} of ${entry.publicInputs.length})`,
      );
    }
    slots.push({ name, offset, width, array: array !== undefined });
    if (width !== "rest") offset += width;
  });
  return slots;
}

const describe = (slots: readonly Slot[]) =>
  slots.map(
    (s) => `${s.name}@${s.offset}${s.width === "rest" ? "+" : s.width > 1 ? `..${s.offset + s.width - 1}` : ""}`,
  );

/**
 * The layout the escrow reads: that of the circuits marked "deploy", which must all agree, since the
 * escrow checks every rule's proofs at the same positions.
 */
export function escrowSlots(entries: readonly RegistryEntry[]): { slots: Slot[]; circuits: string[] } {
  const deployed = entries.filter((e) => e.deploy && e.role !== "reject");
  if (deployed.length === 0)
    throw new Error(`${REGISTRY} marks no worker circuit "deploy": true, so the escrow has no layout`);
  const { slots, circuits } = agreeingSlots(deployed, "every rule's proofs");
  if (!slots.some((s) => s.width === "rest")) {
    throw new Error(`${circuits[0]}: a deployed worker circuit ends in its ciphertext (an input of width "rest")`);
  }
  return { slots, circuits };
}

/**
 * The layout the escrow reads of a gold rejection: that of the deployed circuits with "role": "reject",
 * which must all agree (one rejectBatch for every rule with gold). Empty when none is deployed.
 */
export function rejectSlots(entries: readonly RegistryEntry[]): { slots: Slot[]; circuits: string[] } {
  const deployed = entries.filter((e) => e.deploy && e.role === "reject");
  if (deployed.length === 0) return { slots: [], circuits: [] };
  const { slots, circuits } = agreeingSlots(deployed, "every rule's rejections");
  if (slots.some((s) => s.width === "rest"))
    throw new Error(`${circuits[0]}: a rejection has fixed-width public inputs only`);
  return { slots, circuits };
}

/** The slots of `deployed`, which must all list the same publicInputs in the same order. */
function agreeingSlots(deployed: readonly RegistryEntry[], what: string): { slots: Slot[]; circuits: string[] } {
  const [first, ...others] = deployed;
  const slots = slotsOf(first);
  const want = describe(slots).join(", ");
  for (const other of others) {
    const got = describe(slotsOf(other)).join(", ");
    if (got !== want) {
      throw new Error(
        `${other.name} puts its public inputs at (${got}) but ${first.name} at (${want}). The escrow reads one layout ` +
          `for ${what} (${SOLIDITY_OUT}), so every circuit of that role with "deploy": true in ${REGISTRY} must list ` +
          "the same publicInputs in the same order.",
      );
    }
  }
  return { slots, circuits: deployed.map((e) => e.name) };
}

/** taskHash -> TASK_HASH */
const screaming = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** contracts/generated/PublicInputs.sol: file-level constants, which solc inlines like the contract constants they replace. */
export function renderSolidity(entries: readonly RegistryEntry[]): string {
  const { slots, circuits } = escrowSlots(entries);
  const reject = rejectSlots(entries);
  const lines = [
    "// SPDX-License-Identifier: MIT",
    ...HEADER.map((l) => `// ${l}`),
    "pragma solidity ^0.8.28;",
    "",
    "// Positions in the public input vector of every deployed worker proof:",
    ...circuits.map((c) => `//   ${c}`),
    "// (circuits/circuits.json order, arrays flattened in place).",
  ];
  for (const s of slots) {
    lines.push("");
    if (s.width === "rest") {
      lines.push(
        `/// @dev ${s.name}: from here to the end of the vector (its length follows the circuit's parameters).`,
      );
      lines.push(`uint256 constant IN_${screaming(s.name)} = ${s.offset};`);
    } else if (s.array) {
      const elements = ARRAY_INPUTS[s.name].elements ?? Array.from({ length: s.width }, (_, i) => String(i));
      lines.push(`/// @dev ${s.name}[${s.width}], one constant per element.`);
      elements.forEach((el, i) => {
        lines.push(`uint256 constant IN_${screaming(s.name)}_${el.toUpperCase()} = ${s.offset + i};`);
      });
    } else {
      lines.push(`/// @dev ${s.name}`);
      lines.push(`uint256 constant IN_${screaming(s.name)} = ${s.offset};`);
    }
  }
  if (reject.circuits.length > 0) {
    lines.push(
      "",
      "// Positions in the public input vector of every deployed gold rejection:",
      ...reject.circuits.map((c) => `//   ${c}`),
    );
    for (const s of reject.slots) {
      lines.push("", `/// @dev ${s.name}`, `uint256 constant REJECT_IN_${screaming(s.name)} = ${s.offset};`);
    }
    lines.push("", "/// @dev The length of a rejection's public input vector.");
    lines.push(`uint256 constant REJECT_INPUTS = ${reject.slots.length};`);
  }
  return `${lines.join("\n")}\n`;
}

/** packages/core/src/generated/circuits.ts: the registry as typed data and every circuit's slots, formatted by Biome as lint wants it. */
export function renderTypeScript(entries: readonly RegistryEntry[]): string {
  const data = entries
    .map(
      ({ $comment, ...entry }) =>
        `${$comment ? `/** ${$comment.replaceAll("*/", "* /")} */\n` : ""}${JSON.stringify(entry)},`,
    )
    .join("\n");
  const slots = entries.map((e) => `${JSON.stringify(e.name)}: ${JSON.stringify(slotsOf(e))},`).join("\n");
  const text = `${HEADER.map((l) => `// ${l}`).join("\n")}

/** One entry of ${REGISTRY}: a compiled circuit variant. */
export interface CircuitEntry {
  readonly name: string;
  /** The rule it proves, "core" for the rule-independent library harness, "access" for the vault's download ticket. */
  readonly rule: string;
  readonly ruleId?: number;
  /** A worker's batch proof (absent: the default) or a requester's gold rejection of a batch. */
  readonly role?: "worker" | "reject";
  readonly file: string;
  readonly template: string;
  readonly params: Readonly<Record<string, number>>;
  readonly labelBits?: number;
  /** Names in the circuit's order; array-valued inputs flatten in place (see publicInputSlots). */
  readonly publicInputs: readonly string[];
  /** Keyed and deployed behind the escrow (per rule: one worker circuit, and one rejection for a rule with gold). */
  readonly deploy: boolean;
  /** false: compiled only, no keys. */
  readonly setup?: boolean;
  /** Keys served to the app and the workers. */
  readonly serve?: boolean;
  /** false: no Solidity verifier. */
  readonly solidity?: boolean;
}

/** Where one named public input sits in a circuit's public signal vector. */
export interface PublicInputSlot {
  readonly name: string;
  /** Index of its first field element. */
  readonly offset: number;
  /** Field elements it takes; "rest" for the last input, whose length follows the circuit's parameters (the ciphertext). */
  readonly width: number | "rest";
  /** An array in the circuit (flattened in place), even when one element wide. */
  readonly array: boolean;
}

/** Every registered circuit, in registry order. */
export const circuitRegistry: readonly CircuitEntry[] = [
${data}
];

/** Each circuit's public inputs with their positions, by circuit name. */
export const publicInputSlots: Readonly<Record<string, readonly PublicInputSlot[]>> = {
${slots}
};
`;
  return biomeFormat(text, TS_OUT);
}

/** Formats with the repository's Biome (and its biome.json), so the generated file passes \`biome check\` as written. */
function biomeFormat(text: string, path: string): string {
  const out = spawnSync(join(ROOT, "node_modules", ".bin", "biome"), ["format", `--stdin-file-path=${path}`], {
    cwd: ROOT,
    input: text,
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`biome could not format ${path} (${out.error?.message ?? out.stderr})`);
  return out.stdout;
}

/** The files this generator owns, with the text it would write now. */
export async function renderLayoutFiles(): Promise<{ path: string; text: string }[]> {
  const entries = parseRegistry(await readFile(join(ROOT, REGISTRY), "utf8"));
  return [
    { path: SOLIDITY_OUT, text: renderSolidity(entries) },
    { path: TS_OUT, text: renderTypeScript(entries) },
  ];
}

if (import.meta.main) {
  const check = process.argv.includes("--check");
  let stale = 0;
  try {
    for (const f of await renderLayoutFiles()) {
      const abs = join(ROOT, f.path);
      if (check) {
        const current = await readFile(abs, "utf8").catch(() => undefined);
        if (current === f.text) console.log(`${f.path} is up to date`);
        else {
          stale++;
          console.error(
            `${f.path} ${current === undefined ? "is missing" : `differs from what ${REGISTRY} gives`}: run \`${COMMAND}\``,
          );
        }
      } else {
        await mkdir(dirname(abs), { recursive: true });
        await writeFile(abs, f.text);
        console.log(`wrote ${f.path}`);
      }
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
  if (stale) process.exit(1);
}
