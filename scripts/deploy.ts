/**
 * `npm run deploy -- --network NAME`: deploys zkLabel to the network contracts/networks/NAME.json
 * describes, with the Ignition module contracts/ignition/modules/ZkLabel.ts, and writes
 * contracts/deployments/NAME.json. Refuses, before sending anything: a chain that is not the one the
 * settings name, development keys on any chain but the local one, a verifier its ceremony
 * transcript does not record, and a deployer key that anyone may hold (docs/deploy.md).
 *
 * Options: --network NAME (or a settings file path), --rpc URL (override the Hardhat network's URL),
 * --out FILE (default contracts/deployments/NAME.json).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { deploymentSchema } from "@zklabel/core/deployment";
import { buildCircuits } from "./circuits/build.ts";
import { deployZkLabel } from "./lib/deploy.ts";
import { DeployRefusal } from "./lib/keys.ts";
import { checkDeployerKey, deploymentFileOf, readNetworkSettings } from "./lib/networks.ts";
import { ROOT, run } from "./lib/process.ts";

const t0 = Date.now();
const log = (msg: string) => console.log(`[deploy ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

async function main() {
  const { values } = parseArgs({
    options: { network: { type: "string" }, rpc: { type: "string" }, out: { type: "string" } },
  });
  if (!values.network)
    throw new DeployRefusal("name the network: npm run deploy -- --network NAME (contracts/networks/NAME.json)");
  const { name, settings } = await readNetworkSettings(values.network);
  log(`network ${name}: Hardhat network ${settings.hardhatNetwork}, chain ${settings.chainId}`);
  log("circuits: building or reusing keys (a finished ceremony's keys replace the development ones)");
  await buildCircuits();
  log("compiling the contracts");
  await run(process.execPath, [`${ROOT}/node_modules/hardhat/dist/src/cli.js`, "compile", "--quiet"]);
  const { network } = await import("hardhat");
  const connection = await network.create({
    network: settings.hardhatNetwork,
    ...(values.rpc ? { override: { url: values.rpc } } : {}),
  });
  const chainId = await (await connection.viem.getPublicClient()).getChainId();
  if (chainId !== settings.chainId)
    throw new DeployRefusal(
      `the RPC of ${settings.hardhatNetwork} answers for chain ${chainId}, the settings of ${name} say ${settings.chainId}: check the RPC URL`,
    );
  const accounts = connection.networkConfig.type === "http" ? connection.networkConfig.accounts : undefined;
  const deployer = await checkDeployerKey(accounts, chainId);
  if (deployer) log(`deployer ${deployer.address} (its key is not in this repository)`);
  // The deployment file is public: on a public chain it names the RPC clients use, never the deployer's (it may hold an API key).
  if (deployer && !settings.rpcUrl)
    throw new DeployRefusal(
      `name the public RPC URL clients use in ${name}'s settings (rpcUrl): the deployment file is public`,
    );
  log(`deploying (Ignition journal in contracts/ignition/deployments/chain-${chainId})`);
  const d = await deployZkLabel(connection, {
    network: name,
    rootGracePeriod: BigInt(settings.rootGracePeriod),
    ruleChangeDelay: BigInt(settings.ruleChangeDelay),
    requiredConfirmations: settings.confirmations,
    ...(settings.rules ? { onlyRules: settings.rules } : {}),
  });
  const url = values.rpc ?? (connection.networkConfig.type === "http" ? await connection.networkConfig.url.get() : "");
  const file = deploymentSchema.parse({
    ...d,
    rpcUrl: settings.rpcUrl ?? url,
    ...(settings.vaultUrl ? { vaultUrl: settings.vaultUrl } : {}),
    ...(settings.relayerUrl ? { relayerUrl: settings.relayerUrl } : {}),
  });
  const out = values.out ?? deploymentFileOf(name);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
  log(`escrow ${d.escrow}, ${d.rules.length} rule(s): ${d.rules.map((r) => `${r.rule} (${r.circuit})`).join(", ")}`);
  log(
    `keys: ${Object.entries(d.circuits)
      .map(([c, k]) => `${c} ${k.keys}`)
      .join(", ")}`,
  );
  log(`wrote ${out}`);
  await connection.close();
}

main().catch((e: unknown) => {
  if (e instanceof DeployRefusal) {
    console.error(`deploy refused: ${e.message}`);
    process.exit(2);
  }
  console.error(`deploy failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
