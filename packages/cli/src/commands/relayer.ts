/** `zklabel relayer serve`: a relayer for the deployment's escrow, until interrupted. */
import { unwatchFile, watchFile } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { circuitInfo } from "@zklabel/core/registry";
import { type Address, createWalletClient, http, type PublicClient, parseEther } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { type Ctx, connect, EXIT, inputError, ROOT } from "../common.ts";
import { positive, readChainOptions } from "../options.ts";

/** The default relayer a local `npm run dev` starts. */
export const DEFAULT_RELAYER_URL = "http://127.0.0.1:8788";
/** Hardhat's public development mnemonic: its accounts are funded on a local node only. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

const bps = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 10_000)
    throw inputError(`--min-fee must be 0..10000 basis points, got ${v}`);
  return n;
};

export function relayerCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const relayer = program
    .command("relayer")
    .description("run a relayer (submits workers' proofs for a fee, so workers need no ETH)");

  readChainOptions(
    relayer
      .command("serve")
      .description("check, queue and submit workers' proofs in batches, and sponsor open-group joins")
      .option("--port <PORT>", "port to listen on", positive, 8788)
      .option("--host <HOST>", "address to listen on", "127.0.0.1")
      .option(
        "--trust-proxy",
        "behind a reverse proxy (TLS, docs/operations.md): per-client limits read X-Forwarded-For",
      )
      .option("--db <FILE>", "the queue's SQLite file (default ~/.zklabel/relayer/queue.sqlite)")
      .option("--min-fee <BPS>", "lowest relayer fee taken, basis points of a batch's reward", bps, 100)
      .option("--max-batch <K>", "proofs per submitBatches", positive, 8)
      .option("--max-wait <SECONDS>", "longest a proof waits for others before it is sent", positive, 10)
      .option("--low-balance <ETH>", "warn when the relayer's balance falls below this", "0.05")
      .option("--no-sponsor-joins", "do not pay for workers' joins of the open group")
      .option("--joins-per-hour <N>", "sponsored joins an hour from one client address", positive, 3)
      .option("--no-finalize", "leave finalizing its pending batches to others (anyone may)")
      .option("--dev-account <N>", "sign with Hardhat's development account N (local chain only)", positive)
      .addHelpText(
        "after",
        `
Signs with ZKLABEL_RELAYER_KEY (a 0x-prefixed private key), or on a local development chain with
--dev-account N. It earns the fee each proof binds for its relayer (refusing fees below --min-fee),
and finalizes the pending batches it submitted when their challenge window ends (their fee is paid
then). Withdraw its earnings with \`zklabel task withdraw\` from the same key.`,
      ),
  ).action(async (o) => {
    const { startRelayer } = await import("@zklabel/relayer/server");
    const { RelayerStore } = await import("@zklabel/relayer/store");
    const { client, deployment, chain, rpc } = await connect(o, false);
    const key = process.env.ZKLABEL_RELAYER_KEY;
    let account: ReturnType<typeof privateKeyToAccount> | ReturnType<typeof mnemonicToAccount>;
    if (key) {
      if (!/^0x[0-9a-fA-F]{64}$/.test(key))
        throw inputError("ZKLABEL_RELAYER_KEY must be a 0x-prefixed 32-byte hex key");
      account = privateKeyToAccount(key as `0x${string}`);
    } else if (o.devAccount !== undefined) {
      if (deployment.chainId !== LOCAL_CHAIN_ID) {
        throw inputError(
          `--dev-account signs with a public development key: only on the local chain (${LOCAL_CHAIN_ID}), not ${deployment.chainId}`,
        );
      }
      account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: o.devAccount });
    } else {
      throw inputError(
        "the relayer signs: set ZKLABEL_RELAYER_KEY, or pass --dev-account N on a local development chain",
      );
    }
    const wallet = createWalletClient({ account, chain, transport: http(rpc) });
    const verifiers = await Promise.all((deployment.rules ?? []).map(knownVerifierOf));
    const db = o.db ?? join(homedir(), ".zklabel", "relayer", "queue.sqlite");
    let lowBalance: bigint;
    try {
      lowBalance = parseEther(o.lowBalance);
    } catch {
      throw inputError(`--low-balance must be an amount of ETH, got ${o.lowBalance}`);
    }
    const server = await startRelayer({
      store: new RelayerStore(db),
      publicClient: client.publicClient as PublicClient,
      wallet: wallet as never,
      escrow: deployment.escrow as Address,
      groups: deployment.groups as Address,
      chainId: deployment.chainId,
      verifiers,
      minFeeBps: o.minFee,
      maxBatch: o.maxBatch,
      maxWaitMs: o.maxWait * 1000,
      lowBalanceWei: lowBalance,
      sponsorJoins: o.sponsorJoins,
      finalize: o.finalize,
      port: o.port,
      host: o.host,
      trustProxy: o.trustProxy ?? false,
      limits: { joinsPerHour: o.joinsPerHour },
      log: (line) => console.error(`[relayer] ${line}`),
    }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") throw inputError(`port ${o.port} is in use: stop what holds it or pass --port`);
      throw e;
    });
    // A rule registered while the relayer runs (zklabel rule register writes the deployment file) is
    // taken on from then on: the verifier list is the one the checks read.
    const deploymentPath = o.deployment ?? join(ROOT, "apps/web/public/deployment.json");
    watchFile(deploymentPath, { interval: 1000 }, async () => {
      try {
        const now = JSON.parse(await readFile(deploymentPath, "utf8")) as {
          rules?: { verifier: string; circuit: string }[];
        };
        for (const r of now.rules ?? []) {
          if (verifiers.some((v) => v.verifier.toLowerCase() === r.verifier.toLowerCase())) continue;
          verifiers.push(await knownVerifierOf(r));
          console.error(`[relayer] now relaying ${r.circuit} proofs (verifier ${r.verifier})`);
        }
      } catch (e) {
        console.error(
          `[relayer] the deployment file changed but could not be read: ${e instanceof Error ? e.message : e}`,
        );
      }
    });
    const info = await server.relayer.info();
    ctx.out(
      `relayer ${info.address} listening on ${server.url} (queue ${db}; fee at least ${o.minFee} bps; up to ${o.maxBatch} proofs per transaction or after ${o.maxWait} s; balance ${info.balance} wei)`,
      { ok: true, url: server.url, address: info.address, db },
    );
    await new Promise<void>((resolve) => {
      for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
    });
    unwatchFile(deploymentPath);
    await server.close();
    await (await import("@zklabel/core/prove")).releaseSnarkjs();
    setTimeout(() => process.exit(EXIT.ok), 1000).unref();
  });
}

/** A deployed rule's verifier with its circuit and verification key (built by npm run circuits). */
async function knownVerifierOf(r: { verifier: string; circuit: string }) {
  const path = join(ROOT, "build/circuits", r.circuit, "vkey.json");
  const vkey = JSON.parse(
    await readFile(path, "utf8").catch(() => {
      throw inputError(`no verification key at ${path}: run \`npm run circuits\` first`);
    }),
  );
  return { verifier: r.verifier as Address, circuit: circuitInfo(r.circuit), vkey };
}
