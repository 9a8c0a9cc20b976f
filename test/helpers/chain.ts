/**
 * A real Hardhat node on a free random port with the contracts deployed, for tests that drive
 * the CLI and the vault as subprocesses (the dev stack keeps 8545 for itself).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deploymentSchema } from "@zklabel/core/deployment";
import { deployZkLabel } from "../../scripts/lib/deploy.ts";
import { ROOT } from "../../scripts/lib/process.ts";
import { HARDHAT } from "../../scripts/lib/stack.ts";

export const CLI = join(ROOT, "packages/cli/src/main.ts");

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** JSON-RPC call to the node (time travel and the like). */
export async function rpcCall(rpc: string, method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(rpc, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await r.json()) as { result: unknown }).result;
}

/** Starts a node, deploys zkLabel and writes the deployment file into `dir`. */
export async function startTestChain(dir: string): Promise<{ rpc: string; deploymentFile: string; stop(): void }> {
  const port = await freePort();
  const rpc = `http://127.0.0.1:${port}`;
  const node: ChildProcess = spawn(
    HARDHAT[0],
    [HARDHAT[1], "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: ROOT,
      stdio: "ignore",
      detached: true,
    },
  );
  const stop = () => {
    if (node.pid && node.exitCode === null) process.kill(-node.pid, "SIGTERM");
  };
  try {
    for (let i = 0; ; i++) {
      if (await rpcCall(rpc, "eth_chainId").catch(() => null)) break;
      if (i > 240 || node.exitCode !== null) throw new Error(`the Hardhat node on ${rpc} did not start`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const { network } = await import("hardhat");
    const connection = await network.create({ network: "localhost", override: { url: rpc } });
    const d = await deployZkLabel(connection);
    const deploymentFile = join(dir, "deployment.json");
    await writeFile(
      deploymentFile,
      JSON.stringify(
        deploymentSchema.parse({
          ...d,
          rpcUrl: rpc,
        }),
      ),
    );
    return { rpc, deploymentFile, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** Runs the zklabel CLI; resolves with its exit code and output. */
export function zklabel(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * The headless marketplace: a chain with the contracts, `zklabel vault serve` and `zklabel relayer
 * serve`, with the relayer named in the deployment file (as `npm run dev` does), so the CLI's
 * default flow goes through it.
 */
export async function startMarket(dir: string, relayerArgs: string[] = []) {
  const chain = await startTestChain(dir);
  const vault = await startVaultProcess(chain.deploymentFile, join(dir, "vault"));
  const relayer = await startRelayerProcess(chain.deploymentFile, join(dir, "relayer", "queue.sqlite"), relayerArgs);
  const deployment = JSON.parse(await readFile(chain.deploymentFile, "utf8"));
  await writeFile(chain.deploymentFile, JSON.stringify({ ...deployment, relayerUrl: relayer.url }));
  return {
    chain,
    vault,
    relayer,
    deployment: deployment as { escrow: `0x${string}`; groups: `0x${string}`; chainId: number },
    async stop() {
      await relayer.stop();
      await vault.stop();
      chain.stop();
    },
  };
}

/** Starts `zklabel vault serve` for the deployment; resolves once it listens. */
export function startVaultProcess(deploymentFile: string, dir: string, extra: string[] = []) {
  return startService("vault", deploymentFile, ["--dir", dir, ...extra]);
}

/** Starts `zklabel relayer serve` (Hardhat's development account #9) for the deployment; resolves once it listens. */
export function startRelayerProcess(deploymentFile: string, db: string, extra: string[] = []) {
  return startService("relayer", deploymentFile, ["--db", db, "--dev-account", "9", ...extra]);
}

async function startService(
  what: "vault" | "relayer",
  deploymentFile: string,
  args: string[],
): Promise<{ url: string; stop(): Promise<void>; kill(): Promise<void>; log(): string }> {
  const port = await freePort();
  const p = spawn(
    process.execPath,
    [CLI, what, "serve", "--deployment", deploymentFile, "--port", String(port), ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 120 || p.exitCode !== null) throw new Error(`the ${what} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (p.exitCode !== null) return resolve();
      p.once("exit", () => resolve());
      p.kill("SIGTERM");
      setTimeout(() => p.exitCode === null && p.kill("SIGKILL"), 5000);
    });
  /** SIGKILL: no cleanup, as a crash. */
  const kill = () =>
    new Promise<void>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once("exit", () => resolve());
      p.kill("SIGKILL");
    });
  return { url, stop, kill, log: () => out };
}
