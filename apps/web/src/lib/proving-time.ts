/**
 * Proving-time estimates for the task list, per circuit: this browser's last measured time for
 * the circuit the task proves with, or the project's estimate until this browser has proven once.
 */

/**
 * The deployed circuits' expected browser proving times: the app's own proving path (prover client and
 * thread) in headless chromium on a 2-core machine, a later proof (files cached, the thread warm), as
 * `npm run bench` measured them (BENCHMARKS.md, 2026-12-07), until this browser has proven once.
 */
const HOW = "measured by npm run bench in chromium on 2 cores";
const EXPECTED_MS: Record<string, { ms: number; how: string }> = {
  classification_worker_n64_d20_g20: { ms: 4100, how: HOW },
  bbox_worker_n64_d20_g20: { ms: 6600, how: HOW },
  sensor_worker_n32_d20_t16_g20: { ms: 8100, how: HOW },
  spans_worker_n32_d20_g20: { ms: 4100, how: HOW },
  polygon_worker_n32_d20_g20: { ms: 5800, how: HOW },
};
const key = (circuit: string) => `zklabel.provingMs.${circuit}`;

/** Remembers how long this browser took to prove with `circuit` (the task's own circuit). */
export function recordProvingTime(circuit: string, ms: number): void {
  try {
    localStorage.setItem(key(circuit), String(Math.round(ms)));
  } catch {}
}

/** Estimated proving time for `circuit` in this browser, and where the number comes from; null when nobody measured it. */
export function estimatedProvingMs(circuit: string): { ms: number; how: string } | null {
  try {
    const v = Number(localStorage.getItem(key(circuit)));
    if (v > 0) return { ms: v, how: "measured in this browser" };
  } catch {}
  return EXPECTED_MS[circuit] ?? null;
}
