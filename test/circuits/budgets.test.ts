import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { circuitInfo } from "@zklabel/core/registry";
import { ROOT } from "../helpers/classification.ts";

interface RuleBudget {
  circuit: string;
  twin: string;
  /** The rule-independent part to set apart (worker proofs: membership, nullifier, ECDH); rejections have none. */
  fixed?: string;
  perLabelLimit: number;
  measured: { total: number; fixed?: number; perLabelMarginal: number; perLabelAmortized: number };
}

const budgets = JSON.parse(await readFile(join(ROOT, "circuits/budgets.json"), "utf8")) as Record<string, unknown> & {
  fitsTotal: number;
};
const report = JSON.parse(await readFile(join(ROOT, "build/circuits/report.json"), "utf8")) as Record<
  string,
  { constraints: number }
>;

for (const [rule, value] of Object.entries(budgets)) {
  if (typeof value !== "object" || value === null || !("circuit" in value)) continue;
  const b = value as RuleBudget;
  const apart = b.fixed === undefined ? "" : " (membership, nullifier and ECDH apart)";
  it(`${rule}: fits 2^16 in total and stays within ${b.perLabelLimit} constraints per label, marginal and amortized${apart}`, () => {
    const total = report[b.circuit].constraints;
    const twin = report[b.twin].constraints;
    const fixed = b.fixed === undefined ? 0 : report[b.fixed].constraints;
    const n = circuitInfo(b.circuit).params.N;
    const nTwin = circuitInfo(b.twin).params.N;
    const marginal = Math.round((total - twin) / (n - nTwin));
    const amortized = Number(((total - fixed) / n).toFixed(1));
    console.log(
      `# ${rule}: total ${total}, fixed${apart ? " (membership, nullifier, ECDH)" : ""} ${fixed}, per label ${marginal} marginal / ${amortized} amortized (limit ${b.perLabelLimit})`,
    );
    assert.ok(total <= budgets.fitsTotal, `${b.circuit} has ${total} constraints, more than ${budgets.fitsTotal}`);
    assert.ok(marginal <= b.perLabelLimit, `${rule} costs ${marginal} constraints per label, over ${b.perLabelLimit}`);
    assert.ok(
      amortized <= b.perLabelLimit,
      `${rule} costs ${amortized} constraints per label with the batch's own fixed costs (dataset path, task hash) counted in, over ${b.perLabelLimit}`,
    );
    assert.deepEqual(
      {
        total,
        ...(b.fixed === undefined ? {} : { fixed }),
        perLabelMarginal: marginal,
        perLabelAmortized: amortized,
      },
      b.measured,
      "constraint counts changed: update circuits/budgets.json and say why in the commit",
    );
  });
}
