/**
 * A rehearsal of the production trusted setup for tests that need a circuit's ceremony keys
 * (docs/ceremony.md): a phase 1 made here the way a public multi-party ceremony makes it (two
 * contributions and a beacon, prepared for phase 2; the public files cannot be fetched on these
 * machines), then the project's own phase-2 tooling (scripts/ceremony/lib.ts) with three
 * contributions and a beacon, every step verified, finalized and checked.
 *
 * Both phases are slow at the deployed circuits' sizes (snarkjs' phase-2 preparation alone takes
 * minutes at 2^15 here), so their results are cached in $ZKLABEL_CACHE/ceremony-rehearsal: the
 * phase 1 per power, a circuit's ceremony per R1CS and phase-1 file. A cached ceremony is checked
 * again (`check`: every file against its transcript, the final key's zkey verify) before it is used.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { beacon, check, contribute, finalize, init, ptauFacts } from "../../scripts/ceremony/lib.ts";
import { fileHash } from "../../scripts/lib/hash.ts";

const CACHE = join(process.env.ZKLABEL_CACHE ?? join(homedir(), ".cache", "zklabel"), "ceremony-rehearsal");

/** A prepared phase-1 file of 2^power with two contributions and a beacon, and its blake2b-512. */
export async function rehearsalPtau(
  power: number,
  log: (m: string) => void = () => {},
): Promise<{ file: string; blake2b: string }> {
  const file = join(CACHE, `phase1_${power}.ptau`);
  if (!existsSync(file)) {
    const work = join(CACHE, `phase1_${power}.work-${process.pid}`);
    await mkdir(work, { recursive: true });
    try {
      const curve = await snarkjs.curves.getCurveFromName("bn128");
      const p = (i: number) => join(work, `${i}.ptau`);
      log(`phase 1 (2^${power}): a new accumulator, two contributions and a beacon`);
      await snarkjs.powersOfTau.newAccumulator(curve, power, p(0));
      await snarkjs.powersOfTau.contribute(p(0), p(1), "rehearsal phase 1 alice", `alice ${Math.random()}`);
      await snarkjs.powersOfTau.contribute(p(1), p(2), "rehearsal phase 1 bob", `bob ${Math.random()}`);
      await snarkjs.powersOfTau.beacon(p(2), p(3), "rehearsal phase 1 beacon", "cd".repeat(32), 10);
      log(`phase 1 (2^${power}): preparing for phase 2 (snarkjs, minutes)`);
      await snarkjs.powersOfTau.preparePhase2(p(3), p(4));
      await rename(p(4), file);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const facts = await ptauFacts(file);
  if (facts.power !== power || facts.contributions !== 3 || !facts.prepared)
    throw new Error(`the cached rehearsal phase 1 ${file} is not what it should be: remove it`);
  return { file, blake2b: await fileHash(file, "blake2b512") };
}

/**
 * The finished, checked ceremony of `circuit` (its R1CS at `r1cs`) in a folder laid out as
 * ceremony/ is (one subfolder per circuit): three contributions and a beacon on the rehearsal
 * phase 1 of `power`. Returns the folder to pass as ZKLABEL_CEREMONY_DIR.
 */
export async function rehearsalCeremony(
  circuit: string,
  r1cs: string,
  power: number,
  log: (m: string) => void = () => {},
): Promise<string> {
  const ptau = await rehearsalPtau(power, log);
  const key = createHash("sha256")
    .update(`${await fileHash(r1cs, "sha256")}/${ptau.blake2b}`)
    .digest("hex")
    .slice(0, 16);
  const dir = join(CACHE, `${circuit}-${key}`);
  if (!existsSync(join(dir, circuit, "transcript.json")) || !(await finished(dir, circuit))) {
    const work = `${dir}.work-${process.pid}`;
    await rm(work, { recursive: true, force: true });
    try {
      log(`${circuit}: phase 2, three contributions and a beacon, each verifying the key before it`);
      await init({ dir: work, circuit, ptau: ptau.file, ptauBlake2b: ptau.blake2b, r1cs });
      for (const name of ["alice", "bob", "carol"]) await contribute({ dir: work, circuit, name });
      await beacon({ dir: work, circuit, hash: "ef".repeat(32) });
      await finalize({ dir: work, circuit });
      await rm(dir, { recursive: true, force: true });
      await rename(work, dir);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  log(`${circuit}: checking the ceremony against its transcript`);
  await check({ dir, circuit, ptau: ptau.file });
  return dir;
}

async function finished(dir: string, circuit: string): Promise<boolean> {
  const t = JSON.parse(await readFile(join(dir, circuit, "transcript.json"), "utf8")) as { final?: unknown };
  return t.final !== undefined;
}

/** Gathers the ceremonies of several circuits into one folder laid out as ceremony/ (subfolder per circuit). */
export async function ceremonyFolder(into: string, ceremonies: Record<string, string>): Promise<string> {
  await mkdir(into, { recursive: true });
  for (const [circuit, dir] of Object.entries(ceremonies))
    await cp(join(dir, circuit), join(into, circuit), { recursive: true });
  return into;
}
