/**
 * Not a page of the app: the script of the proving benchmark's page (scripts/bench/browser.ts bundles
 * it with esbuild). It proves through the app's own prover client (lib/prover-client.ts), which runs
 * the app's prover thread (bundled and served next to this script as prover.thread.ts), and, for
 * comparison, with bare snarkjs on the page's thread, with the circuit files already in memory.
 */
import * as snarkjs from "snarkjs";
import { startProving } from "../lib/prover-client";
import type { ProverRequest } from "../lib/prover-protocol";

/** Bigints travel from Node as {"$n": "decimal"} (JSON has none). */
const revive = (text: string) =>
  JSON.parse(text, (_k, v) => (v && typeof v === "object" && typeof v.$n === "string" ? BigInt(v.$n) : v));

const files = new Map<string, Uint8Array>();
async function bytes(url: string): Promise<Uint8Array> {
  let b = files.get(url);
  if (!b) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    b = new Uint8Array(await res.arrayBuffer());
    files.set(url, b);
  }
  return b;
}

const bench = {
  /** One job through the app's prover client: wall time, the thread's own timings and when each stage started. */
  async app(requestJson: string) {
    const req = revive(requestJson) as Extract<ProverRequest, { kind: "prove" }>;
    const t0 = performance.now();
    const stages: Record<string, number> = {};
    const job = startProving(req, (e) => {
      if (e.type === "stage") stages[e.stage] = performance.now() - t0;
    });
    const res = await job.result;
    return { ms: performance.now() - t0, stages, timings: res.timings, fromCache: res.fromCache };
  },
  /** Bare snarkjs on the page's thread (its own worker threads for the multi-exponentiations), files in memory. */
  async bare(inputJson: string, name: string) {
    const input = JSON.parse(inputJson);
    const wasm = await bytes(`/circuits/${name}.wasm`);
    const zkey = await bytes(`/circuits/${name}.zkey`);
    const t0 = performance.now();
    const wtns = { type: "mem" } as { type: "mem"; data?: Uint8Array };
    await snarkjs.wtns.calculate(input, { type: "mem", data: wasm }, wtns);
    const t1 = performance.now();
    await snarkjs.groth16.prove({ type: "mem", data: zkey }, wtns);
    const t2 = performance.now();
    return { ms: t2 - t0, witnessMs: t1 - t0, proofMs: t2 - t1 };
  },
};
(globalThis as unknown as { bench: typeof bench }).bench = bench;
