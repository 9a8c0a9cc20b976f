/**
 * Node-only: the contracts' Hardhat artifacts of a checkout (after `npx hardhat compile`), as the deploy
 * path (scripts/lib/deploy.ts) and `zklabel doctor` read them.
 */
import { glob, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";

/** The fields of a Hardhat artifact read here. */
export interface Artifact {
  contractName: string;
  sourceName: string;
  deployedBytecode: Hex;
  deployedLinkReferences?: Record<string, Record<string, { start: number; length: number }[]>>;
  immutableReferences?: Record<string, { start: number; length: number }[]>;
}

/** A contract's artifact by its bare name (`root`/artifacts/<source>/<name>.json); undefined when there is none. */
export async function findArtifact(root: string, contract: string): Promise<Artifact | undefined> {
  for await (const f of glob(`artifacts/**/${contract}.json`, { cwd: root })) {
    const a = JSON.parse(await readFile(join(root, f), "utf8")) as Artifact;
    if (a.contractName === contract && a.deployedBytecode) return a;
  }
  return undefined;
}
