/**
 * `npm test`: every suite, in order, serially (2-core machines), then one line:
 * "N passed, N failed". Exits non-zero on any failure.
 */
import { spawn } from "node:child_process";
import { existsSync, globSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { buildCircuits } from "./circuits/build.ts";
import { ROOT, run } from "./lib/process.ts";
import { HARDHAT } from "./lib/stack.ts";

const t0 = Date.now();
const log = (m: string) => console.log(`\n[test ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}`);
const countsFile = join(ROOT, "build", "test-counts.jsonl");
const results: { suite: string; passed: number; failed: number; seconds: number }[] = [];

function stream(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const on = (d: Buffer) => {
      output += d;
      process.stdout.write(d);
    };
    p.stdout.on("data", on);
    p.stderr.on("data", on);
    p.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs node:test files with the spec reporter for people and the counting reporter for the summary. */
async function nodeSuite(suite: string, pattern: string) {
  const files = globSync(pattern, { cwd: ROOT }).sort();
  const start = Date.now();
  if (files.length === 0) {
    results.push({ suite, passed: 0, failed: 1, seconds: 0 });
    console.log(`no test files match ${pattern}`);
    return;
  }
  log(`${suite}: ${files.length} file(s)`);
  await rm(countsFile, { force: true });
  const { code } = await stream(
    process.execPath,
    [
      "--test",
      "--test-concurrency=1",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      `--test-reporter=${join(ROOT, "scripts/lib/count-reporter.mjs")}`,
      `--test-reporter-destination=${join(ROOT, "build", "test-reporter.out")}`,
      ...files,
    ],
    { ZKLABEL_COUNTS: countsFile },
  );
  const lines = existsSync(countsFile) ? (await readFile(countsFile, "utf8")).trim().split("\n") : [];
  const c = lines.filter(Boolean).reduce(
    (a, l) => {
      const x = JSON.parse(l) as { passed: number; failed: number };
      return { passed: a.passed + x.passed, failed: a.failed + x.failed };
    },
    { passed: 0, failed: 0 },
  );
  // A crash that reported nothing still counts as a failure.
  if (code !== 0 && c.failed === 0) c.failed = 1;
  results.push({ suite, ...c, seconds: (Date.now() - start) / 1000 });
}

/** A step that must succeed for the suites after it; counted as one test. */
async function step(suite: string, fn: () => Promise<void>) {
  const start = Date.now();
  log(suite);
  try {
    await fn();
    results.push({ suite, passed: 1, failed: 0, seconds: (Date.now() - start) / 1000 });
    return true;
  } catch (e) {
    console.log(e instanceof Error ? e.message : e);
    results.push({ suite, passed: 0, failed: 1, seconds: (Date.now() - start) / 1000 });
    return false;
  }
}

const built = await step("circuits: compile, setup (cached)", async () => {
  for (const b of await buildCircuits())
    console.log(`${b.name}: ${b.constraints} constraints${b.cached ? " (cached)" : ""}`);
});
const compiled = await step("contracts: compile", () => run(HARDHAT[0], [HARDHAT[1], "compile", "--quiet"]));
// After the builds: the type checks read the generated verifiers' artifact types.
await step("lint: biome, prettier (Solidity), solhint, tsc", async () => {
  await run(process.execPath, [join(ROOT, "scripts/lint.ts")]);
});

if (built) {
  await nodeSuite("circuits", "test/circuits/*.test.ts");
  await nodeSuite("packages", "packages/*/test/*.test.ts");
}
if (built && compiled) {
  await nodeSuite("contracts (TypeScript)", "test/contracts/*.test.ts");
  const start = Date.now();
  log("contracts (Solidity)");
  // The invariant test runs scripts/fixtures/invariant-proofs.ts through ffi: with this Node (24), whatever `node` is on PATH.
  const { code, output } = await stream(HARDHAT[0], [HARDHAT[1], "test", "solidity"], {
    ZKLABEL_NODE: process.execPath,
  });
  const passed = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
  let failed = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
  if (code !== 0 && failed === 0) failed = 1;
  results.push({ suite: "contracts (Solidity)", passed, failed, seconds: (Date.now() - start) / 1000 });
  // The benchmarks in their smoke sizes: scripts/bench.ts --quick, and scripts/bench-read.ts (its own Hardhat node on 8645 or the next free port).
  await nodeSuite("benchmarks (bench --quick, bench-read --quick, bench/dataset --quick)", "test/bench/*.test.ts");
  await nodeSuite("headless end-to-end (CLI, vault, agents)", "test/agents/*.test.ts");
  await nodeSuite("privacy scan (chain, vault, relayer, app files)", "test/privacy/*.test.ts");
  await nodeSuite("browser end-to-end", "test/e2e/*.test.ts");
}

console.log("\nsuite                                       passed  failed   seconds");
for (const r of results) {
  console.log(
    `${r.suite.padEnd(42)} ${String(r.passed).padStart(7)} ${String(r.failed).padStart(7)} ${r.seconds.toFixed(1).padStart(9)}`,
  );
}
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
