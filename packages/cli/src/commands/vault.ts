/** `zklabel vault serve`: a data vault for the deployment's escrow, until interrupted. */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { ACCESS_CIRCUIT } from "@zklabel/core/access";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import type { PublicClient } from "viem";
import { type Ctx, connect, EXIT, inputError, ROOT } from "../common.ts";
import { positive, readChainOptions, uploadTokenOption } from "../options.ts";

/** The default vault a local `npm run dev` starts. */
export const DEFAULT_VAULT_URL = "http://127.0.0.1:8787";

export function vaultCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const vault = program
    .command("vault")
    .description("run a data vault (stores items, serves batches to group members)");

  readChainOptions(
    vault
      .command("serve")
      .description("serve datasets to the members of each task's worker group")
      .option("--port <PORT>", "port to listen on", positive, 8787)
      .option("--host <HOST>", "address to listen on", "127.0.0.1")
      .option(
        "--trust-proxy",
        "behind a reverse proxy (TLS, docs/operations.md): per-client limits read X-Forwarded-For",
      )
      .option("--dir <DIR>", "where the items and the SQLite index live (default ~/.zklabel/vault)")
      .option("--downloads-per-hour <N>", "downloads of one batch a member may make an hour", positive, 20)
      .addOption(uploadTokenOption())
      .addHelpText(
        "after",
        `
Serves a task's batch only to a caller with a zero-knowledge proof of membership in the task's
worker group for that batch. With an upload token (or ZKLABEL_VAULT_TOKEN) only its holder may
upload. A member may download the same batch --downloads-per-hour times an hour (counted by its
anonymous access tag).`,
      ),
  ).action(async (o) => {
    const { startVault } = await import("@zklabel/vault/server");
    const { EmbeddedStorage } = await import("@zklabel/vault/storage");
    const { escrowChain } = await import("@zklabel/vault/chain");
    const { client, deployment } = await connect(o, false);
    const dir = o.dir ?? join(homedir(), ".zklabel", "vault");
    const vkeyPath = join(ROOT, "build/circuits", ACCESS_CIRCUIT, "vkey.json");
    // Development access keys let anyone forge a membership proof and download any batch: the local chain only.
    const keys = await readFile(join(ROOT, "build/circuits", ACCESS_CIRCUIT, "keys.txt"), "utf8").catch(
      () => "development",
    );
    if (deployment.chainId !== LOCAL_CHAIN_ID && !keys.startsWith("ceremony"))
      throw inputError(
        `refusing to serve chain ${deployment.chainId} with INSECURE development keys for ${ACCESS_CIRCUIT}: anyone could forge an access proof and download the data. Run its ceremony (docs/ceremony.md), then \`npm run circuits\``,
      );
    const accessVkey = JSON.parse(
      await readFile(vkeyPath, "utf8").catch(() => {
        throw inputError(`no access verification key at ${vkeyPath}: run \`npm run circuits\` first`);
      }),
    );
    const server = await startVault({
      storage: await EmbeddedStorage.open(dir),
      chain: escrowChain({
        client: client.publicClient as PublicClient,
        escrow: client.escrow,
        groups: client.groups,
        deployBlock: BigInt(deployment.deployBlock),
      }),
      accessVkey,
      uploadToken: o.uploadToken,
      limits: { downloadsPerHour: o.downloadsPerHour },
      port: o.port,
      host: o.host,
      trustProxy: o.trustProxy ?? false,
      log: (line) => console.error(`[vault] ${line}`),
    }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") throw inputError(`port ${o.port} is in use: stop what holds it or pass --port`);
      throw e;
    });
    ctx.out(
      `vault listening on ${server.url} (store ${dir}; uploads ${o.uploadToken ? "need the upload token" : "open to this machine only (loopback, no token)"})`,
      { ok: true, url: server.url, dir },
    );
    await new Promise<void>((resolve) => {
      for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
    });
    await server.close();
    // snarkjs keeps verifier worker threads alive.
    await (await import("@zklabel/core/prove")).releaseSnarkjs();
    // Served: whatever else still holds the event loop must not keep a stopped server running.
    setTimeout(() => process.exit(EXIT.ok), 1000).unref();
  });
}
