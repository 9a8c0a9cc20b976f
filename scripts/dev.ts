/**
 * `npm run dev`: the whole product locally until Ctrl-C.
 * `npm run dev -- --network NAME`: the app alone, against the deployment contracts/deployments/NAME.json.
 */
import { parseArgs } from "node:util";
import { startAppFor, startStack } from "./lib/stack.ts";

const t0 = Date.now();
const log = (m: string) => console.log(`[dev ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}`);

const { values } = parseArgs({ options: { network: { type: "string" } } });
if (values.network) {
  const app = await startAppFor(values.network, {
    webPort: Number(process.env.ZKLABEL_WEB_PORT ?? 3000),
    log,
    verbose: process.env.ZKLABEL_VERBOSE === "1",
  }).catch((e: Error) => {
    console.error(`\nnpm run dev could not start the app: ${e.message}`);
    process.exit(1);
  });
  console.log(`
zkLabel app for ${app.deployment.network} (chain ${app.deployment.chainId}${app.deployment.insecureDevKeys ? ", INSECURE development keys" : ""})
  app      ${app.appUrl}
  chain    ${app.deployment.rpcUrl}
  escrow   ${app.deployment.escrow}
Press Ctrl-C to stop the app.`);
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.on(sig, async () => {
      await app.stop();
      process.exit(0);
    });
  await new Promise(() => {});
}
const stack = await startStack({
  rpcPort: Number(process.env.ZKLABEL_RPC_PORT ?? 8545),
  webPort: Number(process.env.ZKLABEL_WEB_PORT ?? 3000),
  vaultPort: Number(process.env.ZKLABEL_VAULT_PORT ?? 8787),
  relayerPort: Number(process.env.ZKLABEL_RELAYER_PORT ?? 8788),
  indexerPort: Number(process.env.ZKLABEL_INDEXER_PORT ?? 42069),
  log,
  verbose: process.env.ZKLABEL_VERBOSE === "1",
}).catch((e: Error) => {
  console.error(`\nnpm run dev could not start the product: ${e.message}`);
  process.exit(1);
});

console.log(`
zkLabel is running (INSECURE development keys, local chain only)
  app      ${stack.appUrl}
  chain    ${stack.rpcUrl} (chain id ${stack.deployment.chainId})
  vault    ${stack.vaultUrl}
  relayer  ${stack.relayerUrl}
  indexer  ${stack.indexerUrl} (SQL over HTTP at /sql; the auditor's pages read through it)
  escrow   ${stack.deployment.escrow}
  demo     task ${stack.deployment.demoTask?.taskId}: ${stack.deployment.demoTask?.itemCount} items
Press Ctrl-C to stop everything.`);

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the app, the relayer, the vault and the chain...");
    await stack.stop();
    process.exit(0);
  });
}
