/** Inputs the benchmarks prove: the same for Node (scripts/bench.ts) and the browser (scripts/bench-browser.ts). */
import { goldTree } from "@zklabel/core/gold";
import { labelsCommitment } from "@zklabel/core/labels";
import type { CircuitInfo } from "@zklabel/core/registry";
import type { AnyRule } from "@zklabel/core/rules";

/**
 * A rejection of the rule's example batch (RuleSpec.example): every item gold with an answer the
 * label does not match (the label's lowest bit flipped: another class), so accuracy is 0.
 */
export function rejectBenchInput(rule: AnyRule, circuit: CircuitInfo, salt: bigint) {
  const g = rule.gold;
  if (!g) throw new Error(`${rule.name} has no gold answers`);
  const { N, DEPTH } = circuit.params;
  const ex = rule.example(N, circuit.params);
  const openings = ex.labels.map((l: unknown, i: number) => ({
    isGold: 1 as const,
    value: g.goldValue(g.answerFromValue(rule.labelValue(l) ^ 1n)),
    salt: BigInt(i + 1),
  }));
  const values = Array.from({ length: N }, (_, i) => rule.labelValue(ex.labels[i]));
  return g.rejectInput({
    circuit,
    goldTree: goldTree(DEPTH, N, openings),
    openings,
    batchIndex: 0,
    labels: ex.labels,
    salt,
    labelsCommitment: labelsCommitment(values, rule.labelBits, salt),
    bound: 80,
    threshold: g.defaultThreshold,
  });
}
