/**
 * The whole product on this machine: Hardhat node, contracts, data vault, demo task, indexer, web app.
 * `npm run dev` and the browser end-to-end tests start it the same way.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_CLASSES, DEMO_PARAMS, demoItems } from "@zklabel/core/demo";
import { type DeploymentFile, deploymentSchema, expectedRuleEntry } from "@zklabel/core/deployment";
import { requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { classificationRule } from "@zklabel/core/rules/classification";
import { buildDataset } from "@zklabel/sdk/dataset";
import { encodeTaskMetadata } from "@zklabel/sdk/metadata";
import { VaultClient } from "@zklabel/sdk/vault";
import { parseEther, zeroAddress } from "viem";
import { buildCircuits, productCircuits } from "../circuits/build.ts";
import { deployZkLabel } from "./deploy.ts";
import { ROOT, run } from "./process.ts";

const DEMO_TITLE = "Product review sentiment";
const DEMO_INSTRUCTIONS =
  "Pick the sentiment of each review. Off-topic exists as a class but this task does not accept it.";

/** Hardhat's and Next's command-line entry points, run under this Node (24), whatever `node` is on PATH. */
export const HARDHAT = [process.execPath, join(ROOT, "node_modules/hardhat/dist/src/cli.js")] as const;
const PONDER = [process.execPath, join(ROOT, "apps/indexer/node_modules/ponder/dist/esm/bin/ponder.js")] as const;
const NEXT = [process.execPath, join(ROOT, "apps/web/node_modules/next/dist/bin/next")] as const;

export interface StackOptions {
  rpcPort?: number;
  webPort?: number;
  vaultPort?: number;
  relayerPort?: number;
  /** The indexer's port (apps/indexer; Ponder's default 42069). */
  indexerPort?: number;
  log?: (msg: string) => void;
  /** Forward child output (the Hardhat node and Next.js) to this process's stdout. */
  verbose?: boolean;
  /** Also write each child's whole output to `<logDir>/<name>.log` (chain, vault, relayer, web), for scans. */
  logDir?: string;
  /** Rules whose verifiers are left out of the deployment, to be registered on the running chain later (zklabel rule register). */
  deferRules?: readonly string[];
}

export interface Stack {
  rpcUrl: string;
  appUrl: string;
  vaultUrl: string;
  relayerUrl: string;
  indexerUrl: string;
  deployment: DeploymentFile;
  stop(): Promise<void>;
}

export async function portFree(port: number): Promise<boolean> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready after ${timeoutMs / 1000}s`);
}

export function startChild(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; verbose?: boolean; name: string; logDir?: string },
) {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so stop() ends its children too
  });
  let tail = "";
  const file = opts.logDir ? createWriteStream(join(opts.logDir, `${opts.name}.log`), { flags: "a" }) : undefined;
  // "close", not "exit": output can still arrive after the process exits, until its pipes close.
  child.once("close", () => file?.end());
  const keep = (d: Buffer) => {
    file?.write(d);
    tail = (tail + d.toString()).slice(-8000);
    if (opts.verbose) process.stdout.write(d.toString().replace(/^(?=.)/gm, `[${opts.name}] `));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, tail: () => tail };
}

export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5000).unref();
  });
}

/**
 * A Hardhat node (chain id 31337, automine) on 127.0.0.1:`port`, once it answers eth_chainId.
 * `stop()` ends it and its children; it is ended too when it does not come up.
 */
export async function startHardhatNode(
  port: number,
  opts: { verbose?: boolean; logDir?: string } = {},
): Promise<{ rpcUrl: string; child: ChildProcess; stop(): Promise<void> }> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  const node = startChild(HARDHAT[0], [HARDHAT[1], "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    name: "chain",
    verbose: opts.verbose,
    logDir: opts.logDir,
  });
  try {
    await waitFor(
      "the Hardhat node",
      async () =>
        (
          await fetch(rpcUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
          })
        ).ok,
      node.child,
      60_000,
    );
  } catch (e) {
    await kill(node.child);
    throw new Error(`${e instanceof Error ? e.message : e}\n${node.tail()}`);
  }
  return { rpcUrl, child: node.child, stop: () => kill(node.child) };
}

/** Builds what is missing, starts the chain and the app, deploys and seeds. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const rpcPort = opts.rpcPort ?? 8545;
  const webPort = opts.webPort ?? 3000;
  const vaultPort = opts.vaultPort ?? 8787;
  const vaultUrl = `http://127.0.0.1:${vaultPort}`;
  const relayerPort = opts.relayerPort ?? 8788;
  const relayerUrl = `http://127.0.0.1:${relayerPort}`;
  const indexerPort = opts.indexerPort ?? 42069;
  const indexerUrl = `http://127.0.0.1:${indexerPort}`;
  const log = opts.log ?? (() => {});
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const appUrl = `http://127.0.0.1:${webPort}`;

  for (const [port, what, env] of [
    [rpcPort, "the Hardhat node", "ZKLABEL_RPC_PORT"],
    [webPort, "the web app", "ZKLABEL_WEB_PORT"],
    [vaultPort, "the data vault", "ZKLABEL_VAULT_PORT"],
    [relayerPort, "the relayer", "ZKLABEL_RELAYER_PORT"],
    [indexerPort, "the indexer", "ZKLABEL_INDEXER_PORT"],
  ] as const) {
    if (!(await portFree(port))) {
      throw new Error(
        `port ${port} (for ${what}) is already in use on 127.0.0.1: stop whatever holds it, or choose another port with ${env}=<port>`,
      );
    }
  }

  // Only what the product runs: the tests and the benchmarks build the rest of the registry.
  log("circuits: building the product's circuits that are not cached");
  const built = await buildCircuits(await productCircuits());
  log(
    `circuits: ${built.map((b) => `${b.name} ${b.constraints} constraints${b.cached ? " (cached)" : ""}`).join(", ")}`,
  );
  log("contracts: compiling");
  await run(HARDHAT[0], [HARDHAT[1], "compile", "--quiet"]);

  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(kill));
  };
  try {
    log(`chain: starting Hardhat node on ${rpcUrl}`);
    const node = await startHardhatNode(rpcPort, { verbose: opts.verbose, logDir: opts.logDir });
    children.push(node.child);

    log("contracts: deploying and seeding the demo task");
    const deployment = { ...(await deployAndSeed(rpcUrl, vaultUrl, opts.deferRules)), relayerUrl, indexerUrl };
    const deploymentFile = join(ROOT, "apps/web/public/deployment.json");
    await writeFile(deploymentFile, `${JSON.stringify(deployment, null, 2)}\n`);

    // The indexer starts now and catches up while the rest starts (Ponder takes a while to boot);
    // until it is ready the app reads the events directly. A fresh database: the dev chain starts empty.
    const indexerDb = join(ROOT, "build/dev-indexer");
    await rm(indexerDb, { recursive: true, force: true });
    const indexer = startIndexer({
      deploymentFile,
      port: indexerPort,
      dbDir: indexerDb,
      log,
      verbose: opts.verbose,
      logDir: opts.logDir,
    });
    children.push(indexer.child);
    indexer.ready.catch(() => {}); // awaited below

    // A fresh store per chain: the dev chain starts empty, so does its vault.
    const vaultDir = join(ROOT, "build/dev-vault");
    await rm(vaultDir, { recursive: true, force: true });
    log(`vault: starting on ${vaultUrl} (store ${vaultDir})`);
    const vault = startChild(
      process.execPath,
      [
        join(ROOT, "packages/cli/src/main.ts"),
        "vault",
        "serve",
        "--deployment",
        deploymentFile,
        "--dir",
        vaultDir,
        "--port",
        String(vaultPort),
      ],
      { name: "vault", verbose: opts.verbose, logDir: opts.logDir },
    );
    children.push(vault.child);
    await waitFor("the data vault", async () => (await fetch(`${vaultUrl}/v1/health`)).ok, vault.child, 60_000).catch(
      (e) => {
        throw new Error(`${e.message}\n${vault.tail()}`);
      },
    );
    log("vault: uploading the demo task's items");
    const demo = demoDataset(deployment.datasetDepth, deployment.batchSize);
    await new VaultClient(vaultUrl).uploadDataset({
      manifest: demo.manifest,
      bytesOf: (i) => demo.items[i].bytes,
      sizes: demo.items.map((x) => x.bytes.length),
    });

    // The relayer signs with Hardhat's development account #9 (funded on this local chain only).
    const relayerDb = join(ROOT, "build/dev-relayer/queue.sqlite");
    await rm(join(ROOT, "build/dev-relayer"), { recursive: true, force: true });
    log(`relayer: starting on ${relayerUrl} (queue ${relayerDb})`);
    const relayer = startChild(
      process.execPath,
      [
        join(ROOT, "packages/cli/src/main.ts"),
        "relayer",
        "serve",
        "--deployment",
        deploymentFile,
        "--db",
        relayerDb,
        "--port",
        String(relayerPort),
        "--dev-account",
        "9",
        "--max-wait",
        "3",
      ],
      { name: "relayer", verbose: opts.verbose, logDir: opts.logDir },
    );
    children.push(relayer.child);
    await waitFor("the relayer", async () => (await fetch(`${relayerUrl}/v1/health`)).ok, relayer.child, 60_000).catch(
      (e) => {
        throw new Error(`${e.message}\n${relayer.tail()}`);
      },
    );

    log(`app: starting Next.js on ${appUrl}`);
    const web = startChild(NEXT[0], [NEXT[1], "dev", "--hostname", "127.0.0.1", "--port", String(webPort)], {
      cwd: join(ROOT, "apps/web"),
      env: { NEXT_TELEMETRY_DISABLED: "1" },
      name: "web",
      verbose: opts.verbose,
      logDir: opts.logDir,
    });
    children.push(web.child);
    await waitFor("the web app", async () => (await fetch(`${appUrl}/deployment.json`)).ok, web.child, 180_000).catch(
      (e) => {
        throw new Error(`${e.message}\n${web.tail()}`);
      },
    );
    log("app: compiling the page (first request to next dev)");
    const page = await fetch(appUrl);
    if (!page.ok) throw new Error(`the web app answered ${page.status} for /\n${web.tail()}`);
    log("indexer: waiting until it has indexed the chain");
    await indexer.ready;
    log(`indexer: ready on ${indexerUrl}`);
    return { rpcUrl, appUrl, vaultUrl, relayerUrl, indexerUrl, deployment, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The app alone, against a deployed network (`npm run dev -- --network NAME`): serves
 * contracts/deployments/NAME.json as the app's /deployment.json, with this build's circuit files
 * (a ceremony's, once installed: `zklabel doctor` checks them against the deployment). No chain,
 * vault or relayer is started: the deployment names the network's own.
 */
export async function startAppFor(
  network: string,
  opts: { webPort?: number; log?: (msg: string) => void; verbose?: boolean } = {},
): Promise<{ appUrl: string; deployment: DeploymentFile; stop(): Promise<void> }> {
  const log = opts.log ?? (() => {});
  const webPort = opts.webPort ?? 3000;
  const appUrl = `http://127.0.0.1:${webPort}`;
  if (!/^[A-Za-z0-9_-]+$/.test(network)) throw new Error(`--network takes a network's name, not "${network}"`);
  const file = join(ROOT, "contracts/deployments", `${network}.json`);
  const raw = await readFile(file, "utf8").catch(() => {
    throw new Error(
      `network ${network} has no deployment here (${file}): deploy it with npm run deploy -- --network ${network}`,
    );
  });
  const parsed = deploymentSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`${file} is not a zkLabel deployment file: ${parsed.error.issues[0]?.message}`);
  if (!(await portFree(webPort)))
    throw new Error(`port ${webPort} (for the web app) is already in use: choose another with ZKLABEL_WEB_PORT=<port>`);
  log("circuits: building the product's circuits that are not cached (the app serves their files)");
  await buildCircuits(await productCircuits());
  await writeFile(join(ROOT, "apps/web/public/deployment.json"), `${JSON.stringify(parsed.data, null, 2)}\n`);
  log(`app: starting Next.js on ${appUrl} for ${network} (chain ${parsed.data.chainId})`);
  const web = startChild(NEXT[0], [NEXT[1], "dev", "--hostname", "127.0.0.1", "--port", String(webPort)], {
    cwd: join(ROOT, "apps/web"),
    env: { NEXT_TELEMETRY_DISABLED: "1" },
    name: "web",
    verbose: opts.verbose,
  });
  await waitFor("the web app", async () => (await fetch(`${appUrl}/deployment.json`)).ok, web.child, 180_000).catch(
    async (e) => {
      await kill(web.child);
      throw new Error(`${e.message}\n${web.tail()}`);
    },
  );
  return { appUrl, deployment: parsed.data, stop: () => kill(web.child) };
}

/** The demo task's items as files (demo-001.txt, ...) and their manifest. */
function demoDataset(depth: number, batchSize: number) {
  const items = demoItems().map((x, i) => ({
    name: `demo-${String(i + 1).padStart(3, "0")}.txt`,
    bytes: new TextEncoder().encode(x.text),
  }));
  return { items, ...buildDataset(items, { depth, batchSize }) };
}

/** Deploys to the node at rpcUrl and creates the demo task from account #0 (its items in the vault at vaultUrl). */
async function deployAndSeed(
  rpcUrl: string,
  vaultUrl: string,
  deferRules: readonly string[] = [],
): Promise<DeploymentFile> {
  const { network } = await import("hardhat");
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  const { viem } = connection;
  const d = await deployZkLabel(connection, { skipRules: deferRules });
  const escrow = await viem.getContractAt("ZkLabelEscrow", d.escrow);
  const items = demoItems();
  const { tree } = demoDataset(d.datasetDepth, d.batchSize);
  const rewardPerItem = parseEther("0.001");
  const metadata = encodeTaskMetadata({
    version: 1,
    title: DEMO_TITLE,
    instructions: DEMO_INSTRUCTIONS,
    rule: { type: classificationRule.name, classes: [...DEMO_CLASSES] },
    vault: vaultUrl,
    keyNonce: "1",
  });
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 30 * 24 * 3600);
  // The requester's label-encryption key comes from its wallet signature (docs/protocol.md, "Actors and keys").
  const [requester] = await viem.getWalletClients();
  const signature = await requester.signMessage({ message: requesterKeyMessage(BigInt(d.chainId), d.escrow, 1n) });
  const { pkR, pkRDiv8 } = requesterKeyFromSignature(signature);
  const hash = await escrow.write.createTask(
    [
      {
        token: zeroAddress,
        ruleId: classificationRule.id,
        datasetRoot: tree.root,
        itemCount: items.length,
        ruleParams: classificationRule.encodeParams(DEMO_PARAMS) as unknown as readonly [
          bigint,
          bigint,
          bigint,
          bigint,
        ],
        pkR,
        pkRDiv8,
        goldRoot: 0n,
        minAccuracy: 0,
        goldThreshold: 0,
        challengeWindow: 0,
        workerGroupId: 0n,
        rewardPerItem,
        deadline,
        funding: rewardPerItem * BigInt(items.length),
        metadataURI: metadata.uri,
        metadataHash: metadata.hash,
      },
      expectedRuleEntry(d, classificationRule.id),
    ],
    { value: rewardPerItem * BigInt(items.length) },
  );
  const client = await viem.getPublicClient();
  await client.waitForTransactionReceipt({ hash });
  const taskId = await escrow.read.taskCount();
  return deploymentSchema.parse({
    ...d,
    rpcUrl,
    vaultUrl,
    demoTask: { taskId: taskId.toString(), title: DEMO_TITLE, itemCount: items.length },
  });
}

/**
 * The indexer (apps/indexer, Ponder with its embedded PGlite database) for the escrow of
 * `deploymentFile`, serving SQL over HTTP on 127.0.0.1:`port`, once its historical indexing is done
 * (GET /ready answers 200). A fresh database in `dbDir` (the local chain starts empty each time).
 */
export function startIndexer(opts: {
  deploymentFile: string;
  port: number;
  dbDir: string;
  log?: (msg: string) => void;
  verbose?: boolean;
  logDir?: string;
  timeoutMs?: number;
}): { url: string; child: ChildProcess; ready: Promise<void>; stop(): Promise<void>; tail(): string } {
  const url = `http://127.0.0.1:${opts.port}`;
  opts.log?.(`indexer: starting on ${url} (PGlite in ${opts.dbDir})`);
  const p = startChild(
    PONDER[0],
    [PONDER[1], "start", "--port", String(opts.port), "--hostname", "127.0.0.1", "--schema", "zklabel"],
    {
      cwd: join(ROOT, "apps/indexer"),
      env: {
        PONDER_TELEMETRY_DISABLED: "true",
        ZKLABEL_DEPLOYMENT: opts.deploymentFile,
        ZKLABEL_INDEXER_DB: opts.dbDir,
        PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn",
      },
      name: "indexer",
      verbose: opts.verbose,
      logDir: opts.logDir,
    },
  );
  const stop = () => kill(p.child);
  const ready = waitFor(
    "the indexer",
    async () => (await fetch(`${url}/ready`)).ok,
    p.child,
    opts.timeoutMs ?? 120_000,
  ).catch(async (e) => {
    await stop();
    throw new Error(`${e.message}\n${p.tail()}`);
  });
  return { url, child: p.child, ready, stop, tail: p.tail };
}
