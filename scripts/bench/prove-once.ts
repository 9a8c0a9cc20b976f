/**
 * `node scripts/bench/prove-once.ts CIRCUIT`: proves the circuit's bench input once in this fresh
 * process and prints `{"maxRssMB": ...}`, the process's peak resident memory (snarkjs's worker threads
 * included): what proving that circuit needs in Node, apart from anything else a bench holds.
 */

import { join } from "node:path";
import { resourceUsage } from "node:process";
import { proveCircuit, releaseSnarkjs } from "@zklabel/core/prove";
import { circuitInfo } from "@zklabel/core/registry";
import { ruleByName } from "@zklabel/core/rules";
import { rejectBenchInput, workerBenchCase } from "../lib/bench-inputs.ts";
import { ROOT } from "../lib/process.ts";

const name = process.argv[2];
const circuit = circuitInfo(name);
const rule = ruleByName(circuit.rule);
const { input, publicSignals } =
  circuit.role === "reject" ? rejectBenchInput(rule, circuit, 1n) : workerBenchCase(rule, circuit, 1n);
const dir = join(ROOT, "build/circuits", name);
await proveCircuit(input, publicSignals, { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") });
await releaseSnarkjs();
console.log(JSON.stringify({ maxRssMB: Math.round(resourceUsage().maxRSS / 1024) }));
