/**
 * The "latest run" section of BENCHMARKS.md and its chart, from one `npm run bench` result: the tables
 * and the targets with their verdicts, every number read from the result (nothing typed in).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "../lib/process.ts";
import type { BrowserRow } from "./browser.ts";
import { chartSvg, type Panel } from "./chart.ts";
import type { DatasetBenchRow } from "./dataset.ts";

/** The part of the bench's JSON the report reads. */
export interface BenchResult {
  date: string;
  machine: { cpu?: string; cores: number; memoryGiB: number; node: string; loadAverage1m: { atTimingStart: number } };
  runs: number;
  circuits: {
    circuit: string;
    constraints: number;
    labels: number;
    constraintsPerLabel: number;
    witnessMsMedian: number;
    proofMsMedian: number;
    proveMsMedian: number;
    labelsPerSecond: number;
    verifyMsMedian: number;
    peakMemoryMB: number;
    wasmMB: number;
    zkeyMB: number;
    gzipMB?: number;
  }[];
  browser: BrowserRow[];
  dataset: DatasetBenchRow[];
  gasPerLabelRelayed: number;
  gasPerLabelRelayedGold: number;
  gasPerLabelByRule: Record<string, number>;
  /** Set by the parts scripts/bench.ts adds (batch sizes, gas per N, baseline): rendered by `extra`. */
  [k: string]: unknown;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

/** A markdown table. */
export const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join(
    "\n",
  );

/** A number with thousands separators. */
export const n = (x: number) => x.toLocaleString("en-US");

/** The markdown of the latest run: machine, tables, targets; `extra` sections come after the first two tables. */
export function renderReport(r: BenchResult, extra: string[], targets: Target[]): string {
  const m = r.machine;
  const parts = [
    `Run ${r.date.slice(0, 16).replace("T", " ")} UTC on ${m.cpu ?? "an unknown CPU"}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverage1m.atTimingStart} when timing started. Medians of ${r.runs} runs.`,
    "",
    "![labels per second and gas per label against the batch size](bench/chart.svg)",
    "",
    "### Targets",
    "",
    table(
      ["target", "goal", "measured", "met"],
      targets.map((t) => [
        t.what,
        t.target,
        t.measured,
        t.met === null ? "not measured here" : t.met ? "yes" : "**no**",
      ]),
    ),
    "",
    "### Proving in Node",
    "",
    table(
      [
        "circuit",
        "constraints",
        "N",
        "per label",
        "witness ms",
        "proof ms",
        "labels/s",
        "verify ms",
        "peak MB",
        "wasm MB",
        "zkey MB",
        "gzip MB",
      ],
      r.circuits.map((c) => [
        `\`${c.circuit}\``,
        n(c.constraints),
        c.labels,
        c.constraintsPerLabel,
        n(c.witnessMsMedian),
        n(c.proofMsMedian),
        c.labelsPerSecond,
        c.verifyMsMedian,
        c.peakMemoryMB,
        c.wasmMB,
        c.zkeyMB,
        c.gzipMB ?? "",
      ]),
    ),
    "",
    "### Proving in headless chromium, through the app's prover client and thread",
    "",
    table(
      [
        "circuit",
        "first visit ms",
        "download ms",
        "app ms",
        "labels/s",
        "input ms",
        "witness ms",
        "proof ms",
        "bare ms",
        "bare labels/s",
        "app/bare",
      ],
      r.browser.map((b) => [
        `\`${b.circuit}\``,
        n(b.firstVisit.ms),
        n(b.firstVisit.downloadMs),
        n(b.app.ms),
        b.app.labelsPerSecond,
        b.app.stages.input,
        n(b.app.stages.witness),
        n(b.app.stages.proof),
        n(b.bare.ms),
        b.bare.labelsPerSecond,
        b.appOverBare,
      ]),
    ),
    "",
    ...extra,
    "### Dataset tooling",
    "",
    table(
      ["where", "items", "content hash ms", "leaves ms", "tree ms", "buildDataset ms", "items/s"],
      r.dataset.map((d) => [
        d.env,
        n(d.items),
        n(Math.round(d.contentHashMs)),
        n(Math.round(d.leafMs)),
        n(Math.round(d.treeMs)),
        n(Math.round(d.totalMs)),
        n(Math.round((d.items * 1000) / d.totalMs)),
      ]),
    ),
    "",
  ];
  return parts.join("\n");
}

/** Writes the section between the markers of BENCHMARKS.md and the chart next to it. */
export async function writeReport(markdown: string, panels: Panel[], caption: string): Promise<void> {
  const file = join(ROOT, "BENCHMARKS.md");
  const text = await readFile(file, "utf8");
  const [start, end] = ["<!-- bench:start -->", "<!-- bench:end -->"];
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`BENCHMARKS.md lost its ${start} ... ${end} markers: put them back`);
  await writeFile(file, `${text.slice(0, a + start.length)}\n${markdown}\n${text.slice(b)}`);
  await writeFile(join(ROOT, "bench/chart.svg"), chartSvg(panels, caption));
}
