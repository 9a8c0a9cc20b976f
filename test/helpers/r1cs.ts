/**
 * A small R1CS evaluator for soundness tests: reads circom's .r1cs and
 * snarkjs' .wtns formats and checks A·w * B·w = C·w for every constraint.
 */
import { readFile } from "node:fs/promises";
import { SNARK_SCALAR_FIELD as P } from "@zklabel/core/field";
import * as snarkjs from "snarkjs";
import { binSections as sections } from "../../scripts/lib/binfile.ts";

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

/** Computes the witness with the circuit's own generator; throws when an assertion of the circuit fails. */
export async function witness(input: unknown, wasm: string): Promise<bigint[]> {
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, out);
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

/** Wire id -> signal names, from circom's .sym file. */
export async function readSym(path: string): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    const [, wire, , name] = line.split(",");
    const w = Number(wire);
    if (!name || w < 0) continue;
    out.set(w, [...(out.get(w) ?? []), name]);
  }
  return out;
}

/**
 * Signals that are provably free, by the template that makes them: circomlib's
 * IsZero computes `inv <-- 1 / in` and constrains `out <== 1 - in * inv` and
 * `in * out === 0`. When `in` is 0, out is 1 whatever inv is, so inv is free and
 * nothing else depends on it; when `in` is not 0, in * inv = 1 pins it (and the
 * mutation check then flags it if it were not).
 */
export const PROVABLY_FREE: { pattern: RegExp; why: string }[] = [
  { pattern: /\.isz\.inv$|IsZero[^.]*\.inv$/, why: "IsZero inverse hint of a zero input" },
];

/** Splits the mutation check's unconstrained wires into provably free ones and real findings. */
export function classifyUnconstrained(wires: number[], sym: Map<number, string[]>) {
  const free: string[] = [];
  const findings: string[] = [];
  for (const w of wires) {
    const names = sym.get(w) ?? [`wire ${w}`];
    const rule = PROVABLY_FREE.find((f) => names.some((n) => f.pattern.test(n)));
    (rule ? free : findings).push(`${names[0]}${rule ? ` (${rule.why})` : ""}`);
  }
  return { free, findings };
}
