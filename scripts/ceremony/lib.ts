/**
 * A Groth16 trusted-setup ceremony for one circuit (docs/ceremony.md). Phase 1 is a public
 * multi-party powers of tau that the operator supplies by path and expected blake2b-512 hash;
 * phase 2 runs here: an initial key from the circuit's R1CS, any number of contributions, each
 * made after verifying the file it starts from, a final random beacon, and `zkey verify` at every
 * step. Everything lands in `<dir>/<circuit>/`, with transcript.json listing each step's
 * attestation hash; `finalize` writes the verification key and both Solidity verifiers from the
 * final key, and `check` proves the files match the transcript.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, open, readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { type Step, stepsHash, type Transcript } from "@zklabel/core/ceremony";
import { batchVerifierName, verifierName } from "@zklabel/core/registry";
import * as snarkjs from "snarkjs";
import { batchVerifier, type KeyOrigin, solidityVerifier, type VerificationKey } from "../circuits/verifiers.ts";
import { fileHash } from "../lib/hash.ts";
import { ROOT } from "../lib/process.ts";

/** A refusal a participant can act on (a wrong hash, a file that does not verify, a step out of order). */
export class CeremonyError extends Error {}

export type { Step, Transcript } from "@zklabel/core/ceremony";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The header (power) and the contribution count of a .ptau, read without loading the file. */
export async function ptauFacts(path: string): Promise<{ power: number; contributions: number; prepared: boolean }> {
  const fd = await open(path, "r");
  try {
    const head = Buffer.alloc(12);
    await fd.read(head, 0, 12, 0);
    if (head.toString("latin1", 0, 4) !== "ptau") throw new CeremonyError(`${path} is not a powers-of-tau file`);
    const sections = new Map<number, { at: number; size: number }>();
    const { size } = await fd.stat();
    for (let pos = 12; pos < size; ) {
      const h = Buffer.alloc(12);
      await fd.read(h, 0, 12, pos);
      const len = Number(h.readBigUInt64LE(4));
      sections.set(h.readUInt32LE(0), { at: pos + 12, size: len });
      pos += 12 + len;
    }
    const header = sections.get(1);
    if (!header) throw new CeremonyError(`${path} has no header`);
    const hb = Buffer.alloc(header.size);
    await fd.read(hb, 0, header.size, header.at);
    const n8 = hb.readUInt32LE(0);
    const power = hb.readUInt32LE(4 + n8);
    const c = sections.get(7);
    let contributions = 0;
    if (c && c.size >= 4) {
      const cb = Buffer.alloc(4);
      await fd.read(cb, 0, 4, c.at);
      contributions = cb.readUInt32LE(0);
    }
    return { power, contributions, prepared: sections.has(12) };
  } finally {
    await fd.close();
  }
}

const dirOf = (dir: string, circuit: string) => join(dir, circuit);
const transcriptPath = (dir: string, circuit: string) => join(dirOf(dir, circuit), "transcript.json");

export async function readTranscript(dir: string, circuit: string): Promise<Transcript> {
  const path = transcriptPath(dir, circuit);
  if (!existsSync(path)) throw new CeremonyError(`no ceremony for ${circuit} in ${dir}: start one with init`);
  return JSON.parse(await readFile(path, "utf8")) as Transcript;
}

const save = (dir: string, t: Transcript) =>
  writeFile(transcriptPath(dir, t.circuit), `${JSON.stringify(t, null, 2)}\n`);

/** The ptau a step reads: the operator's path, or the transcript's. */
const ptauOf = (t: Transcript, ptau?: string) => resolve(ptau ?? t.ptau.file);

/**
 * `zkey verify` of a step's key against the R1CS and the ptau, and its contribution list against
 * the transcript's steps up to it (names and attestation hashes, in order): a file that is not the
 * transcript's, or that someone altered, is refused before anyone builds on it.
 */
export async function verifyStep(dir: string, t: Transcript, step: Step, ptau?: string): Promise<void> {
  const folder = dirOf(dir, t.circuit);
  const zkey = join(folder, step.zkey);
  if (!existsSync(zkey)) throw new CeremonyError(`${step.zkey} is missing from ${folder}`);
  if ((await fileHash(zkey, "sha256")) !== step.zkeySha256)
    throw new CeremonyError(`${step.zkey} is not the file the transcript records (its sha256 differs)`);
  const logged: string[] = [];
  const logger = { ...quiet, info: (m: string) => logged.push(m), error: (m: string) => logged.push(`error: ${m}`) };
  const ok = await snarkjs.zKey.verifyFromR1cs(join(folder, "circuit.r1cs"), ptauOf(t, ptau), zkey, logger);
  if (ok !== true)
    throw new CeremonyError(
      `${step.zkey} does not verify against the circuit and the powers of tau: ${logged.filter((l) => l.startsWith("error")).join("; ") || "zkey verify failed"}`,
    );
  // snarkjs logs "contribution #i name:" then the hash as four lines of four 32-bit words, newest first.
  const found = logged
    .filter((l) => l.startsWith("contribution #"))
    .map((l) => {
      const [title, ...rows] = l.split("\n");
      return {
        n: Number(/^contribution #(\d+)/.exec(title)?.[1]),
        name: title.replace(/^contribution #\d+ ?/, "").replace(/:$/, ""),
        hash: rows.join("").replace(/\s/g, ""),
      };
    })
    .sort((a, b) => a.n - b.n);
  const expected = t.steps.filter((s) => s.index > 0 && s.index <= step.index);
  if (found.length !== expected.length)
    throw new CeremonyError(
      `${step.zkey} holds ${found.length} contributions, the transcript ${expected.length} up to step ${step.index}`,
    );
  expected.forEach((s, i) => {
    if (found[i].hash !== s.attestation || found[i].name !== s.name)
      throw new CeremonyError(
        `${step.zkey}: contribution #${i + 1} is "${found[i].name}" ${found[i].hash.slice(0, 16)}…, the transcript says "${s.name}" ${s.attestation.slice(0, 16)}…`,
      );
  });
}

/**
 * Starts a ceremony: checks the ptau's blake2b-512 hash and that it records contributions (a
 * development ptau has none), copies the circuit's R1CS and writes the initial key.
 */
export async function init(o: {
  dir: string;
  circuit: string;
  ptau: string;
  ptauBlake2b: string;
  r1cs?: string;
}): Promise<Transcript> {
  const folder = dirOf(o.dir, o.circuit);
  if (existsSync(transcriptPath(o.dir, o.circuit)))
    throw new CeremonyError(`a ceremony for ${o.circuit} already exists in ${folder}`);
  const want = o.ptauBlake2b.toLowerCase().replace(/^0x/, "").replace(/\s/g, "");
  const got = await fileHash(o.ptau, "blake2b512");
  if (got !== want)
    throw new CeremonyError(
      `${o.ptau} has blake2b-512 ${got.slice(0, 16)}…, not the expected ${want.slice(0, 16)}…: it is not the published powers of tau (check the download)`,
    );
  const facts = await ptauFacts(o.ptau);
  if (facts.contributions === 0)
    throw new CeremonyError(
      `${o.ptau} records no contribution: it is not a multi-party ceremony's (a development ptau's tau is public). Use a public ceremony's prepared file`,
    );
  if (!facts.prepared)
    throw new CeremonyError(`${o.ptau} is not prepared for phase 2: use the "final" (prepared) file of the ceremony`);
  const r1cs = o.r1cs ?? join(ROOT, "build", "circuits", o.circuit, "main.r1cs");
  if (!existsSync(r1cs)) throw new CeremonyError(`no R1CS at ${r1cs}: run npm run circuits first`);
  await mkdir(folder, { recursive: true });
  await copyFile(r1cs, join(folder, "circuit.r1cs"));
  const zkey = `${o.circuit}_0000.zkey`;
  try {
    await snarkjs.zKey.newZKey(join(folder, "circuit.r1cs"), o.ptau, join(folder, zkey), quiet);
  } catch (e) {
    throw new CeremonyError(
      `the powers of tau (2^${facts.power}) cannot key ${o.circuit}: ${e instanceof Error ? e.message : e}`,
    );
  }
  const t: Transcript = {
    version: 1,
    circuit: o.circuit,
    r1csSha256: await fileHash(join(folder, "circuit.r1cs"), "sha256"),
    ptau: { file: o.ptau, blake2b: got, power: facts.power, contributions: facts.contributions },
    steps: [
      {
        index: 0,
        kind: "initial",
        name: "",
        zkey,
        zkeySha256: await fileHash(join(folder, zkey), "sha256"),
        attestation: "",
      },
    ],
  };
  await save(o.dir, t);
  return t;
}

const last = (t: Transcript) => t.steps[t.steps.length - 1];

function refuseAfterBeacon(t: Transcript) {
  if (last(t).kind === "beacon")
    throw new CeremonyError(`the ceremony for ${t.circuit} ended with its beacon: no contribution can follow`);
}

/** One contribution: verifies the latest key, contributes with fresh (or given) entropy, returns the attestation. */
export async function contribute(o: {
  dir: string;
  circuit: string;
  name: string;
  entropy?: string;
  ptau?: string;
}): Promise<Step> {
  const t = await readTranscript(o.dir, o.circuit);
  refuseAfterBeacon(t);
  if (!o.name.trim()) throw new CeremonyError("a contribution needs the contributor's name (--name)");
  const prev = last(t);
  await verifyStep(o.dir, t, prev, o.ptau);
  const folder = dirOf(o.dir, o.circuit);
  const index = prev.index + 1;
  const zkey = `${o.circuit}_${String(index).padStart(4, "0")}.zkey`;
  const entropy = o.entropy ?? randomBytes(64).toString("hex");
  const hash = (await snarkjs.zKey.contribute(
    join(folder, prev.zkey),
    join(folder, zkey),
    o.name,
    entropy,
    quiet,
  )) as Uint8Array;
  const step: Step = {
    index,
    kind: "contribution",
    name: o.name,
    zkey,
    zkeySha256: await fileHash(join(folder, zkey), "sha256"),
    attestation: Buffer.from(hash).toString("hex"),
  };
  t.steps.push(step);
  await save(o.dir, t);
  // The next step verifies this key before it builds on it (the next contribution, the beacon).
  return step;
}

/** The final beacon (public randomness announced in advance: a future block hash), then zkey verify. */
export async function beacon(o: {
  dir: string;
  circuit: string;
  hash: string;
  iterationsExp?: number;
  ptau?: string;
}): Promise<Step> {
  const t = await readTranscript(o.dir, o.circuit);
  refuseAfterBeacon(t);
  if (t.steps.length < 2) throw new CeremonyError("the beacon comes after at least one contribution");
  const hex = o.hash.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new CeremonyError("the beacon is 32 bytes of hex (a block hash)");
  const iterationsExp = o.iterationsExp ?? 10;
  const prev = last(t);
  await verifyStep(o.dir, t, prev, o.ptau);
  const folder = dirOf(o.dir, o.circuit);
  const index = prev.index + 1;
  const zkey = `${o.circuit}_final.zkey`;
  const hash = (await snarkjs.zKey.beacon(
    join(folder, prev.zkey),
    join(folder, zkey),
    "final beacon",
    hex,
    iterationsExp,
    quiet,
  )) as Uint8Array;
  const step: Step = {
    index,
    kind: "beacon",
    name: "final beacon",
    zkey,
    zkeySha256: await fileHash(join(folder, zkey), "sha256"),
    attestation: Buffer.from(hash).toString("hex"),
    beacon: { hash: hex, iterationsExp },
  };
  t.steps.push(step);
  await save(o.dir, t);
  // finalize verifies the final key before it writes anything from it.
  return step;
}

/** What finalize writes, by file name. */
async function derived(dir: string, t: Transcript) {
  const zkey = join(dirOf(dir, t.circuit), last(t).zkey);
  const vkey = (await snarkjs.zKey.exportVerificationKey(zkey, quiet)) as VerificationKey;
  const keys: KeyOrigin = { kind: "ceremony", transcriptSha256: stepsHash(t) };
  return {
    "vkey.json": `${JSON.stringify(vkey, null, 2)}\n`,
    [`${verifierName(t.circuit)}.sol`]: await solidityVerifier(t.circuit, zkey, keys, "scripts/ceremony"),
    [`${batchVerifierName(t.circuit)}.sol`]: batchVerifier(t.circuit, vkey, keys, "scripts/ceremony"),
  };
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** After the beacon: the verification key and both verifiers from the final key, their hashes in the transcript. */
export async function finalize(o: { dir: string; circuit: string; ptau?: string }): Promise<Transcript> {
  const t = await readTranscript(o.dir, o.circuit);
  if (last(t).kind !== "beacon") throw new CeremonyError(`the ceremony for ${t.circuit} has no final beacon yet`);
  await verifyStep(o.dir, t, last(t), o.ptau);
  const files = await derived(o.dir, t);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dirOf(o.dir, t.circuit), name), text);
  t.final = {
    vkeySha256: sha(files["vkey.json"]),
    verifierSha256: sha(files[`${verifierName(t.circuit)}.sol`]),
    batchVerifierSha256: sha(files[`${batchVerifierName(t.circuit)}.sol`]),
  };
  await save(o.dir, t);
  return t;
}

/**
 * Proves a finished ceremony's files match its transcript: the R1CS and the ptau are the recorded
 * ones, every step's key verifies and holds exactly the transcript's contributions, and the
 * verification key and verifiers are what the final key gives. Returns what it checked, in words.
 */
export async function check(o: { dir: string; circuit: string; ptau?: string }): Promise<string[]> {
  const t = await readTranscript(o.dir, o.circuit);
  const folder = dirOf(o.dir, t.circuit);
  const said: string[] = [];
  if ((await fileHash(join(folder, "circuit.r1cs"), "sha256")) !== t.r1csSha256)
    throw new CeremonyError("circuit.r1cs is not the R1CS the ceremony started from");
  const built = join(ROOT, "build", "circuits", t.circuit, "main.r1cs");
  if (existsSync(built) && (await fileHash(built, "sha256")) !== t.r1csSha256)
    throw new CeremonyError(`the circuit built here (${built}) is not the one the ceremony keyed: rebuild or rerun`);
  if ((await fileHash(ptauOf(t, o.ptau), "blake2b512")) !== t.ptau.blake2b)
    throw new CeremonyError(`${basename(ptauOf(t, o.ptau))} is not the powers of tau the ceremony used`);
  said.push(
    `R1CS ${t.r1csSha256.slice(0, 16)}… and powers of tau ${t.ptau.blake2b.slice(0, 16)}… are the transcript's`,
  );
  if (last(t).kind !== "beacon" || !t.final) throw new CeremonyError(`the ceremony for ${t.circuit} is not finalized`);
  // Every step's key is the file the transcript records.
  for (const step of t.steps) {
    if ((await fileHash(join(folder, step.zkey), "sha256").catch(() => "")) !== step.zkeySha256)
      throw new CeremonyError(`${step.zkey} is not the file the transcript records (its sha256 differs)`);
  }
  // The verifiers name the hash of the steps they were made from: a transcript edited since then is not theirs.
  const named = /transcript sha256 ([0-9a-f]{64})/.exec(
    await readFile(join(folder, `${verifierName(t.circuit)}.sol`), "utf8").catch(() => ""),
  )?.[1];
  if (named !== stepsHash(t))
    throw new CeremonyError(
      `transcript.json is not the transcript the verifiers were made from (its steps changed since finalize, or the verifier is missing)`,
    );
  const files = await derived(o.dir, t);
  const wanted: Record<string, string> = {
    "vkey.json": t.final.vkeySha256,
    [`${verifierName(t.circuit)}.sol`]: t.final.verifierSha256,
    [`${batchVerifierName(t.circuit)}.sol`]: t.final.batchVerifierSha256,
  };
  for (const [name, text] of Object.entries(files)) {
    const onDisk = await readFile(join(folder, name), "utf8").catch(() => "");
    if (sha(text) !== wanted[name] || onDisk !== text)
      throw new CeremonyError(`${name} is not what the final key gives (regenerate it with finalize)`);
  }
  said.push("the verification key and both verifiers are the final key's");
  // The final key's zkey verify checks the whole chain of contributions (each one's proof of
  // knowledge, from the initial key the R1CS and ptau give), and its list of them must be the transcript's.
  await verifyStep(o.dir, t, last(t), o.ptau);
  said.push(
    `${t.steps.length - 2} contributions and the beacon verify, the final key holding exactly the transcript's attestations`,
  );
  return said;
}

/** Where the project's finished ceremonies live (`npm run circuits` and the deploy read them). */
export const CEREMONY_DIR = resolve(process.env.ZKLABEL_CEREMONY_DIR ?? join(ROOT, "ceremony"));

/** The files a finished ceremony gives its circuit, checked against its transcript by hash. */
export interface CeremonyKeys {
  transcript: Transcript;
  transcriptSha256: string;
  zkey: string;
  vkey: string;
  verifier: string;
  batchVerifier: string;
}

/**
 * The finished ceremony of `circuit` in `dir`, or undefined when there is none (no transcript, or
 * not finalized yet). Its files are checked by hash against the transcript (the R1CS against
 * `r1cs`, the built circuit's, when given): a mismatch is an error, never a silent fallback to
 * development keys. The full check (zkey verify of every contribution) is `npm run ceremony -- check`.
 */
export async function finishedCeremony(
  circuit: string,
  r1cs?: string,
  dir = CEREMONY_DIR,
): Promise<CeremonyKeys | undefined> {
  if (!existsSync(transcriptPath(dir, circuit))) return undefined;
  const t = await readTranscript(dir, circuit);
  if (!t.final || last(t).kind !== "beacon") return undefined;
  const folder = dirOf(dir, circuit);
  const where = `ceremony ${folder}`;
  if (r1cs && (await fileHash(r1cs, "sha256")) !== t.r1csSha256)
    throw new CeremonyError(
      `the ${circuit} circuit built here is not the one its ${where} keyed (R1CS sha256 differs): a new circuit version needs a new ceremony`,
    );
  const zkey = join(folder, last(t).zkey);
  if ((await fileHash(zkey, "sha256").catch(() => "")) !== last(t).zkeySha256)
    throw new CeremonyError(
      `${where}: the final key ${last(t).zkey} is missing or not the file the transcript records`,
    );
  const files = {
    vkey: join(folder, "vkey.json"),
    verifier: join(folder, `${verifierName(circuit)}.sol`),
    batchVerifier: join(folder, `${batchVerifierName(circuit)}.sol`),
  };
  const wanted = {
    vkey: t.final.vkeySha256,
    verifier: t.final.verifierSha256,
    batchVerifier: t.final.batchVerifierSha256,
  };
  for (const k of ["vkey", "verifier", "batchVerifier"] as const) {
    if ((await fileHash(files[k], "sha256").catch(() => "")) !== wanted[k])
      throw new CeremonyError(`${where}: ${basename(files[k])} is missing or not what the transcript records`);
  }
  return { transcript: t, transcriptSha256: stepsHash(t), zkey, ...files };
}

/**
 * Whose keys a Solidity verifier's source checks proofs with, from the header the generator wrote:
 * development keys (locked to the local chain) or a ceremony (naming the hash of its transcript's steps).
 */
export function verifierKeyOrigin(source: string): KeyOrigin | undefined {
  if (/from INSECURE development keys/.test(source)) return { kind: "development" };
  const named = /transcript sha256 ([0-9a-f]{64})/.exec(source)?.[1];
  return named ? { kind: "ceremony", transcriptSha256: named } : undefined;
}
