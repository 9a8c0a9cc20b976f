/**
 * Proving in headless Debian chromium through the app's own path: the page's prover client
 * (apps/web/src/lib/prover-client.ts) and the prover thread it runs (prover.thread.ts, the same
 * sources as the app, bundled with esbuild), circuit files over localhost into the Cache API, the
 * task's batch as a vault serves it. Next to it, bare snarkjs in the same page with the files in
 * memory: the app's path should cost little more than the prover itself.
 *
 * Per rule's deployed worker circuit: the first visit (a fresh browser profile: page, circuit
 * download, first proof), then the median of `runs` later proofs, with the time of each stage.
 * `node scripts/bench/browser.ts [--runs K] [--only WORD] [--out FILE]` prints a table and writes JSON.
 * Env: CHROME_PATH (default /usr/bin/chromium).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import type { CircuitInfo } from "@zklabel/core/registry";
import { type AnyRule, RULES, ruleCircuit } from "@zklabel/core/rules";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { workerBenchCase } from "../lib/bench-inputs.ts";
import { ROOT } from "../lib/process.ts";

export interface BrowserRow {
  rule: string;
  circuit: string;
  labels: number;
  /** A fresh profile: from opening the page to the first proof, and the circuit download within it. */
  firstVisit: { ms: number; downloadMs: number; downloadMB: number; fromCache: boolean };
  /** Later proofs through the app's prover client (circuit files from the Cache API): medians. */
  app: {
    ms: number;
    labelsPerSecond: number;
    /** Time in each of the thread's stages: the circuit files, the input (rule checks), the witness, the proof (with the message back). */
    stages: { circuit: number; input: number; witness: number; proof: number };
    fromCache: boolean;
  };
  /** Bare snarkjs in the same page, files in memory: medians. */
  bare: { ms: number; labelsPerSecond: number; witnessMs: number; proofMs: number };
  /** App path over bare prover (the target is at most 1.15). */
  appOverBare: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x);
/** Bigints as {"$n": "decimal"}, revived by the page (scripts/bench/app-entry.ts). */
const toJson = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? { $n: v.toString() } : v));

/** The page's two scripts, bundled from the app's sources the way a browser loads them. */
async function bundles(): Promise<Record<string, Uint8Array>> {
  const common = {
    bundle: true,
    format: "esm" as const,
    platform: "browser" as const,
    write: false as const,
    minify: true,
    logLevel: "error" as const,
    define: { "process.env.NODE_ENV": '"production"' },
  };
  const [entry, thread] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(ROOT, "apps/web/src/bench/prover-page.ts")], outfile: "entry.js" }),
    esbuild.build({
      ...common,
      entryPoints: [join(ROOT, "apps/web/src/lib/prover.thread.ts")],
      outfile: "thread.js",
    }),
  ]);
  // The client starts `new URL("./prover.thread.ts", import.meta.url)`: next to the page's bundle.
  const out = (r: esbuild.BuildResult<{ write: false }>) => r.outputFiles[0].contents;
  return { "/app/entry.js": out(entry), "/app/prover.thread.ts": out(thread) };
}

/** Serves the page, its bundles and the circuit files (/circuits/<name>.{wasm,zkey,vkey.json}, as the app does). */
async function serve(scripts: Record<string, Uint8Array>, circuits: readonly CircuitInfo[]) {
  const files = new Map<string, string>();
  for (const c of circuits)
    for (const [ext, file] of [
      ["wasm", "main.wasm"],
      ["zkey", "main.zkey"],
      ["vkey.json", "vkey.json"],
    ])
      files.set(`/circuits/${c.name}.${ext}`, join(ROOT, "build/circuits", c.name, file));
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end('<!doctype html><script type="module" src="/app/entry.js"></script>');
      return;
    }
    const script = scripts[path];
    if (script) return void res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    const file = files.get(path);
    if (!file) return void res.writeHead(404).end();
    const body = await readFile(file);
    res
      .writeHead(200, {
        "content-type": path.endsWith(".json") ? "application/json" : "application/octet-stream",
        "content-length": body.length,
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

/** The prove request the app's worker page sends its prover client, for the rule's example batch. */
function request(rule: AnyRule, circuit: CircuitInfo, salt: bigint) {
  const c = workerBenchCase(rule, circuit, salt);
  const req = {
    kind: "prove",
    task: c.task,
    batchIndex: 0,
    identityKey: c.worker.identity.export(),
    groupLeaves: c.worker.group.leaves,
    chainId: c.chainId,
    escrow: c.escrow,
    labels: c.labels,
    items: c.items,
    recipient: "0x000000000000000000000000000000000000bEEF",
    relayerFeeBps: 0,
    slice: c.slice,
  };
  return { req: toJson(req), input: JSON.stringify(c.input) };
}

export async function runBrowserBench(opts: { runs: number; only?: string }): Promise<BrowserRow[]> {
  const cases = RULES.map((r) => ({ rule: r, circuit: ruleCircuit(r) })).filter(
    (x) => opts.only === undefined || x.circuit.name.includes(opts.only),
  );
  const { server, url } = await serve(
    await bundles(),
    cases.map((x) => x.circuit),
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const rows: BrowserRow[] = [];
  try {
    for (const { rule, circuit } of cases) {
      // A fresh profile per circuit: nothing cached, as on a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      const t0 = Date.now();
      await page.goto(url);
      await page.waitForFunction(() => "bench" in globalThis);
      const first = await page.evaluate((r) => (globalThis as any).bench.app(r), request(rule, circuit, 1n).req);
      const firstMs = Date.now() - t0;
      const app: { ms: number; stages: Record<string, number>; fromCache: boolean }[] = [];
      const bare: { ms: number; witnessMs: number; proofMs: number }[] = [];
      // Bare snarkjs once untimed (its curve and the files into memory), then both paths in turn.
      const warm = request(rule, circuit, 2n);
      await page.evaluate(([i, n]) => (globalThis as any).bench.bare(i, n), [warm.input, circuit.name] as const);
      for (let i = 0; i < opts.runs; i++) {
        const x = request(rule, circuit, BigInt(10 + i));
        app.push(await page.evaluate((r) => (globalThis as any).bench.app(r), x.req));
        bare.push(
          await page.evaluate(([inp, n]) => (globalThis as any).bench.bare(inp, n), [x.input, circuit.name] as const),
        );
      }
      await context.close();
      const N = circuit.params.N;
      const stage = (from: string, to: string | undefined) =>
        round(median(app.map((a) => (to ? a.stages[to] : a.ms) - a.stages[from])));
      const appMs = median(app.map((a) => a.ms));
      const bareMs = median(bare.map((b) => b.ms));
      const sizes = await Promise.all(
        ["main.wasm", "main.zkey"].map(
          async (f) => (await readFile(join(ROOT, "build/circuits", circuit.name, f))).length,
        ),
      );
      rows.push({
        rule: rule.name,
        circuit: circuit.name,
        labels: N,
        firstVisit: {
          ms: firstMs,
          downloadMs: round(first.timings.circuitMs),
          downloadMB: Number(((sizes[0] + sizes[1]) / 2 ** 20).toFixed(1)),
          fromCache: first.fromCache,
        },
        app: {
          ms: round(appMs),
          labelsPerSecond: Number(((N * 1000) / appMs).toFixed(1)),
          stages: {
            circuit: stage("circuit", "input"),
            input: stage("input", "witness"),
            witness: stage("witness", "proof"),
            proof: stage("proof", undefined),
          },
          fromCache: app.every((a) => a.fromCache),
        },
        bare: {
          ms: round(bareMs),
          labelsPerSecond: Number(((N * 1000) / bareMs).toFixed(1)),
          witnessMs: round(median(bare.map((b) => b.witnessMs))),
          proofMs: round(median(bare.map((b) => b.proofMs))),
        },
        appOverBare: Number((appMs / bareMs).toFixed(2)),
      });
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}

/** The table `npm run bench` and this script print. */
export function printBrowserRows(rows: readonly BrowserRow[], runs: number): void {
  console.log(
    `\nheadless chromium, the app's prover client and thread (median of ${runs}) against bare snarkjs in the same page`,
  );
  console.log(
    "circuit                            first visit  download  app ms  labels/s  circuit  input  witness  proof  bare ms  labels/s  app/bare",
  );
  for (const r of rows) {
    const s = r.app.stages;
    console.log(
      `${r.circuit.padEnd(34)} ${`${r.firstVisit.ms}`.padStart(11)} ${`${r.firstVisit.downloadMs}`.padStart(9)} ${`${r.app.ms}`.padStart(7)} ${`${r.app.labelsPerSecond}`.padStart(9)} ${`${s.circuit}`.padStart(8)} ${`${s.input}`.padStart(6)} ${`${s.witness}`.padStart(8)} ${`${s.proof}`.padStart(6)} ${`${r.bare.ms}`.padStart(8)} ${`${r.bare.labelsPerSecond}`.padStart(9)} ${`${r.appOverBare}`.padStart(9)}`,
    );
  }
}

if (import.meta.filename === process.argv[1]) {
  const arg = (k: string) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : undefined);
  const runs = Number(arg("--runs") ?? 3);
  const rows = await runBrowserBench({ runs, only: arg("--only") });
  printBrowserRows(rows, runs);
  const out = arg("--out") ?? join(ROOT, "build/bench/browser.json");
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), runs, rows }, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}
