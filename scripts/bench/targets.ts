/**
 * Issue 18's targets (a 2-core machine, headless chromium), each with what this run measured and
 * whether it meets it. A target the run has no number for says so (met: null), never a guess.
 */
import type { Extras } from "./extras.ts";
import type { BenchResult, Target } from "./report.ts";

/** Browser labels per second through the app's path, per rule (issue 18). */
const BROWSER_LABELS_PER_SECOND: Record<string, number> = { classification: 60, bbox: 30, sensor: 15 };

export function benchTargets(r: BenchResult): Target[] {
  const out: Target[] = [];
  const e = r as unknown as Extras;
  // The deployed classification batch's gas, measured with real proofs (gas.ts); the snapshot's formula otherwise.
  const N = r.circuits.find((c) => c.circuit.startsWith("classification_worker"))?.labels ?? 64;
  const measured = e.gasPerN?.rows.find((x) => x.N === N);
  const gasRatio = e.gasPerN?.ratios.find((x) => x.N === N)?.sameFlow;
  for (const [rule, goal] of Object.entries(BROWSER_LABELS_PER_SECOND)) {
    const b = r.browser.find((x) => x.rule === rule);
    out.push({
      what: `${rule}: labels/s in chromium, the app's path (${b?.circuit ?? "not run"})`,
      target: `≥ ${goal}`,
      measured: b ? `${b.app.labelsPerSecond}` : "not run",
      met: b ? b.app.labelsPerSecond >= goal : null,
    });
  }
  for (const b of r.browser)
    out.push({
      what: `${b.rule}: the app's path over a bare prover, same circuit and page`,
      target: "≤ 1.15",
      measured: `${b.appOverBare}`,
      met: b.appOverBare <= 1.15,
    });
  const defaultGas = measured?.perLabel.default;
  out.push({
    what: `gas per accepted label, the app's default path at N = ${N} (relayer, four batches per submission to fresh payees, gasless withdrawal)`,
    target: "≤ 5,000",
    measured: defaultGas ? defaultGas.toLocaleString("en-US") : "not run",
    met: defaultGas ? defaultGas <= 5000 : null,
  });
  out.push({
    what: "constraints per label, baseline over ours",
    target: "≥ 10x",
    measured: e.baseline ? `${e.baseline.ratio.constraintsPerLabel}x` : "not run",
    met: e.baseline ? e.baseline.ratio.constraintsPerLabel >= 10 : null,
  });
  out.push({
    what: `gas per label, baseline over ours (N = ${N}, the same default flow)`,
    target: "≥ 20x",
    measured: gasRatio ? `${gasRatio}x` : "not run",
    met: gasRatio ? gasRatio >= 20 : null,
  });
  const root = r.dataset.find((d) => d.env === "chromium" && d.items === 100_000);
  out.push({
    what: "a 100k-item dataset built in chromium (buildDataset)",
    target: "≤ 10 s",
    measured: root ? `${(root.totalMs / 1000).toFixed(1)} s` : "not run",
    met: root ? root.totalMs <= 10_000 : null,
  });
  // The first rule's circuit (the bench proves the rules in the registry's order).
  const first = r.browser[0];
  out.push({
    what: "first proof from opening a page with an empty cache, circuit files included (the bench's page: prover client and thread, no vault download)",
    target: "≤ 15 s",
    measured: first ? `${(first.firstVisit.ms / 1000).toFixed(1)} s` : "not run",
    met: first ? first.firstVisit.ms <= 15_000 : null,
  });
  out.push({
    what: "later proofs need no download",
    target: "circuit files from the thread's memory or the Cache API",
    measured: r.browser.every((b) => b.app.fromCache) ? "yes, every later proof" : "no",
    met: r.browser.length ? r.browser.every((b) => b.app.fromCache) : null,
  });
  out.push({
    what: "a cold `npm run dev` (no caches) serves a working app",
    target: "≤ 10 min",
    measured: "not measured by the bench (it needs a machine without caches)",
    met: null,
  });
  return out;
}
