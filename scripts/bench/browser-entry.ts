/** The page script of the dataset bench in chromium (bundled by scripts/bench/dataset.ts). */
import { runStages } from "./dataset-stages.ts";

(globalThis as unknown as { runStages: typeof runStages }).runStages = runStages;
