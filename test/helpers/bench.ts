/** The benchmarks (scripts/bench.ts, scripts/bench-read.ts) run by the tests: once, in a temporary folder. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/process.ts";

/**
 * Runs `SCRIPT ARGS --out <temporary file>` to the end, fails (with the end of its output) unless it
 * exits 0, and returns the JSON it wrote and what it printed. The folder, named from `prefix`, is removed.
 */
export async function runBenchScript(
  script: string,
  prefix: string,
  args: readonly string[],
): Promise<{ json: any; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    const out = join(dir, "result.json");
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const p = spawn(process.execPath, [join(ROOT, script), ...args, "--out", out], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      p.stdout.on("data", (d) => (output += d));
      p.stderr.on("data", (d) => (output += d));
      p.on("close", (c) => resolve({ code: c, output }));
    });
    assert.equal(code, 0, output.slice(-4000));
    return { json: JSON.parse(await readFile(out, "utf8")), output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `scripts/bench-read.ts ARGS`'s JSON (runBenchScript). */
export const runBenchRead = async (prefix: string, args: readonly string[]): Promise<any> =>
  (await runBenchScript("scripts/bench-read.ts", prefix, args)).json;
