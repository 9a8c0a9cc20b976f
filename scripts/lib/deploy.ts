/**
 * The one deploy path of the contracts, used by `npm run dev` (against the Hardhat node), by
 * `npm run deploy -- --network NAME` (scripts/deploy.ts) and by the tests (in-process chains): the
 * Hardhat Ignition module contracts/ignition/modules/ZkLabel.ts, after the keys of every circuit it
 * deploys a verifier of are checked (scripts/lib/keys.ts).
 */
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { LOCAL_CHAIN_ID } from "@zklabel/core/deployment";
import { GROUP_MAX_DEPTH } from "@zklabel/core/group";
import { batchVerifierName, verifierName } from "@zklabel/core/registry";
import { RULES, rejectCircuit, ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { type Artifact, findArtifact } from "@zklabel/sdk/artifacts";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, keccak256, zeroAddress } from "viem";
import { type PlannedRule, zkLabelModule } from "../../contracts/ignition/modules/ZkLabel.ts";
import { checkCircuitKeys, type KeysOfCircuit } from "./keys.ts";
import { ROOT } from "./process.ts";

export { DeployRefusal } from "./keys.ts";

/** Seconds a replaced worker-group root stays valid for proofs (docs/protocol.md decision 16). */
export const ROOT_GRACE_PERIOD = 3600n;

/** Seconds a replacement of a rule verifier is announced before it takes effect (decision 32). */
export const RULE_CHANGE_DELAY = 2n * 86400n;

/** Addresses of a deployment, as the app and scripts read them. */
export interface Deployment {
  chainId: number;
  escrow: Address;
  verifier: Address;
  batchVerifier: Address;
  groups: Address;
  /** A mintable ERC-20 for trying token-funded tasks (the local chain only). */
  testToken?: Address;
  rootGracePeriod: string;
  circuit: string;
  publicInputCount: number;
  batchSize: number;
  datasetDepth: number;
  deployBlock: string;
  /** true when any verifier checks proofs with development keys (then the chain is the local one). */
  insecureDevKeys: boolean;
  /** The network's name (contracts/networks/<name>.json; "localhost" for the dev stack). */
  network: string;
  /** Every rule the escrow has a verifier for (classification first). */
  rules: DeployedRule[];
  /** Every contract deployed, by name: address and the keccak256 of its artifact's runtime code (before linking). */
  contracts: Record<string, { address: Address; artifact: string; codeHash: `0x${string}` }>;
  /** Every circuit a verifier was deployed for: its keys and the sha256 of the files clients prove with. */
  circuits: Record<string, KeysOfCircuit>;
}

/** One rule's verifiers as the escrow's registry holds them. */
export interface DeployedRule {
  rule: string;
  ruleId: number;
  circuit: string;
  verifier: Address;
  batchVerifier: Address;
  /** The gold-rejection verifier; the zero address when the rule takes no gold items. */
  rejectVerifier: Address;
  rejectCircuit?: string;
  batchSize: number;
  datasetDepth: number;
  publicInputCount: number;
}

/** A Hardhat network connection (network.create / network.connect) with the viem and Ignition plugins. */
type Connection = Pick<NetworkConnection, "viem" | "ignition" | "networkName" | "networkConfig">;

export interface DeployOptions {
  /** The worker trees' depth limit (tests fill a small open group); default the circuits'. */
  groupDepth?: number;
  /** Rules left unregistered (a test registers them on the running chain with zklabel rule register). */
  skipRules?: readonly string[];
  /** Only these rules (a public deployment may start with the rules whose ceremonies are done). */
  onlyRules?: readonly string[];
  /** The network's name for the deployment file; default the connection's. */
  network?: string;
  rootGracePeriod?: bigint;
  ruleChangeDelay?: bigint;
  /** Blocks Ignition waits after each transaction (1 on local chains). */
  requiredConfirmations?: number;
  /** The account that deploys (default: the connection's first). */
  from?: Address;
}

/**
 * Deploys the whole system with its Ignition module and returns the deployment. Refuses, before any
 * transaction, development keys on any chain but the local one and a ceremony verifier that is not
 * the one its transcript records (checkCircuitKeys).
 */
export async function deployZkLabel(connection: Connection, opts: DeployOptions = {}): Promise<Deployment> {
  const client = await connection.viem.getPublicClient();
  const chainId = await client.getChainId();
  const local = chainId === LOCAL_CHAIN_ID;
  const planned: (PlannedRule & { circuit: string; rejectCircuit?: string })[] = [];
  // Every rule module's deployed worker circuit (circuits.json "deploy"), in rule-id order.
  for (const { name: rule, id: ruleId } of RULES) {
    if (opts.skipRules?.includes(rule)) continue;
    if (opts.onlyRules && !opts.onlyRules.includes(rule)) continue;
    const module = ruleByName(rule);
    const circuit = ruleCircuit(module);
    if (circuit.ruleId !== ruleId)
      throw new Error(
        `${circuit.name} has ruleId ${circuit.ruleId} in circuits/circuits.json, the rule module says ${ruleId}`,
      );
    // The verifier's public-input count comes from the keys it was generated from.
    const vkey = JSON.parse(await readFile(join(ROOT, "build/circuits", circuit.name, "vkey.json"), "utf8")) as {
      nPublic: number;
    };
    // The rule's gold-rejection circuit, when it has one (a rule without gold answers has none).
    const reject = module.gold ? rejectCircuit(module) : undefined;
    planned.push({
      rule,
      ruleId,
      circuit: circuit.name,
      verifierContract: verifierName(circuit.name),
      batchVerifierContract: batchVerifierName(circuit.name),
      ...(reject ? { rejectCircuit: reject.name, rejectContract: verifierName(reject.name) } : {}),
      batchSize: circuit.params.N,
      datasetDepth: circuit.params.DEPTH,
      publicInputCount: vkey.nPublic,
    });
  }
  if (planned.length === 0) throw new Error("nothing to deploy: no rule is left after --only/--skip");
  const circuits = await checkCircuitKeys(
    planned.flatMap((r) => [r.circuit, ...(r.rejectCircuit ? [r.rejectCircuit] : [])]),
    chainId,
  );
  const deployBlock = await client.getBlockNumber();
  const module = zkLabelModule({ rules: planned, testToken: local });
  const parameters = {
    ZkLabel: {
      rootGracePeriod: opts.rootGracePeriod ?? ROOT_GRACE_PERIOD,
      groupDepth: opts.groupDepth ?? GROUP_MAX_DEPTH,
      ruleChangeDelay: opts.ruleChangeDelay ?? RULE_CHANGE_DELAY,
    },
  };
  // Ignition keeps a journal per deployment so an interrupted deploy resumes. The local chain starts
  // empty every time, so its journal is one-off and removed after the deploy.
  const inMemory = connection.networkConfig?.type === "edr-simulated";
  const oneOff = local && !inMemory ? `local-${randomBytes(6).toString("hex")}` : undefined;
  let deployed: Record<string, { address: Address }>;
  try {
    deployed = await connection.ignition.deploy(module, {
      parameters,
      config: { requiredConfirmations: opts.requiredConfirmations ?? 1 },
      ...(oneOff ? { deploymentId: oneOff } : {}),
      ...(opts.from ? { defaultSender: opts.from } : {}),
    });
  } finally {
    if (oneOff) await rm(join(ROOT, IGNITION_DIR, "deployments", oneOff), { recursive: true, force: true });
  }
  const rules: DeployedRule[] = planned.map((r) => ({
    rule: r.rule,
    ruleId: r.ruleId,
    circuit: r.circuit,
    verifier: deployed[`${r.rule}Verifier`].address,
    batchVerifier: deployed[`${r.rule}BatchVerifier`].address,
    rejectVerifier: deployed[`${r.rule}RejectVerifier`]?.address ?? zeroAddress,
    ...(r.rejectCircuit ? { rejectCircuit: r.rejectCircuit } : {}),
    batchSize: r.batchSize,
    datasetDepth: r.datasetDepth,
    publicInputCount: r.publicInputCount,
  }));
  const contracts: Deployment["contracts"] = {};
  const artifactOf: Record<string, string> = {
    escrow: "ZkLabelEscrow",
    groups: "WorkerGroups",
    taskSetup: "TaskSetup",
    poseidonT3: "PoseidonT3",
    poseidonT5: "PoseidonT5",
    poseidonT6: "PoseidonT6",
    testToken: "TestToken",
    ...Object.fromEntries(
      planned.flatMap((r) => [
        [`${r.rule}Verifier`, r.verifierContract],
        [`${r.rule}BatchVerifier`, r.batchVerifierContract],
        ...(r.rejectContract ? [[`${r.rule}RejectVerifier`, r.rejectContract]] : []),
      ]),
    ),
  };
  for (const [key, c] of Object.entries(deployed)) {
    const artifact = artifactOf[key];
    contracts[key] = { address: c.address, artifact, codeHash: await artifactCodeHash(artifact) };
  }
  // The deployment file's top-level verifier fields describe the first rule (older readers use them).
  const [first] = rules;
  return {
    chainId,
    escrow: deployed.escrow.address,
    verifier: first.verifier,
    batchVerifier: first.batchVerifier,
    groups: deployed.groups.address,
    ...(deployed.testToken ? { testToken: deployed.testToken.address } : {}),
    rootGracePeriod: parameters.ZkLabel.rootGracePeriod.toString(),
    circuit: first.circuit,
    publicInputCount: first.publicInputCount,
    batchSize: first.batchSize,
    datasetDepth: first.datasetDepth,
    deployBlock: deployBlock.toString(),
    insecureDevKeys: Object.values(circuits).some((c) => c.keys === "development"),
    network: opts.network ?? connection.networkName ?? (local ? "localhost" : `chain-${chainId}`),
    rules,
    contracts,
    circuits,
  };
}

/** A local deployment, which always has the test token. */
export function withTestToken(d: Deployment): Deployment & { testToken: Address } {
  if (!d.testToken)
    throw new Error(`the deployment on chain ${d.chainId} has no test token (only local chains get one)`);
  return d as Deployment & { testToken: Address };
}

/** Where Ignition keeps its modules' journals (hardhat.config.ts paths.ignition). */
export const IGNITION_DIR = "contracts/ignition";

/** keccak256 of a compiled contract's runtime code as the artifact holds it (link placeholders and immutables unfilled). */
export async function artifactCodeHash(contract: string): Promise<`0x${string}`> {
  const artifact = await readArtifact(contract);
  return keccak256(artifact.deployedBytecode);
}

/** A contract's Hardhat artifact by its bare name (artifacts/<source>/<name>.json). */
export async function readArtifact(contract: string): Promise<Artifact> {
  const a = await findArtifact(ROOT, contract);
  if (a) return a;
  throw new Error(`no artifact of ${contract}: run \`npx hardhat compile\` at the repository root`);
}
