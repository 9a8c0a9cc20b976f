/**
 * The path to a public chain (docs/deploy.md), on a second local node started with another chain id:
 * `npm run deploy` refuses, before any transaction, a deployer key anyone may hold and development
 * keys; and `zklabel doctor` passes on a fresh deployment and names a tampered verifier and a circuit
 * file that is not the deployed one.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deploymentSchema } from "@zklabel/core/deployment";
import { generatePrivateKey } from "viem/accounts";
import { ROOT } from "../../scripts/lib/process.ts";
import { HARDHAT } from "../../scripts/lib/stack.ts";
import { freePort, rpcCall, startTestChain, zklabel } from "../helpers/chain.ts";

const OTHER_CHAIN = 31338;
/** Hardhat's well-known account #0: everyone has this key. */
const WELL_KNOWN_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

let dir: string;
let node: ChildProcess | undefined;
let rpc: string;

function deploy(settings: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      [join(ROOT, "scripts/deploy.ts"), "--network", settings, "--rpc", rpc, "--out", join(dir, "out.json")],
      { cwd: ROOT, env: { ...process.env, ZKLABEL_RPC_URL: rpc, ...env } },
    );
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "zklabel-deploy-"));
  const port = await freePort();
  rpc = `http://127.0.0.1:${port}`;
  node = spawn(
    HARDHAT[0],
    [HARDHAT[1], "node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(OTHER_CHAIN)],
    { cwd: ROOT, stdio: "ignore", detached: true },
  );
  for (let i = 0; !(await rpcCall(rpc, "eth_chainId").catch(() => null)); i++) {
    if (i > 240) throw new Error("the second Hardhat node did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
});

after(async () => {
  if (node?.pid && node.exitCode === null) process.kill(-node.pid, "SIGTERM");
  await rm(dir, { recursive: true, force: true });
});

describe("npm run deploy to another chain", { timeout: 600_000 }, () => {
  const settings = () => join(dir, "second.json");
  before(async () => {
    await writeFile(
      settings(),
      JSON.stringify({ hardhatNetwork: "custom", chainId: OTHER_CHAIN, rpcUrl: "http://127.0.0.1:1/public-rpc" }),
    );
  });

  it("refuses an RPC of another chain than the settings name", async () => {
    const wrong = join(dir, "wrong.json");
    await writeFile(wrong, JSON.stringify({ hardhatNetwork: "custom", chainId: 8453 }));
    const r = await deploy(wrong, { ZKLABEL_DEPLOYER_KEY: generatePrivateKey() });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /deploy refused: the RPC of custom answers for chain 31338, the settings of wrong say 8453/);
  });

  it("refuses a well-known development account and a key written in the repository, before any transaction", async () => {
    const r = await deploy(settings(), { ZKLABEL_DEPLOYER_KEY: WELL_KNOWN_KEY });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /deploy refused: the deployer 0xf39F\w+ is one of Hardhat's well-known development accounts/);

    const key = generatePrivateKey();
    const leak = join(ROOT, "contracts/networks", `leak-test-${process.pid}.env.json`);
    await writeFile(leak, JSON.stringify({ note: "a key that must never be committed", key }));
    try {
      const leaked = await deploy(settings(), { ZKLABEL_DEPLOYER_KEY: key });
      assert.equal(leaked.code, 2, leaked.out);
      assert.match(
        leaked.out,
        new RegExp(
          `deploy refused: the deployer's private key is written in contracts/networks/leak-test-${process.pid}.env.json`,
        ),
      );
    } finally {
      await rm(leak, { force: true });
    }
    assert.equal(await rpcCall(rpc, "eth_blockNumber"), "0x0", "nothing was sent");
  });

  it("refuses the INSECURE development verifiers on chain 31338, before any transaction", async () => {
    const r = await deploy(settings(), { ZKLABEL_DEPLOYER_KEY: generatePrivateKey() });
    assert.equal(r.code, 2, r.out);
    assert.match(
      r.out,
      /deploy refused: refusing to deploy to chain 31338: the \w+ verifier is built from INSECURE development keys that let anyone forge proofs/,
    );
    assert.match(r.out, /run one for \w+ \(docs\/ceremony.md\), then `npm run circuits` installs its keys/);
    assert.equal(await rpcCall(rpc, "eth_blockNumber"), "0x0", "nothing was sent");
  });
});

describe("zklabel doctor", { timeout: 600_000 }, () => {
  let chain: Awaited<ReturnType<typeof startTestChain>>;
  const doctor = async (...args: string[]) => {
    const r = await zklabel(["doctor", "--deployment", chain.deploymentFile, "--json", ...args]);
    return {
      ...r,
      report: JSON.parse(r.stdout || "{}") as {
        ok: boolean;
        checks: { area: string; what: string; ok: boolean; detail: string }[];
      },
    };
  };
  const failures = (r: Awaited<ReturnType<typeof doctor>>) => r.report.checks.filter((c) => !c.ok);

  before(async () => {
    await mkdir(join(dir, "local"), { recursive: true });
    chain = await startTestChain(join(dir, "local"));
  });
  after(() => chain?.stop());

  it("the vault refuses to serve another chain while its access keys are development keys", async () => {
    const d = JSON.parse(await readFile(chain.deploymentFile, "utf8"));
    const other = join(dir, "other-chain.json");
    await writeFile(other, JSON.stringify({ ...d, chainId: OTHER_CHAIN, rpcUrl: rpc }));
    const r = await zklabel([
      "vault",
      "serve",
      "--deployment",
      other,
      "--dir",
      join(dir, "vault"),
      "--port",
      String(await freePort()),
    ]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /refusing to serve chain 31338 with INSECURE development keys for vault_access_g20: anyone could forge an access proof/,
    );
  });

  it("the app switches networks by configuration: npm run dev -- --network NAME serves that deployment", async () => {
    const name = `test-app-${process.pid}`;
    const file = join(ROOT, "contracts/deployments", `${name}.json`);
    const served = join(ROOT, "apps/web/public/deployment.json");
    const before = await readFile(served, "utf8").catch(() => undefined);
    const d = { ...JSON.parse(await readFile(chain.deploymentFile, "utf8")), network: name };
    await mkdir(join(ROOT, "contracts/deployments"), { recursive: true });
    await writeFile(file, JSON.stringify(d));
    const port = await freePort();
    const app = spawn(process.execPath, [join(ROOT, "scripts/dev.ts"), "--network", name], {
      cwd: ROOT,
      env: { ...process.env, ZKLABEL_WEB_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    app.stdout.on("data", (x) => (out += x));
    app.stderr.on("data", (x) => (out += x));
    try {
      for (let i = 0; !out.includes(`zkLabel app for ${name} (chain 31337, INSECURE development keys)`); i++) {
        if (i > 720 || app.exitCode !== null) throw new Error(`the app did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const got = await (await fetch(`http://127.0.0.1:${port}/deployment.json`)).json();
      assert.equal(got.network, name);
      assert.equal(got.escrow, d.escrow);
      // An unknown network is refused in words.
      const missing = await new Promise<string>((resolve) => {
        const p = spawn(process.execPath, [join(ROOT, "scripts/dev.ts"), "--network", "no-such-network"], {
          cwd: ROOT,
        });
        let o = "";
        p.stderr.on("data", (x) => (o += x));
        p.on("close", () => resolve(o));
      });
      assert.match(
        missing,
        /network no-such-network has no deployment here .*: deploy it with npm run deploy -- --network no-such-network/,
      );
    } finally {
      if (app.pid && app.exitCode === null) process.kill(-app.pid, "SIGTERM");
      await rm(file, { force: true });
      if (before !== undefined) await writeFile(served, before);
    }
  });

  it("passes on a fresh deployment: code, served circuit files and keys, registry, roots", async () => {
    const r = await doctor();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.report.ok, true);
    const areas = new Set(r.report.checks.map((c) => c.area));
    for (const a of ["chain", "code", "circuits", "registry", "state"]) assert.ok(areas.has(a), `checks ${a}`);
    const d = deploymentSchema.parse(JSON.parse(await readFile(chain.deploymentFile, "utf8")));
    assert.ok(
      r.report.checks.some((c) => c.area === "code" && c.what.startsWith("escrow") && c.ok),
      "the escrow's code (linked, with immutables) is the build's",
    );
    for (const rule of d.rules ?? []) {
      for (const what of [`${rule.circuit} verifier`, `${rule.circuit} batch verifier`])
        assert.ok(
          r.report.checks.some((c) => c.area === "circuits" && c.what === what && c.ok),
          `${what} embeds its served verification key`,
        );
    }
  });

  it("names a circuit file that is not the deployed one", async () => {
    const served = join(dir, "served");
    await cp(join(ROOT, "apps/web/public/circuits"), served, { recursive: true });
    const d = deploymentSchema.parse(JSON.parse(await readFile(chain.deploymentFile, "utf8")));
    const circuit = d.rules?.[0].circuit as string;
    const wasm = join(served, `${circuit}.wasm`);
    const bytes = await readFile(wasm);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(wasm, bytes);
    const r = await doctor("--circuits", served);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(
      failures(r).map((c) => c.detail),
      [`${circuit}.wasm not the file the deployment recorded`],
    );
  });

  it("names a tampered verifier: its code is not the build's and it does not embed the served key", async () => {
    const d = deploymentSchema.parse(JSON.parse(await readFile(chain.deploymentFile, "utf8")));
    const [first, second] = d.rules ?? [];
    // Another circuit's verifier put at the first rule's verifier address.
    const other = await rpcCall(chain.rpc, "eth_getCode", [second.verifier, "latest"]);
    await rpcCall(chain.rpc, "hardhat_setCode", [first.verifier, other]);
    const r = await doctor();
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const failed = failures(r);
    assert.ok(
      failed.some(
        (c) =>
          c.area === "code" &&
          c.what.startsWith(`${first.rule}Verifier`) &&
          /is not \w+Verifier as built/.test(c.detail),
      ),
      JSON.stringify(failed),
    );
    assert.ok(
      failed.some(
        (c) =>
          c.area === "circuits" &&
          c.what === `${first.circuit} verifier` &&
          /does not embed the served verification key \(\d+ of \d+ constants missing\)/.test(c.detail),
      ),
      JSON.stringify(failed),
    );
    assert.ok(
      failed.every((c) => c.area === "code" || c.area === "circuits"),
      JSON.stringify(failed),
    );
  });
});
