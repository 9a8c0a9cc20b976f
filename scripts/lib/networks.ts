/**
 * Networks zkLabel is deployed to (docs/deploy.md): one settings file per network in
 * contracts/networks/<name>.json, written by the operator and committed, and one deployment file per
 * network in contracts/deployments/<name>.json, written by `npm run deploy` and read by the SDK, the
 * CLI (`--network NAME`), the relayer, the vault and the app. Neither holds a key.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import type { Address, Hex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { DeployRefusal } from "./keys.ts";
import { ROOT } from "./process.ts";

export const NETWORKS_DIR = join(ROOT, "contracts/networks");
export const DEPLOYMENTS_DIR = join(ROOT, "contracts/deployments");

const uint = z.string().regex(/^\d+$/, "must be a decimal integer string");

/** contracts/networks/<name>.json: what an operator decides per network. */
export const networkSettingsSchema = z.strictObject({
  /** The network in hardhat.config.ts `networks` to deploy through (its RPC URL and key are configuration variables). */
  hardhatNetwork: z.string().min(1),
  /** The chain the network must be: the deploy refuses to run against another. */
  chainId: z.number().int().positive(),
  /** The RPC URL clients (app, CLI, relayer, vault) use; default the deploy's. Public: never one with a key in it. */
  rpcUrl: z.url().optional(),
  /** Blocks Ignition waits after each transaction. */
  confirmations: z.number().int().min(1).default(1),
  /** Seconds a replaced worker-group root stays valid. */
  rootGracePeriod: uint.default("3600"),
  /** Seconds a replacement rule verifier waits before it can take effect (docs/operations.md, "Upgrades"). */
  ruleChangeDelay: uint.default("172800"),
  /** The rules to deploy (default all): a network may start with the rules whose ceremonies are done. */
  rules: z.array(z.string()).optional(),
  /** The vault and the relayer the app and CLI use on this network. */
  vaultUrl: z.url().optional(),
  relayerUrl: z.url().optional(),
});
export type NetworkSettings = z.infer<typeof networkSettingsSchema>;

/** The settings of network `name` (contracts/networks/<name>.json), or of the settings file at that path. */
export async function readNetworkSettings(nameOrFile: string): Promise<{ name: string; settings: NetworkSettings }> {
  const file = nameOrFile.endsWith(".json") ? nameOrFile : join(NETWORKS_DIR, `${nameOrFile}.json`);
  const name = file.replace(/^.*\//, "").replace(/\.json$/, "");
  if (!existsSync(file))
    throw new DeployRefusal(`no settings for network "${nameOrFile}": write ${file} (see docs/deploy.md)`);
  const parsed = networkSettingsSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success)
    throw new DeployRefusal(
      `${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ")}`,
    );
  return { name, settings: parsed.data };
}

export const deploymentFileOf = (name: string) => join(DEPLOYMENTS_DIR, `${name}.json`);

/** The accounts of Hardhat's default mnemonic: every developer has their keys. */
const WELL_KNOWN = new Set(
  Array.from({ length: 20 }, (_, i) =>
    mnemonicToAccount("test test test test test test test test test test test junk", {
      addressIndex: i,
    }).address.toLowerCase(),
  ),
);

/**
 * Refuses a deployer key that anyone may hold, before anything is sent to a chain other than the
 * local one: a key written into hardhat.config.ts, one of Hardhat's well-known development accounts,
 * and a key that appears in any file of this repository (tracked or not ignored). Keys come from
 * Hardhat's keystore or the environment.
 */
export async function checkDeployerKey(
  accounts: unknown,
  chainId: number,
  repo = ROOT,
): Promise<{ address: Address; key: Hex } | undefined> {
  if (chainId === LOCAL_CHAIN_ID) return undefined;
  if (!Array.isArray(accounts) || accounts.length === 0)
    throw new DeployRefusal(
      `the network has no deployer key: set ZKLABEL_DEPLOYER_KEY in Hardhat's keystore (npx hardhat keystore set ZKLABEL_DEPLOYER_KEY) or the environment`,
    );
  const [account] = accounts as { constructor: { name: string }; get(): Promise<string> }[];
  if (account.constructor.name === "FixedValueConfigurationVariable")
    throw new DeployRefusal(
      "the deployer key is written into hardhat.config.ts, so it is in the repository: take it from configVariable(...) (Hardhat's keystore or the environment) and move the funds to a new key",
    );
  const raw = (await account.get()).trim();
  const key = (raw.startsWith("0x") ? raw : `0x${raw}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new DeployRefusal("ZKLABEL_DEPLOYER_KEY is not a 32-byte hex private key");
  const address = privateKeyToAccount(key).address;
  if (WELL_KNOWN.has(address.toLowerCase()))
    throw new DeployRefusal(
      `the deployer ${address} is one of Hardhat's well-known development accounts, whose key everyone has: use a key of your own`,
    );
  const found = keyInRepository(key.slice(2), repo);
  if (found.length > 0)
    throw new DeployRefusal(
      `the deployer's private key is written in ${found.join(", ")} in this repository: remove it (and from git history), move the funds to a new key, and keep keys in Hardhat's keystore or the environment`,
    );
  return { address, key };
}

/** Files of the repository (tracked, or untracked and not ignored) that contain `hex`, case-insensitively. */
export function keyInRepository(hex: string, repo = ROOT): string[] {
  try {
    const out = execFileSync("git", ["grep", "-I", "-i", "-l", "--untracked", "-F", "-e", hex], {
      cwd: repo,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.split("\n").filter(Boolean);
  } catch (e) {
    // git grep exits 1 when nothing matches.
    if ((e as { status?: number }).status === 1) return [];
    throw e;
  }
}
