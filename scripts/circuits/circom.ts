/** The one way circuits are compiled: circom2 --O2 with the repository and node_modules as library paths. */
import { join, relative } from "node:path";
import { ROOT, run } from "../lib/process.ts";

/**
 * Compiles `main` (a .circom file under the repository) into `outDir` (.r1cs, .wasm, .sym).
 * circom2 refuses paths with "..": it runs from the repository root with relative paths.
 */
export async function compileCircom(main: string, outDir: string): Promise<void> {
  await run(process.execPath, [
    join(ROOT, "node_modules", "circom2", "cli.js"),
    relative(ROOT, main),
    "--r1cs",
    "--wasm",
    "--sym",
    "--O2",
    "-l",
    ".",
    "-l",
    "node_modules",
    "-o",
    relative(ROOT, outDir),
  ]);
}
