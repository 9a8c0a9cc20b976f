/**
 * What the deploy path checks about the keys behind every verifier it deploys (docs/ceremony.md,
 * docs/deploy.md): development keys only on the local chain, and a ceremony's verifiers exactly as
 * its transcript records them, built from the circuit compiled here.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { batchVerifierName, verifierName } from "@zklabel/core/registry";
import { finishedCeremony, verifierKeyOrigin } from "../ceremony/lib.ts";
import { fileHash } from "./hash.ts";
import { ROOT } from "./process.ts";

/** A refusal of the deploy path, before any transaction: what is wrong and what to do. */
export class DeployRefusal extends Error {
  override name = "DeployRefusal";
}

/** A deployed circuit's keys and the files clients prove with, as the deployment file records them. */
export interface KeysOfCircuit {
  keys: "development" | "ceremony";
  /** sha256 of the ceremony transcript's steps (what its verifiers name). */
  transcriptSha256?: string;
  zkeySha256: string;
  wasmSha256: string;
  vkeySha256: string;
}

/**
 * Checks the keys of every circuit whose verifier is about to be deployed on `chainId`, and returns
 * what the deployment file records of them. Refuses (DeployRefusal) a development verifier on any
 * chain but the local one, a ceremony verifier without its finished ceremony, and one whose source,
 * batch verifier, verification key or proving key is not what the transcript records.
 */
export async function checkCircuitKeys(
  circuits: readonly string[],
  chainId: number,
  /** Where the files are (tests point these elsewhere): the build, the verifier sources, the ceremonies. */
  where: { build?: string; verifiers?: string; ceremonies?: string } = {},
): Promise<Record<string, KeysOfCircuit>> {
  const out: Record<string, KeysOfCircuit> = {};
  const verifiers = where.verifiers ?? join(ROOT, "contracts/verifiers");
  for (const circuit of circuits) {
    const dir = join(where.build ?? join(ROOT, "build/circuits"), circuit);
    const verifierFile = join(verifiers, `${verifierName(circuit)}.sol`);
    const batchFile = join(verifiers, `${batchVerifierName(circuit)}.sol`);
    if (!existsSync(verifierFile) || !existsSync(join(dir, "main.zkey")))
      throw new DeployRefusal(`${circuit} has no keys or verifier here: run \`npm run circuits\` first`);
    const source = await readFile(verifierFile, "utf8");
    const origin = verifierKeyOrigin(source);
    if (!origin)
      throw new DeployRefusal(
        `contracts/verifiers/${verifierName(circuit)}.sol names neither development keys nor a ceremony: it was not made by \`npm run circuits\`; run it again`,
      );
    const files = {
      zkeySha256: await fileHash(join(dir, "main.zkey")),
      wasmSha256: await fileHash(join(dir, "main.wasm")),
      vkeySha256: await fileHash(join(dir, "vkey.json")),
    };
    if (origin.kind === "development") {
      if (chainId !== LOCAL_CHAIN_ID)
        throw new DeployRefusal(
          `refusing to deploy to chain ${chainId}: the ${circuit} verifier is built from INSECURE development keys that let anyone forge proofs. ` +
            `Deploy only to the local chain (${LOCAL_CHAIN_ID}); real networks need keys from a multi-party ceremony: ` +
            `run one for ${circuit} (docs/ceremony.md), then \`npm run circuits\` installs its keys.`,
        );
      out[circuit] = { keys: "development", ...files };
      continue;
    }
    const ceremony = await finishedCeremony(circuit, join(dir, "main.r1cs"), where.ceremonies);
    const not = (what: string) =>
      new DeployRefusal(
        `refusing to deploy the ${circuit} verifier: ${what}. Only a verifier its ceremony transcript records may be deployed; run \`npm run ceremony -- check ${circuit}\`, then \`npm run circuits\` to install the ceremony's files`,
      );
    if (!ceremony)
      throw not(
        `its source names ceremony transcript ${origin.transcriptSha256.slice(0, 16)}…, but there is no finished ceremony for it in ceremony/${circuit}`,
      );
    const { final } = ceremony.transcript;
    if (!final) throw not("its ceremony is not finalized");
    if (origin.transcriptSha256 !== ceremony.transcriptSha256)
      throw not(
        `it names transcript ${origin.transcriptSha256.slice(0, 16)}…, the ceremony's is ${ceremony.transcriptSha256.slice(0, 16)}…`,
      );
    if ((await fileHash(verifierFile)) !== final.verifierSha256)
      throw not(`contracts/verifiers/${verifierName(circuit)}.sol differs from the verifier the transcript records`);
    if (existsSync(batchFile) && (await fileHash(batchFile)) !== final.batchVerifierSha256)
      throw not(
        `contracts/verifiers/${batchVerifierName(circuit)}.sol differs from the batch verifier the transcript records`,
      );
    if (files.vkeySha256 !== final.vkeySha256)
      throw not("build/circuits/…/vkey.json is not the ceremony's verification key");
    if (files.zkeySha256 !== ceremony.transcript.steps[ceremony.transcript.steps.length - 1].zkeySha256)
      throw not("build/circuits/…/main.zkey is not the ceremony's final key");
    out[circuit] = { keys: "ceremony", transcriptSha256: ceremony.transcriptSha256, ...files };
  }
  return out;
}
