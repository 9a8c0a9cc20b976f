/**
 * The bench's parts against the batch size N and against the one-proof-per-label baseline: their
 * printed tables, their sections of BENCHMARKS.md, and the chart's panels.
 */
import type { BaselineResult } from "./baseline.ts";
import type { Panel } from "./chart.ts";
import type { GasResult } from "./gas.ts";
import type { PerNRow } from "./per-n.ts";
import { type BenchResult, n, table } from "./report.ts";
import type { SweepRow } from "./sweep.ts";

export interface Extras {
  provingPerN: PerNRow[];
  sweep: SweepRow[];
  baseline?: BaselineResult;
  gasPerN?: GasResult;
}

const extras = (r: BenchResult) => r as unknown as Extras;

/** Every rule's constraints per label against N (the sweep), one row per rule. */
function sweepTable(rows: readonly SweepRow[]): { head: string[]; rows: (string | number)[][] } {
  const sizes = [...new Set(rows.map((x) => x.N))].sort((a, b) => a - b);
  const rules = [...new Set(rows.map((x) => x.rule))];
  return {
    head: ["rule", ...sizes.map((s) => `N = ${s}`)],
    rows: rules.map((rule) => [
      rule,
      ...sizes.map((s) => {
        const x = rows.find((y) => y.rule === rule && y.N === s);
        return x ? `${n(x.constraints)} (${Math.round(x.constraintsPerLabel)}/label, 2^${x.domainPower})` : "";
      }),
    ]),
  };
}

/** Gas per accepted label per N and the baseline's. */
function gasTable(g: GasResult) {
  return {
    head: [
      "circuit",
      "N",
      "submitBatch",
      "submitBatches of 4",
      "gasless withdrawal",
      "per label: direct",
      "per label: default flow",
      "per label: gold items",
      "baseline over ours (same flow)",
    ],
    rows: g.rows.map((x) => [
      `\`${x.circuit}\``,
      x.N,
      n(x.gas.submit),
      n(x.gas.submitBatches4),
      n(x.gas.withdrawWithSignature),
      n(x.perLabel.submit),
      n(x.perLabel.default),
      n(x.perLabel.gold),
      g.ratios.find((y) => y.N === x.N)?.sameFlow ?? "",
    ]),
  };
}

export function printExtras(r: BenchResult): void {
  const e = extras(r);
  if (e.provingPerN.length) {
    console.log("\nclassification against N, Node (development keys for the N the registry does not deploy)");
    console.log("N      constraints  witness ms  proof ms  labels/s");
    for (const x of e.provingPerN)
      console.log(
        `${String(x.N).padEnd(6)} ${String(x.constraints).padStart(11)} ${String(x.witnessMs).padStart(11)} ${String(x.proofMs).padStart(9)} ${String(x.labelsPerSecond).padStart(9)}`,
      );
  }
  if (e.sweep.length) {
    const t = sweepTable(e.sweep);
    console.log(`\nconstraints against N\n${t.head.join("  ")}`);
    for (const row of t.rows) console.log(row.join("  "));
  }
  if (e.gasPerN) {
    const t = gasTable(e.gasPerN);
    console.log("\ngas against N, real proofs on the escrow (in-process Hardhat chain)");
    for (const row of t.rows) console.log(`  ${row.join("  ")}`);
  }
  if (e.baseline) {
    console.log("\nbaseline (one proof per label) against ours, per label");
    for (const b of e.baseline.rows)
      console.log(
        `  ${b.circuit}: ${b.constraints} constraints, ${b.constraintsPerLabel} per label, ${b.proveMsMedian} ms per proof, ${b.proveMsPerLabel} ms per label`,
      );
    console.log(
      `  baseline over ours: constraints ${e.baseline.ratio.constraintsPerLabel}x, proving time ${e.baseline.ratio.proveMsPerLabel}x`,
    );
  }
}

/** BENCHMARKS.md's sections for these parts. */
export function extraSections(r: BenchResult): string[] {
  const e = extras(r);
  const out: string[] = [];
  if (e.provingPerN.length)
    out.push(
      "### Classification against the batch size (Node)",
      "",
      "The deployed N is the registry's circuit; the others are the same template with development keys (`$ZKLABEL_CACHE/bench`).",
      "",
      table(
        ["N", "constraints", "witness ms", "proof ms", "labels/s"],
        e.provingPerN.map((x) => [x.N, n(x.constraints), n(x.witnessMs), n(x.proofMs), x.labelsPerSecond]),
      ),
      "",
    );
  if (e.sweep.length) {
    const t = sweepTable(e.sweep);
    out.push(
      "### Constraints against the batch size",
      "",
      "Total, per label and the proving domain, each rule's worker template (compiled only where the registry holds no keys).",
      "",
      table(t.head, t.rows),
      "",
    );
  }
  if (e.gasPerN) {
    const t = gasTable(e.gasPerN);
    out.push(
      "### Gas against the batch size",
      "",
      "Real proofs on the escrow in an in-process Hardhat chain. *Direct*: a steady-state `submitBatch` to one recipient, no withdrawal counted. *Default flow*: the relayer's `submitBatches` of four to a fresh payee each, and each payee's gasless `withdrawWithSignature`. *Gold items*: pending batches, finalized two at a time. The baseline row proves one label per proof through the same escrow code.",
      "",
      table(t.head, t.rows),
      "",
    );
  }
  if (e.baseline)
    out.push(
      "### The baseline: one proof per label",
      "",
      "`circuits/baseline/classification_single.circom`: the same membership, nullifier and encryption, and the item's own path to the dataset root.",
      "",
      table(
        ["circuit", "labels per proof", "constraints", "per label", "prove ms", "ms per label"],
        e.baseline.rows.map((b) => [
          `\`${b.circuit}\``,
          b.labelsPerProof,
          n(b.constraints),
          n(Math.round(b.constraintsPerLabel)),
          n(b.proveMsMedian),
          b.proveMsPerLabel,
        ]),
      ),
      "",
      `Baseline over ours, per label: ${e.baseline.ratio.constraintsPerLabel}x the constraints, ${e.baseline.ratio.proveMsPerLabel}x the proving time${e.gasPerN ? `, ${e.gasPerN.ratios.find((x) => x.N === 64)?.sameFlow ?? "?"}x the gas at N = 64 in the same flow` : ""}.`,
      "",
    );
  return out;
}

/** The chart: labels per second (Node, classification) and gas per label against N, the baseline dashed. */
export function chartPanels(r: BenchResult): Panel[] {
  const e = extras(r);
  const sizes = e.provingPerN.map((x) => x.N);
  const base = e.baseline?.rows.find((b) => b.labelsPerProof === 1);
  const baseGas = e.gasPerN?.rows.find((x) => x.N === 1);
  const gasRows = (e.gasPerN?.rows ?? []).filter((x) => x.N > 1);
  return [
    {
      title: "Proving: labels per second (classification, Node)",
      yLabel: "labels / s",
      lines: [
        { name: "zkLabel batch of N", points: e.provingPerN.map((x) => [x.N, x.labelsPerSecond] as const) },
        ...(base
          ? [
              {
                name: "one proof per label",
                dashed: true,
                points: sizes.map((s) => [s, Number((1000 / base.proveMsPerLabel).toFixed(2))] as const),
              },
            ]
          : []),
      ],
    },
    {
      title: "Gas per accepted label (classification)",
      yLabel: "gas / label (log)",
      logY: true,
      lines: [
        { name: "default flow (relayer)", points: gasRows.map((x) => [x.N, x.perLabel.default] as const) },
        { name: "gold items", points: gasRows.map((x) => [x.N, x.perLabel.gold] as const) },
        ...(baseGas
          ? [
              {
                name: "one proof per label",
                dashed: true,
                points: gasRows.map((x) => [x.N, baseGas.perLabel.default] as const),
              },
            ]
          : []),
      ],
    },
  ];
}

export const chartCaption = (r: BenchResult) =>
  `npm run bench, ${r.date.slice(0, 10)}, ${r.machine.cores} cores (${r.machine.cpu ?? "CPU unknown"}), load ${r.machine.loadAverage1m.atTimingStart} at the start of timing`;
