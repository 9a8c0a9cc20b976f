/**
 * Compiles a small circuit given as source text, the way scripts/circuits/build.ts
 * compiles the registry's (circom2 --O2, library paths "." and node_modules), into
 * build/scratch-circuits/<hash of the source and circom version>/, once: the tests
 * of the test helpers use it to build circuits that are wrong on purpose.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { compileOnce } from "@zklabel/rulekit/compile";
import { ROOT } from "../../scripts/lib/process.ts";
import type { CircuitFiles } from "./soundness.ts";

export async function scratchCircuit(source: string): Promise<CircuitFiles & { sym: string }> {
  const circom = join(ROOT, "node_modules", "circom2");
  const version = JSON.parse(await readFile(join(circom, "package.json"), "utf8")).version as string;
  const key = createHash("sha256").update(`circom2 ${version}\n${source}`).digest("hex").slice(0, 16);
  return compileOnce(ROOT, join(ROOT, "build", "scratch-circuits", key), source);
}
