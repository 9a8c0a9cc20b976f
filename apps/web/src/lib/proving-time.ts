/**
 * Proving-time estimates for the task list: this browser's last measured time for a circuit, or
 * the project's measurement (docs/protocol.md decision 20) until it has proven once.
 */
const MEASURED_MS: Record<string, number> = {
  classification_worker_n64_d20_g20: 7500,
};
const key = (circuit: string) => `zklabel.provingMs.${circuit}`;

/** Remembers how long this browser took to prove with `circuit`. */
export function recordProvingTime(circuit: string, ms: number): void {
  try {
    localStorage.setItem(key(circuit), String(Math.round(ms)));
  } catch {}
}

/** Estimated proving time for `circuit` in this browser, and whether it was measured here. */
export function estimatedProvingMs(circuit: string): { ms: number; measuredHere: boolean } | null {
  try {
    const v = Number(localStorage.getItem(key(circuit)));
    if (v > 0) return { ms: v, measuredHere: true };
  } catch {}
  const ms = MEASURED_MS[circuit];
  return ms === undefined ? null : { ms, measuredHere: false };
}
