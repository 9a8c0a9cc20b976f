/**
 * `node scripts/bench-browser.ts`: proving time of the deployed gold-rejection circuits in headless
 * Debian chromium (snarkjs's browser build, artifacts over localhost, the same input the Node
 * bench proves). Prints a table and writes build/bench/browser-reject.json. The first run includes
 * the download of the .wasm and .zkey; the median is over the later runs.
 * Env: CHROME_PATH (default /usr/bin/chromium), BENCH_RUNS (default 3).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { deployedRejectCircuit } from "@zklabel/core/registry";
import { RULES } from "@zklabel/core/rules";
import { chromium } from "playwright-core";
import { rejectBenchInput } from "./lib/bench-inputs.ts";
import { ROOT } from "./lib/process.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const circuits = RULES.flatMap((r) => {
  const c = r.gold ? deployedRejectCircuit(r.name) : undefined;
  return c ? [{ rule: r, circuit: c }] : [];
});
const files: Record<string, string> = {
  "/snarkjs.min.js": join(ROOT, "node_modules/snarkjs/build/snarkjs.min.js"),
};
for (const { circuit } of circuits) {
  files[`/${circuit.name}/main.wasm`] = join(ROOT, "build/circuits", circuit.name, "main.wasm");
  files[`/${circuit.name}/main.zkey`] = join(ROOT, "build/circuits", circuit.name, "main.zkey");
}
const server = createServer(async (req, res) => {
  const path = req.url ?? "/";
  if (path === "/") {
    res.writeHead(200, { "content-type": "text/html" }).end('<script src="/snarkjs.min.js"></script>');
    return;
  }
  const file = files[path];
  if (!file) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": path.endsWith(".js") ? "text/javascript" : "application/octet-stream" });
  res.end(await readFile(file));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu"],
});
const rows = [];
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  for (const { rule, circuit } of circuits) {
    const ms: number[] = [];
    for (let r = 0; r < RUNS + 1; r++) {
      const { input } = rejectBenchInput(rule, circuit, BigInt(r + 1));
      ms.push(
        await page.evaluate(
          async ({ input, name }) => {
            const t = performance.now();

            await (globalThis as any).snarkjs.groth16.fullProve(input, `/${name}/main.wasm`, `/${name}/main.zkey`);
            return performance.now() - t;
          },
          { input, name: circuit.name },
        ),
      );
    }
    const later = ms.slice(1).sort((a, b) => a - b);
    rows.push({
      circuit: circuit.name,
      firstMs: Math.round(ms[0]),
      medianMs: Math.round(later[Math.floor(later.length / 2)]),
      labelsPerSecond: Number(((circuit.params.N * 1000) / later[Math.floor(later.length / 2)]).toFixed(1)),
    });
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`\nrejection proofs in headless chromium (median of ${RUNS} after a first run with downloads)`);
console.log("circuit                       first ms  median ms  items/s");
for (const r of rows)
  console.log(
    `${r.circuit.padEnd(29)} ${String(r.firstMs).padStart(8)} ${String(r.medianMs).padStart(10)} ${String(r.labelsPerSecond).padStart(8)}`,
  );
await mkdir(join(ROOT, "build/bench"), { recursive: true });
const out = join(ROOT, "build/bench/browser-reject.json");
await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, circuits: rows }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
