/**
 * `npm run ceremony -- <step> CIRCUIT [options]`: a trusted-setup ceremony for one circuit
 * (docs/ceremony.md). Steps: init, contribute, beacon, finalize, check.
 */
import { parseArgs } from "node:util";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { beacon, CeremonyError, check, contribute, finalize, init } from "./lib.ts";

const USAGE = `usage: npm run ceremony -- <step> CIRCUIT [--dir DIR] [--ptau FILE]
  init CIRCUIT --ptau FILE --ptau-blake2b HEX   start from a public ceremony's prepared powers of tau
  contribute CIRCUIT --name WHO [--entropy TEXT] verify the latest key, contribute, print your attestation
  beacon CIRCUIT --hash HEX [--iterations N]     the final random beacon (a block hash announced in advance)
  finalize CIRCUIT                               verification key and verifiers from the final key
  check CIRCUIT                                  prove the files match the transcript
DIR defaults to ceremony/ (one folder per circuit, with transcript.json).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: "string", default: "ceremony" },
    ptau: { type: "string" },
    "ptau-blake2b": { type: "string" },
    name: { type: "string" },
    entropy: { type: "string" },
    hash: { type: "string" },
    iterations: { type: "string" },
  },
});
const [step, circuit] = positionals;

try {
  if (!step || !circuit) throw new CeremonyError(USAGE);
  const dir = values.dir;
  if (step === "init") {
    if (!values.ptau || !values["ptau-blake2b"])
      throw new CeremonyError("init needs --ptau FILE and --ptau-blake2b HEX (the hash the ceremony published)");
    const t = await init({ dir, circuit, ptau: values.ptau, ptauBlake2b: values["ptau-blake2b"] });
    console.log(
      `initial key ${t.steps[0].zkey} from a powers of tau of 2^${t.ptau.power} with ${t.ptau.contributions} contributions`,
    );
  } else if (step === "contribute") {
    const s = await contribute({ dir, circuit, name: values.name ?? "", entropy: values.entropy, ptau: values.ptau });
    console.log(`contribution #${s.index} by ${s.name}: ${s.zkey}\nattestation (publish it): ${s.attestation}`);
  } else if (step === "beacon") {
    const s = await beacon({
      dir,
      circuit,
      hash: values.hash ?? "",
      iterationsExp: values.iterations ? Number(values.iterations) : undefined,
      ptau: values.ptau,
    });
    console.log(`final beacon: ${s.zkey}\nattestation: ${s.attestation}`);
  } else if (step === "finalize") {
    const t = await finalize({ dir, circuit, ptau: values.ptau });
    console.log(`vkey.json and the verifiers written from ${t.steps[t.steps.length - 1].zkey}`);
  } else if (step === "check") {
    for (const line of await check({ dir, circuit, ptau: values.ptau })) console.log(`ok  ${line}`);
  } else throw new CeremonyError(`unknown step "${step}"\n${USAGE}`);
} catch (e) {
  if (!(e instanceof CeremonyError)) throw e;
  console.error(e.message);
  process.exitCode = 2;
} finally {
  await releaseSnarkjs();
}
