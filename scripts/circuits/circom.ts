/** The one way circuits are compiled: circom2 --O2 with the repository and node_modules as library paths. */
import { runCircom } from "@zklabel/rulekit/compile";
import { ROOT } from "../lib/process.ts";

/**
 * Compiles `main` (a .circom file under the repository) into `outDir` (.r1cs, .wasm, .sym).
 * circom2 refuses paths with "..": it runs from the repository root with relative paths
 * (packages/rulekit/src/compile.ts, which `zklabel rule` uses on any checkout).
 */
export const compileCircom = (main: string, outDir: string): Promise<void> => runCircom(ROOT, main, outDir);
