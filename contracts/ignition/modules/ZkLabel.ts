/**
 * The Hardhat Ignition module of the whole zkLabel system: the Poseidon libraries, the worker-group
 * registry, the escrow (with its TaskSetup library), every rule's verifier, batch verifier and
 * gold-rejection verifier, their rule-registry entries, and on the local chain a mintable test token.
 *
 * Which rules and circuits it deploys is decided before the module is built (scripts/lib/deploy.ts
 * reads the rule modules and checks each circuit's keys), so the module is made by a function of
 * that plan; what differs per network is in Ignition's parameters (contracts/networks/<name>.json).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractFuture } from "@nomicfoundation/ignition-core";

/** One rule's registry entry and the verifier contracts behind it. */
export interface PlannedRule {
  rule: string;
  ruleId: number;
  /** Solidity contract names (contracts/verifiers/). */
  verifierContract: string;
  batchVerifierContract: string;
  /** The gold-rejection verifier's contract; none when the rule takes no gold items. */
  rejectContract?: string;
  batchSize: number;
  datasetDepth: number;
  publicInputCount: number;
}

export interface DeployPlan {
  rules: readonly PlannedRule[];
  /** Deploy the mintable TestToken (local chains only: it lets anyone mint). */
  testToken: boolean;
}

/** The module's id: its futures are named `ZkLabel#<contract>` in Ignition's journal. */
export const MODULE_ID = "ZkLabel";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export function zkLabelModule(plan: DeployPlan) {
  return buildModule(MODULE_ID, (m) => {
    // Per-network parameters (Ignition's parameters file), with the local chain's values as defaults.
    const rootGracePeriod = m.getParameter<bigint>("rootGracePeriod", 3600n);
    const groupDepth = m.getParameter<number>("groupDepth", 20);
    const ruleChangeDelay = m.getParameter<bigint>("ruleChangeDelay", 2n * 86400n);

    const poseidonT3 = m.library("PoseidonT3");
    const poseidonT5 = m.library("PoseidonT5");
    const poseidonT6 = m.library("PoseidonT6");
    const groups = m.contract("WorkerGroups", [rootGracePeriod, groupDepth], {
      libraries: { PoseidonT3: poseidonT3 },
    });
    // createTask's checks and task hash, linked to keep the escrow under the code-size limit.
    const taskSetup = m.library("TaskSetup", {
      libraries: { PoseidonT3: poseidonT3, PoseidonT5: poseidonT5, PoseidonT6: poseidonT6 },
    });
    const escrow = m.contract("ZkLabelEscrow", [groups, ruleChangeDelay], {
      libraries: { TaskSetup: taskSetup },
    });

    const contracts: Record<string, ContractFuture<string>> = {
      escrow,
      groups,
      taskSetup,
      poseidonT3,
      poseidonT5,
      poseidonT6,
    };
    for (const r of plan.rules) {
      const verifier = m.contract(r.verifierContract);
      const batchVerifier = m.contract(r.batchVerifierContract);
      const rejectVerifier = r.rejectContract ? m.contract(r.rejectContract) : undefined;
      contracts[`${r.rule}Verifier`] = verifier;
      contracts[`${r.rule}BatchVerifier`] = batchVerifier;
      if (rejectVerifier) contracts[`${r.rule}RejectVerifier`] = rejectVerifier;
      m.call(
        escrow,
        "setRuleVerifier",
        [
          r.ruleId,
          {
            verifier,
            batchSize: r.batchSize,
            datasetDepth: r.datasetDepth,
            publicInputCount: r.publicInputCount,
            batchVerifier,
            rejectVerifier: rejectVerifier ?? ZERO_ADDRESS,
          },
        ],
        { id: `register_${r.rule.replace(/[^A-Za-z0-9_]/g, "_")}` },
      );
    }
    if (plan.testToken) contracts.testToken = m.contract("TestToken");
    return contracts;
  });
}
