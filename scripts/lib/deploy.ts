/**
 * The one deploy path of the contracts, used by `npm run dev` (against the
 * Hardhat node) and by the tests (against an in-process chain).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GROUP_MAX_DEPTH } from "@zklabel/core/group";
import { batchVerifierName, verifierName } from "@zklabel/core/registry";
import { RULES, rejectCircuit, ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { type Address, zeroAddress } from "viem";
import { ROOT } from "./process.ts";

/** The local development chain: the only chain the INSECURE development verifiers may go on. */
export const LOCAL_CHAIN_ID = 31337;

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
  /** A mintable ERC-20 for trying token-funded tasks on the local chain. */
  testToken: Address;
  rootGracePeriod: string;
  circuit: string;
  publicInputCount: number;
  batchSize: number;
  datasetDepth: number;
  deployBlock: string;
  insecureDevKeys: true;
  /** Every rule the escrow has a verifier for (classification first). */
  rules: DeployedRule[];
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

// Typed loosely on purpose: hardhat-viem's helper types are generic over the
// compiled artifacts, which a deploy helper should not depend on.
interface ViemHelpers {
  deployContract(
    name: string,
    args?: unknown[],
    config?: { libraries?: Record<string, Address> },
  ): Promise<{ address: Address; write: Record<string, (args: readonly unknown[]) => Promise<`0x${string}`>> }>;
  getPublicClient(): Promise<{
    getChainId(): Promise<number>;
    getBlockNumber(): Promise<bigint>;
    waitForTransactionReceipt(args: { hash: `0x${string}` }): Promise<{ status: string }>;
  }>;
}

/**
 * Deploys the Poseidon libraries, the worker-group registry, the escrow with its TaskSetup library
 * (createTask's parameter checks and task hash, linked to keep the escrow under the code-size limit)
 * and every rule's verifiers.
 */
export async function deployZkLabel(
  viem: ViemHelpers,
  /** groupDepth: the worker trees' depth limit (tests fill a small open group); default the circuits'. */
  /** skipRules: rules left unregistered (a test registers them on the running chain with zklabel rule register). */
  opts: { groupDepth?: number; skipRules?: readonly string[] } = {},
): Promise<Deployment> {
  const client = await viem.getPublicClient();
  const chainId = await client.getChainId();
  if (chainId !== LOCAL_CHAIN_ID) {
    throw new Error(
      `refusing to deploy to chain ${chainId}: the verifiers are built from INSECURE development keys that let anyone forge proofs. ` +
        `Deploy only to the local chain (${LOCAL_CHAIN_ID}); real networks need keys from a multi-party ceremony (docs/protocol.md, "Trusted setup").`,
    );
  }
  const deployBlock = await client.getBlockNumber();
  const [t3, t5, t6] = [
    await viem.deployContract("PoseidonT3"),
    await viem.deployContract("PoseidonT5"),
    await viem.deployContract("PoseidonT6"),
  ];
  const groups = await viem.deployContract("WorkerGroups", [ROOT_GRACE_PERIOD, opts.groupDepth ?? GROUP_MAX_DEPTH], {
    libraries: { PoseidonT3: t3.address },
  });
  const taskSetup = await viem.deployContract("TaskSetup", [], {
    libraries: { PoseidonT3: t3.address, PoseidonT5: t5.address, PoseidonT6: t6.address },
  });
  const escrow = await viem.deployContract("ZkLabelEscrow", [groups.address, RULE_CHANGE_DELAY], {
    libraries: { TaskSetup: taskSetup.address },
  });
  const rules: DeployedRule[] = [];
  // Every rule module's deployed worker circuit (circuits.json "deploy"), in rule-id order.
  for (const { name: rule, id: ruleId } of RULES) {
    if (opts.skipRules?.includes(rule)) continue;
    const circuit = ruleCircuit(ruleByName(rule));
    if (circuit.ruleId !== ruleId)
      throw new Error(
        `${circuit.name} has ruleId ${circuit.ruleId} in circuits/circuits.json, the rule module says ${ruleId}`,
      );
    // The verifier's public-input count comes from the keys it was generated from.
    const vkey = JSON.parse(await readFile(join(ROOT, "build/circuits", circuit.name, "vkey.json"), "utf8")) as {
      nPublic: number;
    };
    const verifier = await viem.deployContract(verifierName(circuit.name));
    const batchVerifier = await viem.deployContract(batchVerifierName(circuit.name));
    // The rule's gold-rejection circuit, when it has one (a rule without gold answers has none).
    const module = ruleByName(rule);
    const reject = module.gold ? rejectCircuit(module) : undefined;
    const rejectVerifier = reject ? (await viem.deployContract(verifierName(reject.name))).address : zeroAddress;
    const entry: DeployedRule = {
      rule,
      ruleId,
      circuit: circuit.name,
      verifier: verifier.address,
      batchVerifier: batchVerifier.address,
      rejectVerifier,
      ...(reject ? { rejectCircuit: reject.name } : {}),
      batchSize: circuit.params.N,
      datasetDepth: circuit.params.DEPTH,
      publicInputCount: vkey.nPublic,
    };
    const hash = await escrow.write.setRuleVerifier([
      ruleId,
      {
        verifier: entry.verifier,
        batchSize: entry.batchSize,
        datasetDepth: entry.datasetDepth,
        publicInputCount: entry.publicInputCount,
        batchVerifier: entry.batchVerifier,
        rejectVerifier: entry.rejectVerifier,
      },
    ]);
    if ((await client.waitForTransactionReceipt({ hash })).status !== "success") {
      throw new Error(`registering the ${rule} verifier with the escrow failed`);
    }
    rules.push(entry);
  }
  // The deployment file's top-level verifier fields describe the first rule (older readers use them).
  const [classification] = rules;
  const testToken = await viem.deployContract("TestToken");
  return {
    chainId,
    escrow: escrow.address,
    verifier: classification.verifier,
    batchVerifier: classification.batchVerifier,
    groups: groups.address,
    testToken: testToken.address,
    rootGracePeriod: ROOT_GRACE_PERIOD.toString(),
    circuit: classification.circuit,
    publicInputCount: classification.publicInputCount,
    batchSize: classification.batchSize,
    datasetDepth: classification.datasetDepth,
    deployBlock: deployBlock.toString(),
    insecureDevKeys: true,
    rules,
  };
}
