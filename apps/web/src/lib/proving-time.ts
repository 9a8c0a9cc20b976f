/**
 * Proving-time estimates for the task list, per circuit: this browser's last measured time for
 * the circuit the task proves with, or the project's estimate until this browser has proven once.
 */

/**
 * The deployed circuits' expected browser proving times. The classification circuit's was measured
 * (docs/protocol.md, changelog 20: 7.5 s on a 2-core laptop); the box and sensor circuits' follow
 * from it by the size of their proving keys (Groth16's time is its multi-exponentiations, linear in
 * the key: 35.2 MB and 53.0 MB against 15.6 MB), until a browser measures them.
 */
const EXPECTED_MS: Record<string, { ms: number; how: string }> = {
  classification_worker_n64_d20_g20: { ms: 7500, how: "measured on a 2-core laptop" },
  bbox_worker_n64_d20_g20: { ms: 17_000, how: "estimated from the circuit's size" },
  sensor_worker_n32_d20_t16_g20: { ms: 25_500, how: "estimated from the circuit's size" },
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
