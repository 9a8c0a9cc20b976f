/**
 * The trusted-setup ceremony (scripts/ceremony/, docs/ceremony.md) on a real circuit: a phase 1
 * with two contributions and a beacon made here (the public ceremonies' files cannot be fetched on
 * these machines; the tooling takes any prepared ptau by path and hash), then phase 2 with three
 * contributions and a beacon, every step verified, the verifiers from the final key, a real proof
 * with it, and every refusal: a wrong hash, a development ptau, an unprepared one, a tampered key,
 * transcript or verifier, a contribution after the beacon.
 */
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEMO_PARAMS, demoItems, textLeaf } from "@zklabel/core/demo";
import { DatasetTree, datasetChunk } from "@zklabel/core/merkle";
import { batchVerifierName, circuitInfo, verifierName } from "@zklabel/core/registry";
import { classificationInput } from "@zklabel/core/rules/classification";
import * as snarkjs from "snarkjs";
import { beacon, CeremonyError, check, contribute, finalize, init, ptauFacts } from "../../scripts/ceremony/lib.ts";
import { writeDevPtau } from "../../scripts/circuits/dev-ptau.ts";
import { checkCircuitKeys, DeployRefusal } from "../../scripts/lib/keys.ts";
import { ROOT } from "../../scripts/lib/process.ts";
import { artifacts, releaseSnarkjs } from "../helpers/classification.ts";

const CIRCUIT = "classification_n4_d4"; // 2,456 constraints: a 2^12 powers of tau
let dir: string;
let ptau: string;
let blake2b: string;

const hashOf = async (path: string) =>
  (await import("node:crypto"))
    .createHash("blake2b512")
    .update(await readFile(path))
    .digest("hex");
const refused = (re: RegExp) => (e: unknown) => e instanceof CeremonyError && re.test(e.message);

before(
  async () => {
    dir = await mkdtemp(join(tmpdir(), "zklabel-ceremony-"));
    // Phase 1, the way a public ceremony makes it: contributions, a beacon, prepared for phase 2.
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    const p = (i: number) => join(dir, `pot12_${i}.ptau`);
    await snarkjs.powersOfTau.newAccumulator(curve, 12, p(0));
    await snarkjs.powersOfTau.contribute(p(0), p(1), "phase 1 alice", "alice entropy 1f3b");
    await snarkjs.powersOfTau.contribute(p(1), p(2), "phase 1 bob", "bob entropy 9c2d");
    await snarkjs.powersOfTau.beacon(p(2), p(3), "phase 1 beacon", "aa".repeat(32), 10);
    ptau = join(dir, "pot12_final.ptau");
    await snarkjs.powersOfTau.preparePhase2(p(3), ptau);
    blake2b = await hashOf(ptau);
  },
  { timeout: 600_000 },
);
after(async () => {
  await releaseSnarkjs();
  await rm(dir, { recursive: true, force: true });
});

describe("trusted-setup ceremony", { timeout: 900_000 }, () => {
  const cdir = () => join(dir, "ceremony");

  it("refuses a powers of tau with another hash, a development one, and an unprepared one", async () => {
    await assert.rejects(
      init({ dir: cdir(), circuit: CIRCUIT, ptau, ptauBlake2b: "00".repeat(64) }),
      refused(
        /has blake2b-512 [0-9a-f]{16}…, not the expected 0000000000000000…: it is not the published powers of tau/,
      ),
    );
    const dev = join(dir, "dev.ptau");
    await writeDevPtau(dev, 12);
    assert.equal((await ptauFacts(dev)).contributions, 0);
    await assert.rejects(
      init({ dir: cdir(), circuit: CIRCUIT, ptau: dev, ptauBlake2b: await hashOf(dev) }),
      refused(/records no contribution: it is not a multi-party ceremony's/),
    );
    const raw = join(dir, "pot12_3.ptau");
    await assert.rejects(
      init({ dir: cdir(), circuit: CIRCUIT, ptau: raw, ptauBlake2b: await hashOf(raw) }),
      refused(/is not prepared for phase 2/),
    );
  });

  it("three contributions and a beacon, each verified; the final key proves; check holds", async () => {
    const facts = await ptauFacts(ptau);
    assert.deepEqual(facts, { power: 12, contributions: 3, prepared: true });
    const t = await init({ dir: cdir(), circuit: CIRCUIT, ptau, ptauBlake2b: blake2b });
    assert.equal(t.ptau.contributions, 3);
    await assert.rejects(
      beacon({ dir: cdir(), circuit: CIRCUIT, hash: "bb".repeat(32) }),
      refused(/after at least one/),
    );
    const people = ["alice", "bob", "carol"];
    const steps = [];
    for (const name of people) steps.push(await contribute({ dir: cdir(), circuit: CIRCUIT, name }));
    assert.deepEqual(
      steps.map((s) => [s.index, s.name]),
      [
        [1, "alice"],
        [2, "bob"],
        [3, "carol"],
      ],
    );
    for (const s of steps) assert.match(s.attestation, /^[0-9a-f]{128}$/);
    assert.equal(new Set(steps.map((s) => s.attestation)).size, 3, "fresh entropy each time");
    const b = await beacon({ dir: cdir(), circuit: CIRCUIT, hash: "bb".repeat(32) });
    assert.equal(b.kind, "beacon");
    await assert.rejects(
      contribute({ dir: cdir(), circuit: CIRCUIT, name: "mallory" }),
      refused(/ended with its beacon/),
    );
    await finalize({ dir: cdir(), circuit: CIRCUIT });
    const said = await check({ dir: cdir(), circuit: CIRCUIT });
    assert.match(said.join("\n"), /3 contributions and the beacon verify/);

    // A real proof with the final key verifies against the ceremony's verification key.
    const circuit = circuitInfo(CIRCUIT);
    const data = demoItems(8);
    const tree = new DatasetTree(
      circuit.params.DEPTH,
      data.map((x) => textLeaf(x.text)),
      datasetChunk(circuit.params.N),
    );
    const { input } = classificationInput({
      circuit,
      tree,
      task: { taskId: 7n, chainId: 31337n, contract: 0x1234n, pkR: [0n, 1n] as const, goldRoot: 0n },
      params: DEMO_PARAMS,
      batchIndex: 0,
      labels: data.slice(0, 4).map((x) => x.sentiment),
      salt: 5n,
      recipient: 0xabcn,
    });
    const folder = join(cdir(), CIRCUIT);
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      input,
      artifacts(CIRCUIT).wasm,
      join(folder, `${CIRCUIT}_final.zkey`),
    );
    const vkey = JSON.parse(await readFile(join(folder, "vkey.json"), "utf8"));
    assert.equal(await snarkjs.groth16.verify(vkey, publicSignals, proof), true);
    // Not with the development key's verification key: another setup.
    const devVkey = JSON.parse(await readFile(artifacts(CIRCUIT).vkey, "utf8"));
    assert.equal(await snarkjs.groth16.verify(devVkey, publicSignals, proof), false);
    // The ceremony's verifier names its transcript and has no development chain lock.
    const sol = await readFile(join(folder, `${verifierName(CIRCUIT)}.sol`), "utf8");
    assert.match(sol, /from the final key of its trusted-setup ceremony,\n\/\/ transcript sha256 [0-9a-f]{64}/);
    assert.doesNotMatch(sol, /InsecureDevelopmentVerifier/);
  });

  it("check names what does not match: a transcript's attestation, a verifier, a contribution's key", async () => {
    const folder = join(cdir(), CIRCUIT);
    const transcript = join(folder, "transcript.json");
    const saved = await readFile(transcript, "utf8");
    const t = JSON.parse(saved);
    t.steps[2].attestation = `${"0".repeat(16)}${t.steps[2].attestation.slice(16)}`;
    await writeFile(transcript, JSON.stringify(t));
    await assert.rejects(
      check({ dir: cdir(), circuit: CIRCUIT }),
      refused(/transcript.json is not the transcript the verifiers were made from/),
    );
    // And no verifier can be made from it: the final key's contributions are not the transcript's.
    await assert.rejects(
      finalize({ dir: cdir(), circuit: CIRCUIT }),
      refused(/contribution #2 is "bob" [0-9a-f]{16}…, the transcript says "bob" 0000000000000000…/),
    );
    await writeFile(transcript, saved);

    const verifier = join(folder, `${verifierName(CIRCUIT)}.sol`);
    const sol = await readFile(verifier, "utf8");
    await writeFile(verifier, sol.replace(/uint256 constant deltax1 = \d/, "uint256 constant deltax1 = 7"));
    await assert.rejects(
      check({ dir: cdir(), circuit: CIRCUIT }),
      refused(/Verifier.sol is not what the final key gives/),
    );
    await writeFile(verifier, sol);

    // Bob's key swapped for Alice's: its hash is not the transcript's.
    const bob = join(folder, `${CIRCUIT}_0002.zkey`);
    const keep = join(dir, "bob.zkey");
    await copyFile(bob, keep);
    await copyFile(join(folder, `${CIRCUIT}_0001.zkey`), bob);
    await assert.rejects(
      check({ dir: cdir(), circuit: CIRCUIT }),
      refused(/_0002.zkey is not the file the transcript records/),
    );
    await copyFile(keep, bob);
    await check({ dir: cdir(), circuit: CIRCUIT });
  });

  it("the deploy takes a ceremony's verifier only as its transcript records it, and development keys only on the local chain", async () => {
    const folder = join(cdir(), CIRCUIT);
    const t = JSON.parse(await readFile(join(folder, "transcript.json"), "utf8"));
    // What `npm run circuits` installs from a finished ceremony, laid out in a folder of its own.
    const build = join(dir, "build");
    const verifiers = join(dir, "verifiers");
    await mkdir(join(build, CIRCUIT), { recursive: true });
    await mkdir(verifiers, { recursive: true });
    const built = (f: string) => join(ROOT, "build/circuits", CIRCUIT, f);
    await copyFile(built("main.r1cs"), join(build, CIRCUIT, "main.r1cs"));
    await copyFile(built("main.wasm"), join(build, CIRCUIT, "main.wasm"));
    await copyFile(join(folder, t.steps[t.steps.length - 1].zkey), join(build, CIRCUIT, "main.zkey"));
    await copyFile(join(folder, "vkey.json"), join(build, CIRCUIT, "vkey.json"));
    for (const name of [verifierName(CIRCUIT), batchVerifierName(CIRCUIT)])
      await copyFile(join(folder, `${name}.sol`), join(verifiers, `${name}.sol`));
    const where = { build, verifiers, ceremonies: cdir() };
    const OTHER_CHAIN = 31338;
    const keys = await checkCircuitKeys([CIRCUIT], OTHER_CHAIN, where);
    assert.equal(keys[CIRCUIT].keys, "ceremony");
    assert.match(keys[CIRCUIT].transcriptSha256 ?? "", /^[0-9a-f]{64}$/);
    const refusedDeploy = (re: RegExp) => (e: unknown) => e instanceof DeployRefusal && re.test(e.message);

    // A verifier that is not the transcript's: one constant changed.
    const file = join(verifiers, `${verifierName(CIRCUIT)}.sol`);
    const sol = await readFile(file, "utf8");
    await writeFile(file, sol.replace(/uint256 constant deltax1 = \d/, "uint256 constant deltax1 = 7"));
    await assert.rejects(
      checkCircuitKeys([CIRCUIT], OTHER_CHAIN, where),
      refusedDeploy(/Verifier.sol differs from the verifier the transcript records/),
    );
    // One that names another transcript.
    await writeFile(file, sol.replace(/transcript sha256 [0-9a-f]{64}/, `transcript sha256 ${"ab".repeat(32)}`));
    await assert.rejects(
      checkCircuitKeys([CIRCUIT], OTHER_CHAIN, where),
      refusedDeploy(/it names transcript abababababababab…, the ceremony's is/),
    );
    // The batch verifier and the keys are held to the transcript too.
    await writeFile(file, sol);
    await copyFile(built("vkey.json"), join(build, CIRCUIT, "vkey.json"));
    await assert.rejects(
      checkCircuitKeys([CIRCUIT], OTHER_CHAIN, where),
      refusedDeploy(/vkey.json is not the ceremony's verification key/),
    );
    await copyFile(join(folder, "vkey.json"), join(build, CIRCUIT, "vkey.json"));
    // No ceremony folder at all: the verifier names a transcript nobody can check.
    await assert.rejects(
      checkCircuitKeys([CIRCUIT], OTHER_CHAIN, { ...where, ceremonies: join(dir, "none") }),
      refusedDeploy(/no finished ceremony for it/),
    );
    // The development verifier of the same circuit: the local chain only.
    await assert.rejects(
      checkCircuitKeys([CIRCUIT], OTHER_CHAIN),
      refusedDeploy(
        /refusing to deploy to chain 31338: the classification_n4_d4 verifier is built from INSECURE development keys/,
      ),
    );
    assert.equal((await checkCircuitKeys([CIRCUIT], 31337))[CIRCUIT].keys, "development");
  });
});
