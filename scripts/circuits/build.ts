/**
 * Circuit pipeline: for every circuit in circuits/circuits.json
 *   circom2 --O2 -> INSECURE dev powers of tau (sized from the largest circuit)
 *   -> Groth16 setup -> deterministic beacon (-> zkey verify with ZKLABEL_ZKEY_VERIFY=1)
 *   -> verification key, Solidity verifier (contracts/verifiers), .wasm + .zkey (apps/web/public/circuits).
 * A circuit with a finished trusted-setup ceremony in ceremony/<circuit>/ (docs/ceremony.md) gets
 * that ceremony's final key, verification key and verifiers instead of the development ones.
 * Every artifact is cached in $ZKLABEL_CACHE (default ~/.cache/zklabel) under a
 * hash of the circuit sources, parameters, tool versions and this pipeline, so a
 * second run (or a fresh clone on the same machine) only copies files.
 *
 * Usage: node scripts/circuits/build.ts [name ...]
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { batchVerifierName, verifierName } from "@zklabel/core/registry";
import * as snarkjs from "snarkjs";
import { finishedCeremony } from "../ceremony/lib.ts";
import { binSections } from "../lib/binfile.ts";
import { fileHash } from "../lib/hash.ts";
import { ROOT } from "../lib/process.ts";
import { compileCircom } from "./circom.ts";
import { DEV_CEREMONY_LABEL, writeDevPtau } from "./dev-ptau.ts";
import { batchVerifier, DEV_KEYS, solidityVerifier, type VerificationKey } from "./verifiers.ts";

const require = createRequire(import.meta.url);
/** Where every built artifact is cached: $ZKLABEL_CACHE, default ~/.cache/zklabel. */
export const CACHE = process.env.ZKLABEL_CACHE ?? join(homedir(), ".cache", "zklabel");
/** Deterministic phase-2 beacon: public on purpose, like everything in the dev ceremony. */
const BEACON_HASH = createHash("sha256").update(`${DEV_CEREMONY_LABEL}/phase2 beacon`).digest("hex");

/** One entry of circuits/circuits.json (scripts/bench/ builds unregistered variants of the same shape). */
export interface Entry {
  name: string;
  rule: string;
  file: string;
  template: string;
  params: Record<string, number>;
  publicInputs: string[];
  deploy: boolean;
  /** "reject": a requester's gold rejection (single proofs: no batch verifier); absent or "worker": a worker's batch proof. */
  role?: "worker" | "reject";
  /** false: compile only (library tests); no keys, no verifier. */
  setup?: boolean;
  /** true: keys copied to the app (apps/web/public/circuits) though no contract verifies them. */
  serve?: boolean;
  /** false: no Solidity verifier (verified off-chain only, like the vault's access proof). */
  solidity?: boolean;
}

export interface BuiltCircuit {
  name: string;
  constraints: number;
  wires: number;
  publicInputs: number;
  privateInputs: number;
  domainPower: number;
  zkeyBytes: number;
  cached: boolean;
}

/** Bump when a change here alters the compiled or set-up artifacts (not their export). */
const PIPELINE_VERSION = 2;

const t0 = Date.now();
const log = (msg: string) => console.log(`[circuits ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * The project's circom files a circuit includes, transitively (library files
 * under node_modules are covered by the package versions in the key).
 */
async function includedFiles(file: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(file)) return [];
  seen.add(file);
  const src = await readFile(file, "utf8");
  for (const [, inc] of src.matchAll(/include\s+"([^"]+)"/g)) {
    for (const candidate of [join(dirname(file), inc), join(ROOT, inc)]) {
      if (await exists(candidate)) {
        await includedFiles(candidate, seen);
        break;
      }
    }
  }
  return [...seen].sort();
}

const pkgDir = (pkg: string) => join(ROOT, "node_modules", pkg);
const version = (pkg: string) => require(join(pkgDir(pkg), "package.json")).version as string;

/** Hash of everything a circuit's artifacts depend on. */
export async function sourceKey(entry: Entry): Promise<string> {
  const h = createHash("sha256");
  h.update(JSON.stringify(entry));
  for (const f of await includedFiles(join(ROOT, entry.file))) {
    h.update(relative(ROOT, f));
    h.update(await readFile(f));
  }
  h.update(`circom2 ${version("circom2")} circomlib ${version("circomlib")} snarkjs ${version("snarkjs")}`);
  h.update(`pipeline ${PIPELINE_VERSION}`);
  h.update(await readFile(join(ROOT, "scripts/circuits/dev-ptau.ts")));
  return h.digest("hex").slice(0, 16);
}

const logger = {
  debug: () => {},
  info: () => {},
  warn: (m: string) => log(`  snarkjs: ${m}`),
  error: (m: string) => log(`  snarkjs error: ${m}`),
};

export async function compile(entry: Entry, dir: string): Promise<void> {
  // circom2 refuses paths with "..": the main file lives under the repo and
  // includes the rule file through the library path ".".
  const mainRel = relative(ROOT, join(dir, "main.circom"));
  const args = Object.values(entry.params).join(", ");
  await writeFile(
    join(ROOT, mainRel),
    `pragma circom 2.1.0;\n// Generated by scripts/circuits/build.ts from circuits/circuits.json.\ninclude "${entry.file}";\n\ncomponent main {public [${entry.publicInputs.join(", ")}]} = ${entry.template}(${args});\n`,
  );
  await compileCircom(join(ROOT, mainRel), dir);
}

/**
 * Looks for another cached build of `name` whose main.r1cs is byte-identical to this one's and
 * which has keys; copies its zkey and verification key here and marks this build done. Returns
 * the folder it reused, or undefined.
 */
async function keysForSameR1cs(name: string, cacheDir: string): Promise<string | undefined> {
  const root = join(CACHE, "circuits");
  const mine = await fileHash(join(cacheDir, "main.r1cs"));
  for (const other of await readdir(root)) {
    const dir = join(root, other);
    if (dir === cacheDir || !other.startsWith(`${name}-`) || other.slice(name.length + 1).includes("-")) continue;
    const complete = await Promise.all(
      ["done.json", "main.zkey", "vkey.json", "main.r1cs"].map((f) => exists(join(dir, f))),
    );
    if (complete.includes(false)) continue;
    const done = JSON.parse(await readFile(join(dir, "done.json"), "utf8")) as { ceremony?: string };
    if (done.ceremony !== DEV_CEREMONY_LABEL) continue;
    if ((await fileHash(join(dir, "main.r1cs"))) !== mine) continue;
    for (const f of ["main.zkey", "vkey.json"]) await copyFile(join(dir, f), join(cacheDir, f));
    await copyFile(join(dir, "done.json"), join(cacheDir, "done.json"));
    return other;
  }
  return undefined;
}

/** The dev powers of tau for 2^power, made unless cached; `onlyCached`: undefined when it is not cached. */
export async function ptauFor(power: number): Promise<string>;
export async function ptauFor(power: number, opts: { onlyCached: true }): Promise<string | undefined>;
export async function ptauFor(power: number, opts: { onlyCached?: boolean } = {}): Promise<string | undefined> {
  const h = (await fileHash(join(ROOT, "scripts/circuits/dev-ptau.ts"))).slice(0, 8);
  const path = join(CACHE, "ptau", `zklabel-dev-INSECURE-bn128-p${power}-${h}.ptau`);
  if (await exists(path)) return path;
  if (opts.onlyCached) return undefined;
  await mkdir(dirname(path), { recursive: true });
  log(`INSECURE development powers of tau 2^${power} (public tau; development only)`);
  await writeDevPtau(path, power, (m) => log(`  ptau: ${m}`));
  return path;
}

/**
 * The circuits the product runs (deployed behind the escrow or served to the app): what `npm run dev`
 * builds. The rest of the registry (compile-only variants, small test circuits) is for the tests and
 * the benchmarks, which build the whole registry first.
 */
export async function productCircuits(): Promise<string[]> {
  const registry = JSON.parse(await readFile(join(ROOT, "circuits/circuits.json"), "utf8")) as { circuits: Entry[] };
  return registry.circuits.filter((c) => c.deploy || c.serve).map((c) => c.name);
}

/** The development Groth16 keys of `r1cs` (phase 2 from the dev ptau, then the public deterministic beacon) into `zkey`. */
export async function devZkey(r1cs: string, ptau: string, zkey: string): Promise<void> {
  const zkey0 = `${zkey.replace(/\.zkey$/, "")}_0000.zkey`;
  await snarkjs.zKey.newZKey(r1cs, ptau, zkey0, logger);
  await snarkjs.zKey.beacon(zkey0, zkey, "zkLabel INSECURE dev beacon", BEACON_HASH, 10, logger);
  await rm(zkey0);
}

export async function buildCircuits(only: string[] = []): Promise<BuiltCircuit[]> {
  const registry = JSON.parse(await readFile(join(ROOT, "circuits/circuits.json"), "utf8")) as { circuits: Entry[] };
  const entries = registry.circuits.filter((c) => only.length === 0 || only.includes(c.name));
  const work = join(ROOT, "build", "circuits");
  const webDir = join(ROOT, "apps/web/public/circuits");
  const verifierDir = join(ROOT, "contracts/verifiers");
  await mkdir(webDir, { recursive: true });
  await mkdir(verifierDir, { recursive: true });

  // Pass 1: compile what is not cached, to learn each circuit's domain size.
  const plans: { entry: Entry; key: string; cacheDir: string; info: R1csInfo }[] = [];
  const compiled = new Set<string>();
  for (const entry of entries) {
    const key = await sourceKey(entry);
    const cacheDir = join(CACHE, "circuits", `${entry.name}-${key}`);
    const r1cs = join(cacheDir, "main.r1cs");
    if (!(await exists(join(cacheDir, "done.json")))) {
      await rm(cacheDir, { recursive: true, force: true });
      await mkdir(cacheDir, { recursive: true });
      const buildDir = join(work, entry.name);
      await rm(buildDir, { recursive: true, force: true });
      await mkdir(buildDir, { recursive: true });
      log(`${entry.name}: compiling ${entry.template}(${Object.values(entry.params).join(", ")}) with circom2 --O2`);
      await compile(entry, buildDir);
      compiled.add(entry.name);
      await copyFile(join(buildDir, "main.r1cs"), r1cs);
      await copyFile(join(buildDir, "main_js", "main.wasm"), join(cacheDir, "main.wasm"));
      await copyFile(join(buildDir, "main.sym"), join(cacheDir, "main.sym"));
      if (entry.setup === false) await writeFile(join(cacheDir, "done.json"), "{}");
    }
    plans.push({ entry, key, cacheDir, info: await r1csInfo(r1cs) });
  }

  const pending = [];
  for (const p of plans) {
    if (await exists(join(p.cacheDir, "done.json"))) continue;
    // A source change that leaves the constraint system byte-identical (a comment, a renamed
    // constant) reuses the keys set up for it: they depend only on the R1CS and the dev ceremony.
    const reused = await keysForSameR1cs(p.entry.name, p.cacheDir);
    if (reused) {
      log(`${p.entry.name}: same constraint system as ${reused}: its keys are reused (no new setup)`);
      continue;
    }
    pending.push(p);
  }
  if (pending.length) {
    const power = Math.max(...pending.map((p) => p.info.domainPower));
    const ptau = await ptauFor(power);
    for (const { entry, cacheDir, info } of pending) {
      const r1cs = join(cacheDir, "main.r1cs");
      const zkey = join(cacheDir, "main.zkey");
      log(`${entry.name}: Groth16 setup (${info.constraints} constraints, domain 2^${info.domainPower})`);
      await devZkey(r1cs, ptau, zkey);
      // `zkey verify` recomputes the whole setup to compare: as long as the setup itself (over 2^16
      // it is 40 % of a cold build). The keys come from a public tau in this very process, so it
      // could only catch a snarkjs fault, which the proof tests of the deployed circuits catch too;
      // test/circuits/dev-ptau.test.ts runs it on a small circuit's keys. ZKLABEL_ZKEY_VERIFY=1 runs it here.
      if (process.env.ZKLABEL_ZKEY_VERIFY === "1") {
        log(`${entry.name}: zkey verify`);
        if ((await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey, logger)) !== true) {
          throw new Error(`${entry.name}: zkey verify failed: the proving key does not match the circuit`);
        }
      }
      const vkey = await snarkjs.zKey.exportVerificationKey(zkey, logger);
      await writeFile(join(cacheDir, "vkey.json"), `${JSON.stringify(vkey, null, 2)}\n`);
      await writeFile(join(cacheDir, "done.json"), JSON.stringify({ ...info, ceremony: DEV_CEREMONY_LABEL }));
    }
  }

  // Pass 2: place every artifact where the tests, contracts and app read it.
  const built: BuiltCircuit[] = [];
  for (const { entry, cacheDir, info } of plans) {
    const out = join(work, entry.name);
    await mkdir(out, { recursive: true });
    const info2 = { name: entry.name, ...info, cached: !compiled.has(entry.name) };
    if (entry.setup === false) {
      for (const f of ["main.r1cs", "main.wasm", "main.sym"]) await copyIfChanged(join(cacheDir, f), join(out, f));
      built.push({ ...info2, zkeyBytes: 0 });
      continue;
    }
    for (const f of ["main.r1cs", "main.wasm", "main.sym"]) await copyIfChanged(join(cacheDir, f), join(out, f));
    // A finished ceremony in ceremony/<circuit>/ replaces the development keys everywhere (docs/ceremony.md).
    const ceremony = await finishedCeremony(entry.name, join(cacheDir, "main.r1cs"));
    const origin = ceremony ? `ceremony ${ceremony.transcriptSha256}` : "development";
    const zkey = ceremony?.zkey ?? join(cacheDir, "main.zkey");
    const vkey = ceremony?.vkey ?? join(cacheDir, "vkey.json");
    const marker = join(out, "keys.txt");
    // Keys that changed origin are copied whatever their dates say.
    const switched = (await readFile(marker, "utf8").catch(() => "")) !== origin;
    if (ceremony && switched)
      log(`${entry.name}: keys from its ceremony (${ceremony.transcript.steps.length - 2} contributions and a beacon)`);
    const place = (from: string, to: string) => (switched ? copyAlways(from, to) : copyIfChanged(from, to));
    await place(zkey, join(out, "main.zkey"));
    await place(vkey, join(out, "vkey.json"));
    if (entry.solidity !== false) {
      await writeIfChanged(
        join(verifierDir, `${verifierName(entry.name)}.sol`),
        ceremony ? await readFile(ceremony.verifier, "utf8") : await solidityVerifier(entry.name, zkey, DEV_KEYS),
      );
    }
    if (entry.deploy && entry.role !== "reject") {
      await writeIfChanged(
        join(verifierDir, `${batchVerifierName(entry.name)}.sol`),
        ceremony
          ? await readFile(ceremony.batchVerifier, "utf8")
          : batchVerifier(entry.name, JSON.parse(await readFile(vkey, "utf8")) as VerificationKey, DEV_KEYS),
      );
    }
    if (entry.deploy || entry.serve) {
      await copyIfChanged(join(cacheDir, "main.wasm"), join(webDir, `${entry.name}.wasm`));
      await place(zkey, join(webDir, `${entry.name}.zkey`));
      await place(vkey, join(webDir, `${entry.name}.vkey.json`));
    }
    await writeIfChanged(marker, origin);
    built.push({ ...info2, zkeyBytes: (await stat(zkey)).size });
  }
  await releaseSnarkjs();
  if (only.length === 0) {
    // A verifier whose circuit lost its keys (or left the registry) must not stay compilable.
    const keep = new Set([
      ...plans
        .filter((p) => p.entry.setup !== false && p.entry.solidity !== false)
        .map((p) => `${verifierName(p.entry.name)}.sol`),
      ...plans
        .filter((p) => p.entry.deploy && p.entry.role !== "reject")
        .map((p) => `${batchVerifierName(p.entry.name)}.sol`),
    ]);
    for (const f of await readdir(verifierDir)) {
      if (f.endsWith("Verifier.sol") && !keep.has(f)) {
        await rm(join(verifierDir, f));
        log(`removed stale verifier contracts/verifiers/${f}`);
      }
    }
    const served = new Set(plans.filter((p) => p.entry.deploy || p.entry.serve).map((p) => p.entry.name));
    for (const f of await readdir(webDir)) {
      const name = f.split(".")[0];
      if (/\.(wasm|zkey|vkey\.json)$/.test(f) && !served.has(name)) {
        await rm(join(webDir, f));
        log(`removed stale app circuit file apps/web/public/circuits/${f}`);
      }
    }
    await writeFile(
      join(work, "report.json"),
      `${JSON.stringify(Object.fromEntries(built.map((b) => [b.name, b])), null, 2)}\n`,
    );
  }
  return built;
}

async function writeIfChanged(path: string, text: string): Promise<void> {
  if ((await readFile(path, "utf8").catch(() => "")) !== text) await writeFile(path, text);
}

async function copyAlways(from: string, to: string): Promise<void> {
  await copyFile(from, `${to}.tmp`);
  await rename(`${to}.tmp`, to);
}

async function copyIfChanged(from: string, to: string): Promise<void> {
  const [a, b] = await Promise.all([stat(from), stat(to).catch(() => null)]);
  if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) return;
  await copyFile(from, `${to}.tmp`);
  await rename(`${to}.tmp`, to);
}

export interface R1csInfo {
  constraints: number;
  wires: number;
  publicInputs: number;
  privateInputs: number;
  domainPower: number;
}

/** Reads the r1cs header (section 1) without loading the constraints. */
export async function r1csInfo(path: string): Promise<R1csInfo> {
  const h = binSections(await readFile(path)).get(1);
  if (!h) throw new Error(`${path}: no r1cs header`);
  const n8 = h.readUInt32LE(0);
  const o = 4 + n8;
  const wires = h.readUInt32LE(o);
  const outputs = h.readUInt32LE(o + 4);
  const pubInputs = h.readUInt32LE(o + 8);
  const privInputs = h.readUInt32LE(o + 12);
  const constraints = h.readUInt32LE(o + 24);
  // snarkjs: cirPower = log2(nConstraints + nPubInputs + nOutputs) + 1
  const domainPower = Math.floor(Math.log2(constraints + pubInputs + outputs)) + 1;
  return { constraints, wires, publicInputs: pubInputs + outputs, privateInputs: privInputs, domainPower };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildCircuits(process.argv.slice(2));
  console.log("");
  console.log("circuit                             constraints   wires  public  domain  zkey MB  cached");
  for (const b of built) {
    console.log(
      `${b.name.padEnd(34)} ${String(b.constraints).padStart(12)} ${String(b.wires).padStart(7)} ${String(b.publicInputs).padStart(7)}   2^${String(b.domainPower).padEnd(3)} ${(b.zkeyBytes / 2 ** 20).toFixed(1).padStart(8)}  ${b.cached ? "yes" : "no"}`,
    );
  }
  await printBudgets(built);
  log("done");
}

/**
 * Per-label constraint costs against circuits/budgets.json (marginal: the N/2 twin; amortized: fixed part apart;
 * a budget without "fixed", a rejection, has no fixed part to set apart).
 */
async function printBudgets(built: BuiltCircuit[]): Promise<void> {
  const budgets = JSON.parse(await readFile(join(ROOT, "circuits/budgets.json"), "utf8")) as Record<string, unknown>;
  const by = Object.fromEntries(built.map((b) => [b.name, b.constraints]));
  const registry = JSON.parse(await readFile(join(ROOT, "circuits/circuits.json"), "utf8")) as { circuits: Entry[] };
  const n = (name: string) => registry.circuits.find((c) => c.name === name)?.params.N ?? Number.NaN;
  console.log("\nrule             total   fixed  per label (marginal / amortized)  limit");
  for (const [rule, v] of Object.entries(budgets)) {
    if (typeof v !== "object" || v === null || !("circuit" in v)) continue;
    const b = v as { circuit: string; twin: string; fixed?: string; perLabelLimit: number };
    const fixed = b.fixed === undefined ? 0 : by[b.fixed];
    if (by[b.circuit] === undefined || by[b.twin] === undefined || fixed === undefined) continue;
    const marginal = Math.round((by[b.circuit] - by[b.twin]) / (n(b.circuit) - n(b.twin)));
    const amortized = ((by[b.circuit] - fixed) / n(b.circuit)).toFixed(1);
    console.log(
      `${rule.padEnd(15)} ${String(by[b.circuit]).padStart(6)} ${String(fixed).padStart(7)}  ${`${marginal} / ${amortized}`.padStart(32)}  ${String(b.perLabelLimit).padStart(5)}`,
    );
  }
}
