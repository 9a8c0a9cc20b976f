/**
 * The escrow as the deployment file names it (env ZKLABEL_DEPLOYMENT, default
 * apps/web/public/deployment.json): its address, chain, RPC URL and deployment block. PGlite (the
 * embedded database) unless DATABASE_URL names a Postgres server; ZKLABEL_INDEXER_DB moves its files.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deploymentSchema } from "@zklabel/core/deployment";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { createConfig } from "ponder";

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(process.env.ZKLABEL_DEPLOYMENT ?? join(here, "../web/public/deployment.json"));
const d = deploymentSchema.parse(JSON.parse(readFileSync(file, "utf8")));
const local = d.chainId === 31337;

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.ZKLABEL_INDEXER_DB ?? join(here, ".ponder/pglite") },
  chains: {
    zklabel: {
      id: d.chainId,
      rpc: process.env.ZKLABEL_INDEXER_RPC ?? d.rpcUrl,
      // A local chain is re-created with the same id on every start: never trust a cached answer.
      disableCache: local,
      pollingInterval: local ? 250 : 1_000,
    },
  },
  contracts: {
    Escrow: {
      chain: "zklabel",
      abi: escrowAbi,
      address: d.escrow as `0x${string}`,
      startBlock: Number(d.deployBlock),
    },
  },
});
