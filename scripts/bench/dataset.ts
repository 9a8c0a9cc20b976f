/**
 * `node scripts/bench/dataset.ts`: dataset tooling time, what a requester waits for when building a
 * dataset: content hashing (sha256 per item), leaf hashing and the tree's root (Poseidon), and
 * buildDataset end to end, for 10,000 and 100,000 synthetic small images of a classification
 * dataset, in Node and in headless Debian chromium (the same source modules bundled by esbuild,
 * served from a throwaway localhost server). Checks that both build the same root for the same
 * items. Prints a table and writes build/bench/dataset-<date>.json with the machine it ran on.
 * `--quick` (test/bench/dataset.test.ts): 1,000 items only. `--out FILE` writes the JSON there.
 * Env: CHROME_PATH (default /usr/bin/chromium).
 * runDatasetBench({ sizes, browser }) returns the rows (for scripts/bench.ts).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { machineInfo, today } from "../lib/machine.ts";
import { ROOT } from "../lib/process.ts";
import { BENCH_RULE, runStages, type StageTimes } from "./dataset-stages.ts";

/** One environment and size: the stages' times (ms, rounded to 0.1) and the root. */
export interface DatasetBenchRow extends StageTimes {
  env: "node" | "chromium";
}

/** Items of the warm-up build before the timed ones in each environment (not reported). */
const WARMUP = 256;

const round = (r: StageTimes) => ({
  ...r,
  contentHashMs: Math.round(r.contentHashMs * 10) / 10,
  leafMs: Math.round(r.leafMs * 10) / 10,
  treeMs: Math.round(r.treeMs * 10) / 10,
  totalMs: Math.round(r.totalMs * 10) / 10,
});

/** The page bundle: scripts/bench/browser-entry.ts and what it imports, for the browser (the SDK's "browser" exports). */
async function bundle(): Promise<string> {
  const r = await build({
    entryPoints: [join(import.meta.dirname, "browser-entry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    logLevel: "silent",
  });
  return r.outputFiles[0].text;
}

async function inChromium(sizes: readonly number[]): Promise<DatasetBenchRow[]> {
  const js = await bundle();
  const server = createServer((req, res) => {
    if (req.url === "/")
      return void res.writeHead(200, { "content-type": "text/html" }).end('<script src="/bench.js"></script>');
    if (req.url === "/bench.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    const stages = (n: number) =>
      page.evaluate((n) => (globalThis as unknown as { runStages: typeof runStages }).runStages(n), n);
    if (!(await page.evaluate(() => "runStages" in globalThis)))
      throw new Error(`the bench bundle did not load in chromium: ${errors.join("; ")}`);
    await stages(WARMUP);
    const rows: DatasetBenchRow[] = [];
    for (const n of sizes) rows.push({ env: "chromium", ...round(await stages(n)) });
    return rows;
  } finally {
    await browser.close();
    server.close();
  }
}

/** Builds datasets of each size in Node and, when `browser`, in chromium; one row per environment and size. */
export async function runDatasetBench(opts: {
  sizes: readonly number[];
  browser: boolean;
}): Promise<DatasetBenchRow[]> {
  runStages(WARMUP);
  const rows: DatasetBenchRow[] = opts.sizes.map((n) => ({ env: "node", ...round(runStages(n)) }));
  if (opts.browser) rows.push(...(await inChromium(opts.sizes)));
  return rows;
}

/** The rows as a table. */
export function datasetTable(rows: readonly DatasetBenchRow[]): string {
  const head = "env        items  content hash ms  leaf ms   tree ms  buildDataset ms  items/s";
  return [
    head,
    ...rows.map(
      (r) =>
        `${r.env.padEnd(8)} ${String(r.items).padStart(7)} ${r.contentHashMs.toFixed(1).padStart(16)} ${r.leafMs.toFixed(1).padStart(8)} ${r.treeMs.toFixed(1).padStart(9)} ${r.totalMs.toFixed(1).padStart(16)} ${String(Math.round((r.items * 1000) / r.totalMs)).padStart(8)}`,
    ),
  ].join("\n");
}

if (import.meta.main) {
  const loadAtStart = loadavg()[0];
  const quick = process.argv.includes("--quick");
  const outArg = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : undefined;
  const sizes = quick ? [1000] : [10_000, 100_000];
  const rows = await runDatasetBench({ sizes, browser: true });
  const roots = new Map<number, Set<string>>();
  for (const r of rows) roots.set(r.items, (roots.get(r.items) ?? new Set()).add(r.root));
  const differ = [...roots].filter(([, s]) => s.size > 1).map(([n]) => n);
  console.log(
    `\ndataset building, rule ${BENCH_RULE} (synthetic 32×32 PNGs, ${rows[0].meanBytes} bytes on average), one run after a warm-up`,
  );
  console.log(datasetTable(rows));
  const out = outArg ?? join(ROOT, "build/bench", `dataset-${quick ? "quick-" : ""}${today()}.json`);
  await mkdir(dirname(out), { recursive: true });
  const json = { date: new Date().toISOString(), quick, rule: BENCH_RULE, machine: machineInfo(loadAtStart), rows };
  await writeFile(out, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
  if (differ.length) {
    console.error(`Node and chromium built different roots for ${differ.join(", ")} items`);
    process.exit(1);
  }
}
