/**
 * A small R1CS evaluator for soundness tests: reads circom's .r1cs and
 * snarkjs' .wtns formats and checks A·w * B·w = C·w for every constraint.
 */
import { readFile } from "node:fs/promises";
import { SNARK_SCALAR_FIELD as P } from "@zklabel/core/field";
import * as snarkjs from "snarkjs";
import { binSections as sections } from "./binfile.ts";

type Lc = [number, bigint][];
export interface R1cs {
  nWires: number;
  nPublic: number;
  constraints: [Lc, Lc, Lc][];
  /** constraintsOf[w] = indexes of the constraints that mention wire w. */
  constraintsOf: number[][];
}

const readLe = (b: Buffer, o: number, n: number) => {
  let x = 0n;
  for (let i = n - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[o + i]);
  return x;
};

/** Parses a circom .r1cs file. */
export async function readR1cs(path: string): Promise<R1cs> {
  const s = sections(await readFile(path));
  const h = s.get(1) as Buffer;
  const n8 = h.readUInt32LE(0);
  let o = 4 + n8;
  const nWires = h.readUInt32LE(o);
  const nPublic = h.readUInt32LE(o + 4) + h.readUInt32LE(o + 8);
  const nConstraints = h.readUInt32LE(o + 24);
  const c = s.get(2) as Buffer;
  o = 0;
  const constraints: [Lc, Lc, Lc][] = [];
  const constraintsOf: number[][] = Array.from({ length: nWires }, () => []);
  for (let k = 0; k < nConstraints; k++) {
    const lcs: Lc[] = [];
    for (let part = 0; part < 3; part++) {
      const n = c.readUInt32LE(o);
      o += 4;
      const lc: Lc = [];
      for (let t = 0; t < n; t++) {
        const w = c.readUInt32LE(o);
        lc.push([w, readLe(c, o + 4, n8)]);
        o += 4 + n8;
        const list = constraintsOf[w];
        if (list[list.length - 1] !== k) list.push(k);
      }
      lcs.push(lc);
    }
    constraints.push(lcs as [Lc, Lc, Lc]);
  }
  return { nWires, nPublic, constraints, constraintsOf };
}

/**
 * Computes the witness with a circuit's generator (its .wasm file, or the bytes
 * of one); throws when a check of the circuit fails.
 */
export async function witness(input: unknown, wasm: string | Uint8Array): Promise<bigint[]> {
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input, typeof wasm === "string" ? wasm : { type: "mem", data: wasm }, out);
  const s = sections(Buffer.from(out.data as Uint8Array));
  const h = s.get(1) as Buffer;
  const n8 = h.readUInt32LE(0);
  const n = h.readUInt32LE(4 + n8);
  const d = s.get(2) as Buffer;
  return Array.from({ length: n }, (_, i) => readLe(d, i * n8, n8));
}

const evalLc = (lc: Lc, w: readonly bigint[]) => {
  let acc = 0n;
  for (const [i, coef] of lc) acc += coef * w[i];
  return acc % P;
};

/** True when constraint k holds for witness w. */
export function holds(r: R1cs, k: number, w: readonly bigint[]): boolean {
  const [a, b, c] = r.constraints[k];
  return (evalLc(a, w) * evalLc(b, w) - evalLc(c, w)) % P === 0n;
}

/** Index of the first violated constraint, or -1 when w satisfies the R1CS. */
export function firstViolated(r: R1cs, w: readonly bigint[]): number {
  for (let k = 0; k < r.constraints.length; k++) if (!holds(r, k, w)) return k;
  return -1;
}

/**
 * Changes each witness signal in turn (not wire 0, the constant one) by a
 * random non-zero amount and reports those whose change leaves every
 * constraint satisfied: such a signal is unconstrained. Only the constraints
 * that mention a wire can change when it does, so each check looks at those.
 */
export function mutationCheck(
  r: R1cs,
  w: readonly bigint[],
  free: ReadonlySet<number> = new Set(),
): { checked: number; unconstrained: number[] } {
  const unconstrained: number[] = [];
  let checked = 0;
  const m = w.slice();
  for (let i = 1; i < r.nWires; i++) {
    if (free.has(i)) continue;
    checked++;
    const delta = 1n + BigInt(Math.floor(Math.random() * 2 ** 48));
    m[i] = (w[i] + delta) % P;
    if (r.constraintsOf[i].every((k) => holds(r, k, m))) unconstrained.push(i);
    m[i] = w[i];
  }
  return { checked, unconstrained };
}

/** A circom .sym file: the signals O2 kept, by wire, and every signal's wire (-1 when O2 eliminated it). */
export interface Sym {
  names: Map<number, string[]>;
  wireOf: Map<string, number>;
}

/** Reads circom's .sym file (lines "signal,wire,component,name"). */
export async function readSym(path: string): Promise<Sym> {
  const names = new Map<number, string[]>();
  const wireOf = new Map<string, number>();
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    const [, wire, , name] = line.split(",");
    if (!name) continue;
    const w = Number(wire);
    wireOf.set(name, w);
    if (w >= 0) names.set(w, [...(names.get(w) ?? []), name]);
  }
  return { names, wireOf };
}

/** What a provably-free rule may look at to decide whether an unconstrained wire is free in this witness. */
export interface FreeContext {
  r: R1cs;
  w: readonly bigint[];
  sym: Sym;
}

/**
 * circomlib's IsZero: `inv <-- in != 0 ? 1 / in : 0; out <== -in * inv + 1;
 * in * out === 0`. When in is 0, out is 1 whatever inv is, so inv is free and
 * nothing depends on it; when in is not 0, in * inv = 1 - out = 1 pins inv, so
 * an unconstrained inv with a non-zero input is a finding. An instance is
 * recognized by its signals (prefix.in, prefix.out, prefix.inv and nothing
 * else), whatever its component is called. Returns why inv is free, or why not.
 */
function isZeroInverse(name: string, wire: number, { r, w, sym }: FreeContext): { free: boolean; why: string } {
  const prefix = name.slice(0, -".inv".length);
  const own = [...sym.wireOf.keys()].filter((n) => n.startsWith(`${prefix}.`));
  if (own.length !== 3 || !sym.wireOf.has(`${prefix}.in`) || !sym.wireOf.has(`${prefix}.out`))
    return { free: false, why: "not an IsZero inverse" };
  const inWire = sym.wireOf.get(`${prefix}.in`) as number;
  let input: bigint;
  if (inWire > 0) input = w[inWire];
  else {
    // O2 eliminated `in` (e.g. IsEqual's in[1] - in[0]): it is the factor that multiplies inv
    // in out = 1 - in * inv, the one constraint IsZero puts inv in.
    const ks = r.constraintsOf[wire];
    if (ks.length !== 1) return { free: false, why: `IsZero inverse in ${ks.length} constraints, not 1` };
    const [a, b, c] = r.constraints[ks[0]];
    const has = (lc: Lc) => lc.some(([x]) => x === wire);
    if (has(c) || has(a) === has(b)) return { free: false, why: "IsZero inverse outside the product in * inv" };
    input = evalLc(has(a) ? b : a, w);
  }
  return input === 0n
    ? { free: true, why: "IsZero inverse of a zero input" }
    : { free: false, why: `IsZero inverse, but its input is ${input}, not 0` };
}

/**
 * Unconstrained wires that are provably free, each by a rule that checks the
 * reason in the witness at hand (a name alone proves nothing).
 */
export const PROVABLY_FREE: {
  pattern: RegExp;
  check: (name: string, wire: number, ctx: FreeContext) => { free: boolean; why: string };
}[] = [{ pattern: /\.inv$/, check: isZeroInverse }];

/** Splits the mutation check's unconstrained wires into provably free ones and real findings (with reasons). */
export function classifyUnconstrained(wires: number[], ctx: FreeContext) {
  const free: string[] = [];
  const findings: string[] = [];
  for (const wire of wires) {
    const names = ctx.sym.names.get(wire) ?? [`wire ${wire}`];
    let verdict: { name: string; free: boolean; why: string } | undefined;
    for (const name of names) {
      for (const rule of PROVABLY_FREE) {
        if (!rule.pattern.test(name)) continue;
        const v = { name, ...rule.check(name, wire, ctx) };
        if (v.free || !verdict) verdict = v;
        if (v.free) break;
      }
      if (verdict?.free) break;
    }
    if (verdict?.free) free.push(`${verdict.name} (${verdict.why})`);
    else findings.push(verdict ? `${verdict.name} (${verdict.why})` : names[0]);
  }
  return { free, findings };
}
