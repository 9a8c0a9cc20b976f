/**
 * `zklabel rule register NAME`: a kit rule's verifiers on the running local chain. Builds the rule's
 * deployed circuit (keys, Solidity verifier and batch verifier) and, for a rule with gold answers,
 * its rejection circuit, if they are not built, compiles the contracts, deploys the verifiers, sets them as the rule's entry in the escrow's rule registry
 * (signed by the escrow's owner, an unlocked account of the local node), and adds the rule to the
 * deployment file that the app, the CLI, the vault and the relayer read.
 *
 * Local chain only: the keys are INSECURE development keys (scripts/lib/deploy.ts refuses any other
 * chain for the same reason).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { batchVerifierName, type CircuitInfo, verifierName } from "@zklabel/core/registry";
import { loadKitRule } from "@zklabel/rulekit/check";
import { workerCircuitName } from "@zklabel/rulekit/generate";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  zeroAddress,
} from "viem";
import { inputError } from "./common.ts";

function run(root: string, args: string[], what: string): Promise<void> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("error", fail);
    p.on("close", (code) =>
      code === 0 ? done() : fail(new Error(`${what} failed (exit ${code}):\n${out.slice(-3000)}`)),
    );
  });
}

export interface RegisteredRule {
  rule: string;
  ruleId: number;
  circuit: string;
  verifier: Address;
  batchVerifier: Address;
  /** The gold-rejection verifier; the zero address for a rule without gold answers. */
  rejectVerifier: Address;
  /** "set" on a rule id without a verifier; "scheduled" when it replaces one (the registry's delay applies). */
  status: "set" | "scheduled";
}

export async function registerRule(o: {
  root: string;
  name: string;
  deployment: string;
  rpc: string;
  log: (line: string) => void;
}): Promise<RegisteredRule> {
  const rule = await loadKitRule(o.root, o.name);
  const d = rule.description;
  const registry = JSON.parse(await readFile(join(o.root, "circuits/circuits.json"), "utf8")) as {
    circuits: CircuitInfo[];
  };
  const circuit = registry.circuits.find((c) => c.name === workerCircuitName(d.name, d.batch));
  if (!circuit)
    throw inputError(
      `circuits/circuits.json has no ${workerCircuitName(d.name, d.batch)}: run zklabel rule new ${d.name} --force`,
    );
  if (!existsSync(o.deployment))
    throw inputError(`no deployment at ${o.deployment}: start the local stack with npm run dev first`);
  const deployment = JSON.parse(await readFile(o.deployment, "utf8")) as {
    chainId: number;
    escrow: Address;
    rules: Record<string, unknown>[];
  };
  if (deployment.chainId !== LOCAL_CHAIN_ID)
    throw inputError(
      `refusing to register ${d.name} on chain ${deployment.chainId}: its verifiers come from INSECURE development keys, which are for the local chain (${LOCAL_CHAIN_ID}) only`,
    );
  const chain = defineChain({
    id: LOCAL_CHAIN_ID,
    name: "local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [o.rpc] } },
  });
  const pub = createPublicClient({ chain, transport: http(o.rpc) });
  const id = await pub.getChainId().catch(() => {
    throw inputError(`no chain answers at ${o.rpc}: start the local stack with npm run dev`);
  });
  if (id !== LOCAL_CHAIN_ID)
    throw inputError(`the node at ${o.rpc} is chain ${id}, not the local chain ${LOCAL_CHAIN_ID}`);

  // A rule with gold answers has a rejection circuit ("role": "reject"), deployed as its rejectVerifier.
  const reject = rule.gold
    ? registry.circuits.find((c) => c.rule === d.name && c.role === "reject" && c.deploy)
    : undefined;
  if (rule.gold && !reject)
    throw inputError(
      `${d.name} has gold answers but circuits/circuits.json has no deployed rejection circuit for it ("rule": "${d.name}", "role": "reject", "deploy": true)`,
    );
  for (const c of [circuit, ...(reject ? [reject] : [])]) {
    if (existsSync(join(o.root, "build", "circuits", c.name, "vkey.json"))) continue;
    o.log(`building ${c.name} (compile, INSECURE development setup, verifiers)`);
    await run(o.root, [join(o.root, "scripts", "circuits", "build.ts"), c.name], `the circuit build of ${c.name}`);
  }
  o.log("compiling the contracts (the rule's verifiers among them)");
  await run(
    o.root,
    [join(o.root, "node_modules", "hardhat", "dist", "src", "cli.js"), "compile", "--quiet"],
    "hardhat compile",
  );
  const artifact = async (contract: string) => {
    const path = join(o.root, "artifacts", "contracts", "verifiers", `${contract}.sol`, `${contract}.json`);
    const a = JSON.parse(
      await readFile(path, "utf8").catch(() => {
        throw new Error(`no compiled ${contract} at ${path}`);
      }),
    ) as { abi: Abi; bytecode: Hex };
    return a;
  };
  const owner = (await pub.readContract({
    address: deployment.escrow,
    abi: escrowAbi,
    functionName: "owner",
  })) as Address;
  const wallet = createWalletClient({ chain, transport: http(o.rpc), account: owner });
  const deploy = async (contract: string): Promise<Address> => {
    const a = await artifact(contract);
    const hash = await wallet.deployContract({ abi: a.abi, bytecode: a.bytecode, account: owner, chain });
    const r = await pub.waitForTransactionReceipt({ hash });
    if (r.status !== "success" || !r.contractAddress) throw new Error(`deploying ${contract} failed`);
    o.log(`deployed ${contract} at ${r.contractAddress}`);
    return r.contractAddress;
  };
  const verifier = await deploy(verifierName(circuit.name));
  const batchVerifier = await deploy(batchVerifierName(circuit.name));
  const rejectVerifier = reject ? await deploy(verifierName(reject.name)) : zeroAddress;
  const vkey = JSON.parse(await readFile(join(o.root, "build", "circuits", circuit.name, "vkey.json"), "utf8")) as {
    nPublic: number;
  };
  const existing = (await pub.readContract({
    address: deployment.escrow,
    abi: escrowAbi,
    functionName: "ruleVerifier",
    args: [d.id],
  })) as { verifier: Address };
  const entry = {
    verifier,
    batchSize: circuit.params.N,
    datasetDepth: circuit.params.DEPTH,
    publicInputCount: vkey.nPublic,
    batchVerifier,
    rejectVerifier,
  };
  const hash = await wallet.writeContract({
    address: deployment.escrow,
    abi: escrowAbi,
    functionName: "setRuleVerifier",
    args: [d.id, entry],
    account: owner,
    chain,
  });
  if ((await pub.waitForTransactionReceipt({ hash })).status !== "success")
    throw new Error(`the escrow refused the ${d.name} verifier (setRuleVerifier reverted)`);
  const status = existing.verifier === zeroAddress ? "set" : "scheduled";
  const deployed = {
    rule: d.name,
    ruleId: d.id,
    circuit: circuit.name,
    verifier,
    batchVerifier,
    rejectVerifier,
    ...(reject ? { rejectCircuit: reject.name } : {}),
    batchSize: circuit.params.N,
    datasetDepth: circuit.params.DEPTH,
    publicInputCount: vkey.nPublic,
  };
  // A replacement takes effect after the registry's delay (applyRuleVerifier): until then tasks use the old entry.
  if (status === "set") {
    const rules = deployment.rules.filter((r) => r.ruleId !== d.id);
    rules.push(deployed);
    rules.sort((a, b) => Number(a.ruleId) - Number(b.ruleId));
    await writeFile(o.deployment, `${JSON.stringify({ ...deployment, rules }, null, 2)}\n`);
  }
  return { rule: d.name, ruleId: d.id, circuit: circuit.name, verifier, batchVerifier, rejectVerifier, status };
}
