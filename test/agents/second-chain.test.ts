/**
 * From a ceremony to a second chain, the way an operator goes to a public network (docs/deploy.md,
 * docs/ceremony.md): trusted-setup ceremonies with three contributions and a beacon each, for the
 * entity-span rule's worker circuit and the vault's access circuit (test/helpers/ceremony.ts), are
 * installed into an operator's checkout by `npm run circuits`; `npm run deploy` puts the span rule
 * on a Hardhat node started with chain id 31338 (deployer, requester and relayer keys of their own,
 * funded as on a public chain; no unlocked account is used); then the whole headless flow runs
 * there with the CLI, a vault and a relayer: post, work, verify, pay, withdraw, decrypt, audit;
 * and `zklabel doctor` passes on the deployment.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ACCESS_CIRCUIT } from "@zklabel/core/access";
import { deploymentSchema } from "@zklabel/core/deployment";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { createPublicClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ROOT } from "../../scripts/lib/process.ts";
import { ceremonyFolder, rehearsalCeremony } from "../helpers/ceremony.ts";
import { freePort, rpcCall } from "../helpers/chain.ts";

const OTHER_CHAIN = 31338;
const WORKER_CIRCUIT = ruleCircuit(ruleByName("spans")).name;
const log = (m: string) => console.log(`# second chain: ${m}`);

let dir: string;
/** The operator's checkout: this repository's files, its own dependencies, build and artifacts. */
let checkout: string;
let rpc: string;
let deploymentFile: string;
/** The CLI services (vault, relayer), stopped after the tests; the chain is `node`, a process group of its own. */
const children: ChildProcess[] = [];
let node: ChildProcess | undefined;
const keys = { deployer: generatePrivateKey(), requester: generatePrivateKey(), relayer: generatePrivateKey() };

/** Runs a command in the checkout; resolves with its exit code and output (never throws). */
function runIn(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: checkout, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
const ok = (r: { code: number; stdout: string; stderr: string }, what: string) => {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr}\n${r.stdout}`);
  return r;
};
/** The checkout's zklabel CLI; on the second chain's deployment unless `offline`; signing with `key` when given. */
const zklabel = (args: string[], key?: `0x${string}`, offline = false) =>
  runIn(
    process.execPath,
    [join(checkout, "packages/cli/src/main.ts"), ...args, ...(offline ? [] : ["--deployment", deploymentFile])],
    key ? { ZKLABEL_PRIVATE_KEY: key } : {},
  );

/** A long-running CLI service (vault, relayer) of the checkout; resolves once it answers /v1/health. */
async function service(what: "vault" | "relayer", args: string[], env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const p = spawn(
    process.execPath,
    [
      join(checkout, "packages/cli/src/main.ts"),
      what,
      "serve",
      "--deployment",
      deploymentFile,
      "--port",
      String(port),
      ...args,
    ],
    { cwd: checkout, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(p);
  let out = "";
  p.stdout?.on("data", (d) => (out += d));
  p.stderr?.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (
    let i = 0;
    !(await fetch(`${url}/v1/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 240 || p.exitCode !== null) throw new Error(`the ${what} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, log: () => out };
}

/** The repository's files as a fresh clone with the working tree's changes has them, in a git repository of its own. */
async function copyCheckout(into: string) {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the working tree
    await mkdir(dirname(join(into, f)), { recursive: true });
    await cp(join(ROOT, f), join(into, f), { verbatimSymlinks: true });
  }
  execFileSync("git", ["init", "-q"], { cwd: into });
  execFileSync("git", ["add", "-A"], { cwd: into });
}

before(
  async () => {
    dir = await mkdtemp(join(tmpdir(), "zklabel-second-chain-"));
    // 1. The ceremonies (cached after the first run; checked against their transcripts every time).
    const report = JSON.parse(await readFile(join(ROOT, "build/circuits/report.json"), "utf8")) as Record<
      string,
      { domainPower: number }
    >;
    const power = Math.max(report[WORKER_CIRCUIT].domainPower, report[ACCESS_CIRCUIT].domainPower);
    const ceremonies: Record<string, string> = {};
    for (const c of [WORKER_CIRCUIT, ACCESS_CIRCUIT])
      ceremonies[c] = await rehearsalCeremony(c, join(ROOT, "build/circuits", c, "main.r1cs"), power, log);

    // 2. The operator's checkout, with the finished ceremonies where `npm run circuits` looks for them.
    checkout = join(dir, "checkout");
    log("copying the repository into an operator's checkout and installing its dependencies (offline)");
    await copyCheckout(checkout);
    await ceremonyFolder(join(checkout, "ceremony"), ceremonies);
    const pnpm = join(ROOT, ".tools/node_modules/.bin/pnpm");
    ok(
      await runIn(existsSync(pnpm) ? pnpm : "pnpm", ["install", "--frozen-lockfile", "--offline", "--reporter=silent"]),
      "pnpm install",
    );

    // 3. The second chain, and the keys of a public chain's operator, requester and relayer, funded.
    const port = await freePort();
    rpc = `http://127.0.0.1:${port}`;
    node = spawn(
      process.execPath,
      [
        join(checkout, "node_modules/hardhat/dist/src/cli.js"),
        "node",
        "--hostname",
        "127.0.0.1",
        "--port",
        String(port),
        "--chain-id",
        String(OTHER_CHAIN),
      ],
      { cwd: checkout, stdio: "ignore", detached: true },
    );
    for (let i = 0; !(await rpcCall(rpc, "eth_chainId").catch(() => null)); i++) {
      if (i > 240 || node.exitCode !== null) throw new Error("the second Hardhat node did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const key of Object.values(keys))
      await rpcCall(rpc, "hardhat_setBalance", [
        privateKeyToAccount(key).address,
        `0x${parseEther("100").toString(16)}`,
      ]);
  },
  { timeout: 3_600_000 },
);

after(async () => {
  // The ceremony check's snarkjs threads would keep this process alive.
  await releaseSnarkjs();
  for (const p of children) if (p.exitCode === null) p.kill("SIGTERM");
  if (node?.pid && node.exitCode === null) process.kill(-node.pid, "SIGTERM");
  await rm(dir, { recursive: true, force: true });
});

describe("a ceremony's keys on a second chain (31338): the whole headless flow", { timeout: 1_800_000 }, () => {
  let vault: Awaited<ReturnType<typeof service>>;
  let relayer: Awaited<ReturnType<typeof service>>;
  const texts = Array.from({ length: 12 }, (_, i) =>
    i % 2 ? `We flew to Lisbon on day ${i}.` : `Yesterday Ada Lovelace wrote note ${i}.`,
  );

  it("npm run circuits installs the ceremonies' keys and npm run deploy puts the span rule on chain 31338", async () => {
    const settings = join(checkout, "contracts/networks/second.json");
    await writeFile(
      settings,
      JSON.stringify({ hardhatNetwork: "custom", chainId: OTHER_CHAIN, rpcUrl: rpc, rules: ["spans"] }),
    );
    deploymentFile = join(checkout, "contracts/deployments/second.json");
    const r = ok(
      await runIn(process.execPath, [join(checkout, "scripts/deploy.ts"), "--network", "second", "--rpc", rpc], {
        ZKLABEL_RPC_URL: rpc,
        ZKLABEL_DEPLOYER_KEY: keys.deployer,
      }),
      "npm run deploy",
    );
    log(r.stdout.trim().split("\n").slice(-4).join(" | "));
    assert.match(r.stdout, new RegExp(`${WORKER_CIRCUIT}: keys from its ceremony \\(3 contributions and a beacon\\)`));
    const d = deploymentSchema.parse(JSON.parse(await readFile(deploymentFile, "utf8")));
    assert.equal(d.chainId, OTHER_CHAIN);
    assert.equal(d.insecureDevKeys, false);
    assert.deepEqual(
      d.rules?.map((x) => x.rule),
      ["spans"],
    );
    const t = JSON.parse(await readFile(join(checkout, "ceremony", WORKER_CIRCUIT, "transcript.json"), "utf8"));
    assert.equal(t.steps.filter((s: { kind: string }) => s.kind === "contribution").length, 3);
    assert.equal(d.circuits?.[WORKER_CIRCUIT].keys, "ceremony");
    assert.match(d.circuits?.[WORKER_CIRCUIT].transcriptSha256 ?? "", /^[0-9a-f]{64}$/);
    // The access circuit's keys are the ceremony's too: the vault serves this chain only with them.
    assert.match(await readFile(join(checkout, "build/circuits", ACCESS_CIRCUIT, "keys.txt"), "utf8"), /^ceremony /);
    // Nothing on chain 31338 was sent from an unlocked development account.
    const deployer = privateKeyToAccount(keys.deployer).address;
    const pc = createPublicClient({ transport: http(rpc) });
    const tx = await pc.getTransaction({ blockNumber: 1n, index: 0 });
    assert.equal(tx.from.toLowerCase(), deployer.toLowerCase());
  });

  it("the vault and the relayer serve the second chain with the ceremony's keys", async () => {
    vault = await service("vault", ["--dir", join(dir, "vault")]);
    relayer = await service("relayer", ["--db", join(dir, "relayer.sqlite"), "--max-wait", "1"], {
      ZKLABEL_RELAYER_KEY: keys.relayer,
    });
    const d = JSON.parse(await readFile(deploymentFile, "utf8"));
    await writeFile(deploymentFile, JSON.stringify({ ...d, vaultUrl: vault.url, relayerUrl: relayer.url }));
    const info = (await (await fetch(`${relayer.url}/v1/info`)).json()) as { address: string };
    assert.equal(info.address.toLowerCase(), privateKeyToAccount(keys.relayer).address.toLowerCase());
  });

  let manifest: string;
  it("post: the requester builds and uploads a dataset and posts a funded span task", async () => {
    const folder = join(dir, "sentences");
    await mkdir(folder);
    for (const [i, t] of texts.entries()) await writeFile(join(folder, `s${String(i).padStart(2, "0")}.txt`), t);
    manifest = join(dir, "manifest.json");
    const build = ["dataset", "build", "--from", folder, "--kind", "fields:spans", "--out", manifest];
    ok(await zklabel(build, undefined, true), "build");
    const upload = ["dataset", "upload", "--manifest", manifest, "--from", folder, "--vault", vault.url];
    ok(await zklabel(upload, undefined, true), "upload");
    await writeFile(
      join(dir, "spec.json"),
      JSON.stringify({
        title: "Named entities on the second chain",
        instructions: "Mark the named entity of each sentence.",
        rule: { type: "spans", minLength: 3 },
        reward: { perItem: "0.0005" },
        deadline: "7d",
      }),
    );
    const created = JSON.parse(
      ok(
        await zklabel(
          ["task", "create", "--spec", join(dir, "spec.json"), "--manifest", manifest, "--vault", vault.url, "--json"],
          keys.requester,
        ),
        "task create",
      ).stdout,
    );
    assert.equal(created.taskId, "1");
  });

  let payees: string[];
  it("work and verify: an anonymous worker joins, its agent labels, proves with the ceremony's key and submits through the relayer", async () => {
    const identity = join(dir, "worker.key");
    ok(await zklabel(["identity", "new", "--identity-file", identity], undefined, true), "identity new");
    ok(await zklabel(["group", "join", "--identity-file", identity]), "group join (through the relayer)");
    const r = ok(
      await zklabel([
        "work",
        "--task",
        "1",
        "--labeler",
        join(checkout, "test/agents/labeler-spans.mjs"),
        "--identity-file",
        identity,
        "--json",
      ]),
      "work",
    );
    const out = JSON.parse(r.stdout);
    assert.equal(out.items, texts.length);
    payees = out.submitted.map((s: { payee: string }) => s.payee);
    assert.match(vault.log(), /served batch 0 of task 1/);
    assert.match(relayer.log(), /queued ticket/);
    // Verified on-chain by the ceremony's verifier (a span task has no gold: no challenge window).
    const status = JSON.parse(ok(await zklabel(["task", "status", "1", "--json"]), "status").stdout);
    assert.deepEqual(status.batches, ["verified"]);
  });

  it("pay and withdraw: the worker withdraws its payees' credit to a fresh address without gas", async () => {
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    const r = JSON.parse(
      ok(
        await zklabel(["withdraw", "--task", "1", "--to", fresh, "--identity-file", join(dir, "worker.key"), "--json"]),
        "withdraw",
      ).stdout,
    );
    assert.equal(r.hashes.length, new Set(payees).size);
    const pc = createPublicClient({ transport: http(rpc) });
    const got = await pc.getBalance({ address: fresh });
    assert.equal(got, BigInt(r.amount));
    // Twelve items at 0.0005 each, less the relayer's fees.
    assert.ok(got > 0n && got < 12n * parseEther("0.0005"), String(got));
  });

  it("decrypt: the requester's export holds the agent's spans", async () => {
    const out = join(dir, "labels.jsonl");
    ok(
      await zklabel(["labels", "export", "--task", "1", "--manifest", manifest, "--out", out], keys.requester),
      "labels export",
    );
    const rows = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(rows.length, texts.length);
    for (const [i, t] of texts.entries()) {
      assert.equal(t.slice(rows[i].start, rows[i].end), i % 2 ? "Lisbon" : "Ada Lovelace", `row ${i}`);
      assert.equal(rows[i].className, i % 2 ? "place" : "person");
    }
  });

  it("audit: every batch verifies against the ceremony's verification key; zklabel doctor passes", async () => {
    const report = JSON.parse(ok(await zklabel(["audit", "task", "1", "--json"]), "audit").stdout);
    assert.equal(report.ok, true);
    for (const b of report.batches) assert.equal(b.proofValid && b.eventMatchesInputs && b.storageAgrees, true);
    const doctor = await zklabel(["doctor", "--json"]);
    const checks = JSON.parse(doctor.stdout || "{}") as { ok: boolean; checks: { ok: boolean; detail: string }[] };
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.equal(checks.ok, true);
  });

  it("every transaction on chain 31338 came from the operator's, the requester's or the relayer's own key", async () => {
    const pc = createPublicClient({ transport: http(rpc) });
    const own = new Set(Object.values(keys).map((k) => privateKeyToAccount(k).address.toLowerCase()));
    const senders = new Set<string>();
    for (let b = 1n; b <= (await pc.getBlockNumber()); b++)
      for (const tx of (await pc.getBlock({ blockNumber: b, includeTransactions: true })).transactions)
        senders.add(tx.from.toLowerCase());
    assert.ok(senders.size >= 3, [...senders].join(", "));
    for (const s of senders) assert.ok(own.has(s), `${s} is none of the test's own keys`);
  });
});
