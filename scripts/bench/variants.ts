/**
 * Circuit variants the benchmarks need that circuits/circuits.json does not hold (a rule's worker
 * template at another N, the one-label baseline): compiled the way scripts/circuits/build.ts compiles
 * the registry (its `compile`, `sourceKey` and dev setup), cached in $ZKLABEL_CACHE/bench/<name>-<key>,
 * the key covering the template, its parameters, every included circuit source and the tool versions,
 * so a second run only reads the cache. Keys (development ceremony, INSECURE) are made on demand only.
 * A variant that the registry holds with the same file, template and parameters is the registry's
 * build (scripts/circuits/build.ts), never compiled twice.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { circuits } from "@zklabel/core/registry";
import * as snarkjs from "snarkjs";
import {
  buildCircuits,
  CACHE,
  compile,
  devZkey,
  type Entry,
  ptauFor,
  type R1csInfo,
  r1csInfo,
  sourceKey,
} from "../circuits/build.ts";
import { fileHash } from "../lib/hash.ts";
import { machineInfo, today } from "../lib/machine.ts";
import { ROOT } from "../lib/process.ts";

/** A circuit to compile: a template of a circuit file with its parameters (in the template's order). */
export type VariantSpec = Pick<Entry, "name" | "rule" | "file" | "template" | "params" | "publicInputs">;

export interface BuiltVariant extends R1csInfo {
  name: string;
  /** "registry": scripts/circuits/build.ts's build of a registry entry; "bench": compiled here. */
  source: "registry" | "bench";
  /** Seconds circom took when this variant was compiled (registry builds: not measured here, null). */
  compileSeconds: number | null;
  /** Found in the cache (nothing compiled in this run). */
  cached: boolean;
  files: { r1cs: string; wasm: string; dir: string };
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** The registry entry with the very same circuit (file, template, parameters), if there is one. */
export function registryTwin(spec: VariantSpec): string | undefined {
  return circuits.find(
    (c) =>
      c.file === spec.file &&
      c.template === spec.template &&
      JSON.stringify(c.params) === JSON.stringify(spec.params) &&
      c.publicInputs.join() === spec.publicInputs.join(),
  )?.name;
}

/** Compiles `spec` once (or reuses the registry's build); `log` hears what takes time. */
export async function buildVariant(spec: VariantSpec, log: (m: string) => void = () => {}): Promise<BuiltVariant> {
  const twin = registryTwin(spec);
  if (twin) {
    const [b] = await buildCircuits([twin]);
    const dir = join(ROOT, "build", "circuits", twin);
    const info = await r1csInfo(join(dir, "main.r1cs"));
    return {
      name: twin,
      ...info,
      source: "registry",
      compileSeconds: null,
      cached: b.cached,
      files: { r1cs: join(dir, "main.r1cs"), wasm: join(dir, "main.wasm"), dir },
    };
  }
  const entry: Entry = { ...spec, deploy: false, setup: false };
  const dir = join(CACHE, "bench", `${spec.name}-${await sourceKey(entry)}`);
  const files = { r1cs: join(dir, "main.r1cs"), wasm: join(dir, "main.wasm"), dir };
  const done = join(dir, "compiled.json");
  if (await exists(done)) {
    const { compileSeconds } = JSON.parse(await readFile(done, "utf8")) as { compileSeconds: number };
    return { name: spec.name, ...(await r1csInfo(files.r1cs)), source: "bench", compileSeconds, cached: true, files };
  }
  // circom refuses paths with "..": it compiles under the repository, then the files move to the cache.
  const work = join(ROOT, "build", "bench-circuits", spec.name);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  log(`${spec.name}: compiling ${spec.template}(${Object.values(spec.params).join(", ")}) with circom2 --O2`);
  const t = performance.now();
  await compile(entry, work);
  const compileSeconds = Number(((performance.now() - t) / 1000).toFixed(1));
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await rename(join(work, "main.r1cs"), join(tmp, "main.r1cs"));
  await rename(join(work, "main_js", "main.wasm"), join(tmp, "main.wasm"));
  await writeFile(join(tmp, "compiled.json"), JSON.stringify({ compileSeconds }));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  await rm(work, { recursive: true, force: true });
  return { name: spec.name, ...(await r1csInfo(files.r1cs)), source: "bench", compileSeconds, cached: false, files };
}

export interface KeyedVariant extends BuiltVariant {
  zkey: string;
  vkey: string;
  /** The bench's folder for this variant's keys and anything derived from them (its Solidity verifiers). */
  keyDir: string;
  /** Seconds the development setup took when it was made (null: the registry's keys). */
  setupSeconds: number | null;
}

/**
 * `buildVariant` plus development Groth16 keys (INSECURE, scripts/circuits/dev-ptau.ts and the
 * pipeline's beacon), made once per constraint system and cached: beside a bench build, or in
 * $ZKLABEL_CACHE/bench/<name>-keys-<r1cs hash> for a registry entry built without keys.
 */
export async function keyVariant(spec: VariantSpec, log: (m: string) => void = () => {}): Promise<KeyedVariant> {
  const b = await buildVariant(spec, log);
  const keyDir =
    b.source === "bench"
      ? b.files.dir
      : join(CACHE, "bench", `${b.name}-keys-${(await fileHash(b.files.r1cs)).slice(0, 16)}`);
  await mkdir(keyDir, { recursive: true });
  if (b.source === "registry" && (await exists(join(b.files.dir, "main.zkey"))))
    return {
      ...b,
      zkey: join(b.files.dir, "main.zkey"),
      vkey: join(b.files.dir, "vkey.json"),
      keyDir,
      setupSeconds: null,
    };
  const zkey = join(keyDir, "main.zkey");
  const vkey = join(keyDir, "vkey.json");
  const done = join(keyDir, "keyed.json");
  if (await exists(done)) {
    const { setupSeconds } = JSON.parse(await readFile(done, "utf8")) as { setupSeconds: number };
    return { ...b, zkey, vkey, keyDir, setupSeconds, cached: true };
  }
  const ptau = await smallestPtau(b.domainPower);
  log(`${b.name}: development Groth16 setup (${b.constraints} constraints, domain 2^${b.domainPower})`);
  const t = performance.now();
  await devZkey(b.files.r1cs, ptau, zkey);
  const setupSeconds = Number(((performance.now() - t) / 1000).toFixed(1));
  const vk = await snarkjs.zKey.exportVerificationKey(zkey);
  await writeFile(vkey, `${JSON.stringify(vk, null, 2)}\n`);
  await writeFile(done, JSON.stringify({ setupSeconds }));
  return { ...b, zkey, vkey, keyDir, setupSeconds, cached: false };
}

/**
 * The pipeline's dev powers of tau for a domain of 2^power: a cached one of that power or larger if
 * there is one (the same tau: the keys do not depend on the file's size), else ptauFor makes it.
 */
async function smallestPtau(power: number): Promise<string> {
  for (let p = power; p <= 20; p++) {
    const path = await ptauFor(p, { onlyCached: true });
    if (path) return path;
  }
  return ptauFor(power);
}

/**
 * What the bench CLIs share: `--quick`, `--out FILE`, a log with the seconds since start, and `save`,
 * which writes the result with the date and machine to FILE, or by default to
 * bench/results/<name>-<date>.json (build/bench/<name>-quick-<date>.json with --quick).
 */
export function benchCli(name: string, argv = process.argv) {
  const i = argv.indexOf("--out");
  const quick = argv.includes("--quick");
  const out = i >= 0 ? argv[i + 1] : undefined;
  const load = loadavg()[0];
  const t0 = performance.now();
  return {
    quick,
    log: (m: string) => console.log(`[${name} ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)}s] ${m}`),
    save: (data: object) =>
      writeJson(
        out ?? join(ROOT, quick ? "build/bench" : "bench/results", `${name}${quick ? "-quick" : ""}-${today()}.json`),
        { date: new Date().toISOString(), machine: machineInfo(load), quick, ...data },
      ),
  };
}

/** Prints rows as an aligned table (columns: the keys of the first row, or `columns`). */
export function printTable(table: readonly object[], columns?: string[]): void {
  const rows = table as readonly Record<string, unknown>[];
  if (rows.length === 0) return;
  const cols = columns ?? Object.keys(rows[0]);
  const cell = (v: unknown) =>
    v === null || v === undefined ? "-" : typeof v === "object" ? JSON.stringify(v) : `${v}`;
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(width[i]) : v.padStart(width[i]))).join("  ");
  console.log(line(cols));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** Writes `data` as JSON to `out` (its folder made), and says so. */
export async function writeJson(out: string, data: unknown): Promise<void> {
  await mkdir(join(out, ".."), { recursive: true });
  await writeFile(out, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}
