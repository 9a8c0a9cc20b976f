/**
 * The public-input layout has one source, circuits/circuits.json: the generated files must be what
 * scripts/circuits/gen-layout.ts writes from it, and its positions must be where circom put the signals.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { circuitInfo, circuits, deployedCircuit, orderPublicSignals, publicInputLayout } from "@zklabel/core/registry";
import {
  escrowSlots,
  parseRegistry,
  REGISTRY,
  type RegistryEntry,
  renderLayoutFiles,
  renderSolidity,
  slotsOf,
} from "../../scripts/circuits/gen-layout.ts";
import { binSections } from "../../scripts/lib/binfile.ts";
import { ROOT } from "../../scripts/lib/process.ts";
import { readSym } from "../helpers/r1cs.ts";

const entries = parseRegistry(await readFile(join(ROOT, REGISTRY), "utf8"));
const entry = (name: string) => entries.find((e) => e.name === name)!;
const generated = await renderLayoutFiles();

describe("generated public-input layout", () => {
  for (const f of generated) {
    it(`${f.path} is what gen-layout writes from ${REGISTRY}`, async () => {
      const current = await readFile(join(ROOT, f.path), "utf8").catch(() => "(missing)");
      assert.ok(current === f.text, `${f.path} has drifted from ${REGISTRY}: run node scripts/circuits/gen-layout.ts`);
    });
  }

  it("refuses a deployed circuit whose inputs sit elsewhere, naming it", () => {
    const box = entry("bbox_worker_n64_d20_g20");
    const swapped: RegistryEntry = {
      ...box,
      publicInputs: ["groupRoot", "taskHash", ...box.publicInputs.filter((n) => n !== "groupRoot" && n !== "taskHash")],
    };
    const registry = entries.map((e) => (e === box ? swapped : e));
    assert.throws(() => renderSolidity(registry), /bbox_worker_n64_d20_g20 puts its public inputs at \(groupRoot@0, /);
    // The twins are not deployed: their order is theirs.
    const twin = entry("bbox_worker_n32_d20_g20");
    assert.doesNotThrow(() => escrowSlots(entries.map((e) => (e === twin ? { ...twin, publicInputs: ["x"] } : e))));
  });

  it("refuses a variable-width input that is not last, and a rule circuit without N", () => {
    const c = entry("classification_worker_n64_d20_g20");
    assert.throws(
      () => slotsOf({ ...c, publicInputs: ["ciphertext", "taskHash"] }),
      /"ciphertext" has no fixed width, so it must be the last public input \(it is #1 of 2\)/,
    );
    const json = JSON.stringify({ circuits: [{ ...c, params: { DEPTH: 20 } }] });
    assert.throws(() => parseRegistry(json), /proves rule "classification" but has no params N/);
    assert.throws(() => parseRegistry(JSON.stringify({ circuits: [{ ...c, extra: 1 }] })), /extra/);
  });

  it("gives the escrow the positions of protocol decision 12", () => {
    const sol = renderSolidity(entries);
    for (const [name, i] of Object.entries({ TASK_HASH: 0, NULLIFIER: 2, EPK_X: 6, EPK_Y: 7, CIPHERTEXT: 9 })) {
      assert.match(sol, new RegExp(`^uint256 constant IN_${name} = ${i};$`, "m"));
    }
  });
});

describe("generated rejection layout", () => {
  it("gives the escrow one layout for every rule's gold rejection, apart from the worker proofs'", () => {
    const sol = renderSolidity(entries);
    const order = ["GOLD_ROOT", "BATCH_INDEX", "COUNT", "LABELS_COMMITMENT", "BOUND", "GOLD_THRESHOLD"];
    order.forEach((name, i) => {
      assert.match(sol, new RegExp(`^uint256 constant REJECT_IN_${name} = ${i};$`, "m"));
    });
    assert.match(sol, /^uint256 constant REJECT_INPUTS = 6;$/m);
    assert.equal(
      deployedCircuit("bbox").name,
      "bbox_worker_n64_d20_g20",
      "a rejection is not the rule's worker circuit",
    );
    const box = entry("bbox_reject_n64_d20");
    const swapped: RegistryEntry = { ...box, publicInputs: ["batchIndex", "goldRoot", ...box.publicInputs.slice(2)] };
    assert.throws(
      () => renderSolidity(entries.map((e) => (e === box ? swapped : e))),
      /bbox_reject_n64_d20 puts its public inputs at \(batchIndex@0, .*every rule's rejections/,
    );
  });
});

describe("publicInputLayout", () => {
  const c = deployedCircuit("classification");

  it("lays out a worker proof, the ciphertext taking the rest", () => {
    const layout = publicInputLayout(c, 13);
    assert.deepEqual(
      layout.map((p) => [p.name, p.offset, p.width]),
      [
        ["taskHash", 0, 1],
        ["groupRoot", 1, 1],
        ["nullifier", 2, 1],
        ["batchIndex", 3, 1],
        ["count", 4, 1],
        ["recipient", 5, 1],
        ["epk", 6, 2],
        ["labelsCommitment", 8, 1],
        ["ciphertext", 9, 4],
      ],
    );
    assert.deepEqual(publicInputLayout(c, 10).at(-1), { name: "ciphertext", offset: 9, width: 1, array: true });
  });

  it("refuses vectors the inputs do not fit", () => {
    assert.throws(() => publicInputLayout(c, 9), /9 public signals do not fit .* at least one for ciphertext/);
    const access = circuitInfo("vault_access_g20");
    assert.equal(publicInputLayout(access, 5).length, 5);
    assert.throws(() => publicInputLayout(access, 6), /which take exactly 5/);
    assert.throws(() => publicInputLayout({ ...c, publicInputs: ["taskHash"] }, 1), /gen-layout/);
  });

  it("orderPublicSignals checks every value's width", () => {
    const values = {
      taskHash: 1n,
      groupRoot: 2n,
      nullifier: 3n,
      batchIndex: 4n,
      count: 5n,
      recipient: 6n,
      epk: [7n, 8n],
      labelsCommitment: 9n,
      ciphertext: [10n, 11n],
    };
    assert.deepEqual(orderPublicSignals(c, values), [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n]);
    assert.throws(() => orderPublicSignals(c, { ...values, epk: [7n] }), /"epk" .* takes 2 elements, got 1/);
    assert.throws(() => orderPublicSignals(c, { ...values, ciphertext: [] }), /at least one element, got 0/);
    assert.throws(() => orderPublicSignals(c, { ...values, count: [5n] }), /"count" .* is one field element/);
  });

  // circom numbers the public signals from wire 1, in the order of `component main {public [...]}`:
  // the compiled circuits' .sym files say which named signal each position really is.
  it("matches the signals circom compiled, for every built circuit", async () => {
    let checked = 0;
    for (const circuit of circuits) {
      const dir = join(ROOT, "build", "circuits", circuit.name);
      if (!existsSync(join(dir, "main.sym"))) {
        assert.ok(!circuit.deploy, `${circuit.name} is deployed but not built: run npm run circuits`);
        continue;
      }
      const sym = await readSym(join(dir, "main.sym"));
      const nPublic = await publicSignalCount(join(dir, "main.r1cs"));
      for (const p of publicInputLayout(circuit, nPublic)) {
        for (let j = 0; j < p.width; j++) {
          const name = `main.${p.name}${p.array ? `[${j}]` : ""}`;
          assert.equal(
            sym.wireOf.get(name),
            p.offset + j + 1,
            `${circuit.name}: ${name} is not at position ${p.offset + j}`,
          );
        }
      }
      checked++;
    }
    assert.ok(checked >= 3, `only ${checked} circuits are built: run npm run circuits`);
  });
});

/** The public signal count in a .r1cs header (public outputs + public inputs): what the verifier takes. */
async function publicSignalCount(r1cs: string): Promise<number> {
  const header = binSections(await readFile(r1cs)).get(1) as Buffer;
  const o = 4 + header.readUInt32LE(0) + 4; // field size n8, the prime, then the wire count
  return header.readUInt32LE(o) + header.readUInt32LE(o + 4);
}
