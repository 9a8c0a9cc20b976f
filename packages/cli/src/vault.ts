/**
 * The vault side of the CLI: `vault serve` runs a data vault for a deployment; `dataset upload`
 * sends a dataset's items to one (resumable: run it again after an interruption).
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ACCESS_CIRCUIT } from "@zklabel/core/access";
import { checkManifest, type DatasetItem } from "@zklabel/sdk/dataset";
import { itemsFromCsv, itemsFromDirectory, itemsFromJsonl } from "@zklabel/sdk/dataset-fs";
import { VaultClient } from "@zklabel/sdk/vault";
import type { PublicClient } from "viem";
import { type Ctx, connect, EXIT, InputError, positiveInt, ROOT, readJson, UsageError, type Values } from "./common.ts";

/** The default vault a local `npm run dev` starts. */
export const DEFAULT_VAULT_URL = "http://127.0.0.1:8787";

/** Items from the same sources `dataset build` reads. */
export async function readItems(values: Values): Promise<DatasetItem[]> {
  const sources = [values.from, values.jsonl, values.csv].filter((x) => typeof x === "string");
  if (sources.length !== 1) throw new UsageError("give exactly one of --from DIR, --jsonl FILE, --csv FILE");
  if (typeof values.from === "string") {
    return itemsFromDirectory(values.from, typeof values.ext === "string" ? values.ext.split(",") : undefined);
  }
  if (typeof values.jsonl === "string") {
    return itemsFromJsonl(values.jsonl, typeof values.field === "string" ? values.field : "text");
  }
  if (typeof values.column !== "string") throw new UsageError("--csv needs --column NAME");
  return itemsFromCsv(values.csv as string, values.column);
}

/** zklabel dataset upload: the items of a manifest to a vault, with a progress line. */
export async function datasetUpload(ctx: Ctx, values: Values): Promise<number> {
  if (typeof values.manifest !== "string")
    throw new UsageError("dataset upload needs --manifest MANIFEST and the items' source");
  const { manifest } = checkManifest(await readJson(values.manifest));
  const items = await readItems(values);
  if (items.length !== manifest.count) {
    throw new InputError(
      `the source has ${items.length} items but the manifest ${manifest.count}: rebuild the manifest from this source`,
    );
  }
  const url = typeof values.vault === "string" ? values.vault : DEFAULT_VAULT_URL;
  const token = typeof values["upload-token"] === "string" ? values["upload-token"] : process.env.ZKLABEL_VAULT_TOKEN;
  const vault = new VaultClient(url, { token });
  const started = Date.now();
  let last = 0;
  const status = await vault.uploadDataset({
    manifest,
    bytesOf: (i) => items[i].bytes,
    sizes: items.map((x) => x.bytes.length),
    onProgress: (done, total) => {
      if (process.stderr.isTTY) {
        const width = 30;
        const fill = Math.round((done / total) * width);
        process.stderr.write(
          `\rupload [${"#".repeat(fill).padEnd(width, ".")}] ${done}/${total}${done === total ? "\n" : ""}`,
        );
      } else if (done === total || Date.now() - last > 2000) {
        last = Date.now();
        process.stderr.write(`upload: ${done}/${total} items\n`);
      }
    },
  });
  ctx.out(
    `dataset ${status.root} (${status.count} items) is in the vault at ${url} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    { ok: true, root: status.root, count: status.count, vault: url },
  );
  return EXIT.ok;
}

/** zklabel vault serve: a vault for the deployment's escrow, until interrupted. */
export async function vaultServe(ctx: Ctx, values: Values): Promise<number> {
  const { startVault } = await import("@zklabel/vault/server");
  const { EmbeddedStorage } = await import("@zklabel/vault/storage");
  const { escrowChain } = await import("@zklabel/vault/chain");
  const { client, deployment } = await connect(values, false);
  const dir = typeof values.dir === "string" ? values.dir : join(homedir(), ".zklabel", "vault");
  const vkeyPath = join(ROOT, "build/circuits", ACCESS_CIRCUIT, "vkey.json");
  const accessVkey = JSON.parse(
    await readFile(vkeyPath, "utf8").catch(() => {
      throw new InputError(`no access verification key at ${vkeyPath}: run \`npm run circuits\` first`);
    }),
  );
  const port = positiveInt(values.port, 8787, "--port");
  const host = typeof values.host === "string" ? values.host : "127.0.0.1";
  const token = typeof values["upload-token"] === "string" ? values["upload-token"] : process.env.ZKLABEL_VAULT_TOKEN;
  const vault = await startVault({
    storage: await EmbeddedStorage.open(dir),
    chain: escrowChain({
      client: client.publicClient as PublicClient,
      escrow: client.escrow,
      groups: client.groups,
      deployBlock: BigInt(deployment.deployBlock),
    }),
    accessVkey,
    uploadToken: token,
    limits: { downloadsPerHour: positiveInt(values["downloads-per-hour"], 20, "--downloads-per-hour") },
    port,
    host,
    log: (line) => console.error(`[vault] ${line}`),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "EADDRINUSE") throw new InputError(`port ${port} is in use: stop what holds it or pass --port`);
    throw e;
  });
  ctx.out(
    `vault listening on ${vault.url} (store ${dir}; uploads ${token ? "need the upload token" : "open to anyone who can reach it"})`,
    { ok: true, url: vault.url, dir },
  );
  await new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  await vault.close();
  // snarkjs keeps verifier worker threads alive.
  await (await import("@zklabel/core/prove")).releaseSnarkjs();
  // Served: whatever else still holds the event loop must not keep a stopped server running.
  setTimeout(() => process.exit(EXIT.ok), 1000).unref();
  return EXIT.ok;
}
