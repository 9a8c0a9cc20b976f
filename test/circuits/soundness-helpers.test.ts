/**
 * The soundness helpers themselves: each check must be able to fail, so each
 * is shown failing on a circuit or an R1CS that is wrong on purpose.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { SNARK_SCALAR_FIELD as P } from "@zklabel/core/field";
import { disableAssertions } from "../helpers/natural-witness.ts";
import {
  classifyUnconstrained,
  firstViolated,
  mutationCheck,
  type R1cs,
  readSym,
  type Sym,
  witness,
} from "../helpers/r1cs.ts";
import { scratchCircuit } from "../helpers/scratch-circuit.ts";
import { expectR1csRejects, expectWitnessFails } from "../helpers/soundness.ts";

/** A rule "z = x * y is 12", written as a constraint or only as an assertion. */
const rule = (check: string) => `pragma circom 2.1.0;
template Rule() {
    signal input x;
    signal input y;
    signal output z;
    z <== x * y;
    ${check}
}
component main = Rule();
`;

describe("natural witness: a rule weakened into an assertion is caught", () => {
  it("the constraint is rejected by the R1CS, the assertion only by the witness generator", async () => {
    const constrained = await scratchCircuit(rule("z === 12;"));
    const asserted = await scratchCircuit(rule("assert(z == 12);"));
    const bad = { x: "4", y: "5" };
    // The old check cannot tell them apart: both generators fail in Rule.
    await expectWitnessFails(constrained, bad, "Rule");
    await expectWitnessFails(asserted, bad, "Rule");
    // The R1CS can: it rejects the constrained rule's natural witness and accepts the asserted one's.
    await expectR1csRejects(constrained, bad, "Rule");
    await assert.rejects(expectR1csRejects(asserted, bad, "Rule"), /that check is an assertion, not a constraint/);
  });
  it("the assertion-free generator computes the same witness as the original on valid inputs, and goes on past failed checks", async () => {
    const asserted = await scratchCircuit(rule("assert(z == 12);"));
    const { wasm, patched } = disableAssertions(await readFile(asserted.wasm));
    assert.ok(patched >= 1);
    assert.deepEqual(await witness({ x: "3", y: "4" }, wasm), await witness({ x: "3", y: "4" }, asserted.wasm));
    const natural = await witness({ x: "4", y: "5" }, wasm);
    assert.ok(natural.includes(20n), "z = x * y computed past the failed assertion");
  });
  it("refuses bytes that are not a WebAssembly module", () => {
    assert.throws(() => disableAssertions(new Uint8Array([1, 2, 3, 4])), /not a WebAssembly module/);
  });
});

/**
 * A hand-written IsZero: wires 0 (one), 1 = in, 2 = inv, 3 = out, with
 * constraints in * inv = 1 - out and in * out = 0, named like circomlib's
 * (main.z.in, main.z.inv, main.z.out). `keepIn` false drops wire 1 from the
 * names (O2 eliminated it) and puts `in` = x - y into the constraints instead,
 * wires 1 and 4 being x and y.
 */
function isZero(opts: { keepIn: boolean; constrainInv: boolean }): { r: R1cs; sym: Sym } {
  const inLc: [number, bigint][] = opts.keepIn
    ? [[1, 1n]]
    : [
        [1, 1n],
        [4, P - 1n],
      ];
  const constraints: R1cs["constraints"] = [[inLc, [[3, 1n]], []]];
  if (opts.constrainInv)
    constraints.unshift([
      inLc,
      [[2, 1n]],
      [
        [0, 1n],
        [3, P - 1n],
      ],
    ]);
  const nWires = opts.keepIn ? 4 : 5;
  const constraintsOf: number[][] = Array.from({ length: nWires }, () => []);
  constraints.forEach((c, k) => {
    for (const lc of c) for (const [w] of lc) if (!constraintsOf[w].includes(k)) constraintsOf[w].push(k);
  });
  const names = new Map<number, string[]>([
    [2, ["main.z.inv"]],
    [3, ["main.z.out"]],
  ]);
  const wireOf = new Map<string, number>([
    ["main.z.inv", 2],
    ["main.z.out", 3],
  ]);
  if (opts.keepIn) {
    names.set(1, ["main.z.in"]);
    wireOf.set("main.z.in", 1);
  } else {
    names.set(1, ["main.x"]);
    names.set(4, ["main.y"]);
    wireOf.set("main.z.in", -1);
    wireOf.set("main.x", 1);
    wireOf.set("main.y", 4);
  }
  return { r: { nWires, nPublic: 0, constraints, constraintsOf }, sym: { names, wireOf } };
}

describe("provably free signals: an IsZero inverse only when its input is 0", () => {
  for (const keepIn of [true, false]) {
    const how = keepIn ? "`in` kept as a wire" : "`in` eliminated by O2";
    it(`${how}: input 0 makes the inverse free`, () => {
      const { r, sym } = isZero({ keepIn, constrainInv: true });
      const w = keepIn ? [1n, 0n, 12345n, 1n] : [1n, 7n, 12345n, 1n, 7n];
      assert.equal(firstViolated(r, w), -1);
      const { unconstrained } = mutationCheck(r, w);
      assert.deepEqual(unconstrained, [2]);
      const { free, findings } = classifyUnconstrained(unconstrained, { r, w, sym });
      assert.deepEqual(findings, []);
      assert.deepEqual(free, ["main.z.inv (IsZero inverse of a zero input)"]);
    });
    it(`${how}: a non-zero input pins the inverse, and an unconstrained one is reported`, () => {
      // in = 3 (x - y = 10 - 7 when eliminated), inv = 1 / 3, out = 0.
      const w = keepIn ? [1n, 3n, modInverse(3n), 0n] : [1n, 10n, modInverse(3n), 0n, 7n];
      // With the product in * inv = 1 - out, the inverse is pinned: the mutation check does not flag it.
      const sound = isZero({ keepIn, constrainInv: true });
      assert.equal(firstViolated(sound.r, w), -1);
      assert.deepEqual(mutationCheck(sound.r, w).unconstrained, []);
      // Without it (a broken IsZero), the inverse is unconstrained and must be a finding, not whitelisted.
      const broken = isZero({ keepIn, constrainInv: false });
      const { unconstrained } = mutationCheck(broken.r, w);
      assert.ok(unconstrained.includes(2));
      const { free, findings } = classifyUnconstrained(unconstrained, { r: broken.r, w, sym: broken.sym });
      assert.deepEqual(free, []);
      assert.ok(
        findings.includes(
          keepIn
            ? "main.z.inv (IsZero inverse, but its input is 3, not 0)"
            : "main.z.inv (IsZero inverse in 0 constraints, not 1)",
        ),
        findings.join(", "),
      );
    });
  }
  it("a signal named inv that is no IsZero's is a finding", () => {
    const { r, sym } = isZero({ keepIn: true, constrainInv: true });
    sym.wireOf.set("main.z.extra", -1);
    const w = [1n, 0n, 5n, 1n];
    const { free, findings } = classifyUnconstrained(mutationCheck(r, w).unconstrained, { r, w, sym });
    assert.deepEqual(free, []);
    assert.deepEqual(findings, ["main.z.inv (not an IsZero inverse)"]);
  });
  it("reads the names and the eliminated signals of a compiled circuit's .sym", async () => {
    const c = await scratchCircuit(rule("z === 12;"));
    const sym = await readSym(c.sym);
    assert.ok(sym.wireOf.has("main.x") && sym.wireOf.has("main.z"));
    for (const [w, names] of sym.names) for (const n of names) assert.equal(sym.wireOf.get(n), w);
  });
});

function modInverse(a: bigint): bigint {
  let [r0, r1, s0, s1] = [P, a % P, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % P) + P) % P;
}
